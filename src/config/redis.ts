/**
 * Which Redis to connect to, read from REDIS_MODE, REDIS_URL,
 * REDIS_SENTINEL_MASTER and REDIS_SENTINEL_PASSWORD: one server, a Sentinel
 * set (REDIS_URL lists the sentinels) or a Redis Cluster (REDIS_URL lists
 * seed nodes). `rediss://` turns TLS on; a user and password in the URL are
 * the data nodes' (ACL user or `default`). Pure: the connections themselves
 * are made in redis/client.ts.
 */
import { ConfigError } from "./env.js";

export type RedisMode = "standalone" | "sentinel" | "cluster";

export interface RedisSettings {
  REDIS_MODE: RedisMode;
  REDIS_URL: string;
  REDIS_SENTINEL_MASTER?: string | undefined;
  REDIS_SENTINEL_PASSWORD?: string | undefined;
  SCIMWATCH_REDIS_PREFIX?: string | undefined;
}

interface RedisNode {
  host: string;
  port: number;
}

interface Auth {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisPlan =
  | { mode: "standalone"; url: string }
  | ({ mode: "cluster"; nodes: RedisNode[] } & Auth)
  | ({
      mode: "sentinel";
      sentinels: RedisNode[];
      name: string;
      db: number;
      sentinelPassword?: string;
    } & Auth);

/** The comma-separated URLs of REDIS_URL. */
function redisUrls(list: string): string[] {
  return list
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
}

/** How to connect, or a ConfigError that says what to change. */
export function redisPlan(s: RedisSettings): RedisPlan {
  const urls = redisUrls(s.REDIS_URL);
  const parsed = urls.map((u) => {
    try {
      return new URL(u);
    } catch {
      throw new ConfigError(`REDIS_URL is malformed: ${maskRedisUrl(u)} is not a URL`);
    }
  });
  const first = parsed[0];
  if (!first) throw new ConfigError("REDIS_URL is not set: set it to a redis:// or rediss:// URL");
  if (s.REDIS_MODE === "standalone") {
    if (urls.length > 1)
      throw new ConfigError(
        "REDIS_URL lists several nodes: set REDIS_MODE=cluster (seed nodes) or REDIS_MODE=sentinel (sentinels), or give one URL",
      );
    return { mode: "standalone", url: urls[0] as string };
  }
  const auth: Auth = {
    tls: first.protocol === "rediss:",
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
  };
  if (parsed.some((u) => (u.protocol === "rediss:") !== auth.tls))
    throw new ConfigError("REDIS_URL mixes redis:// and rediss://: use one for every node");
  const defaultPort = s.REDIS_MODE === "sentinel" ? 26379 : 6379;
  const nodes = parsed.map((u) => ({
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : defaultPort,
  }));
  if (s.REDIS_MODE === "cluster") {
    const prefix = s.SCIMWATCH_REDIS_PREFIX ?? "{scimwatch}";
    if (!/^\{[^}]+\}/.test(prefix))
      throw new ConfigError(
        `SCIMWATCH_REDIS_PREFIX is ${prefix}: in cluster mode it must start with a braced hash tag such as {scimwatch}, so that every key and BullMQ script of scimwatch stays in one slot`,
      );
    if (first.pathname.length > 1 && first.pathname !== "/0")
      throw new ConfigError("REDIS_URL names a database: Redis Cluster has only database 0");
    return { mode: "cluster", nodes, ...auth };
  }
  if (!s.REDIS_SENTINEL_MASTER)
    throw new ConfigError(
      "REDIS_SENTINEL_MASTER is not set: set it to the name of the master set the sentinels watch (sentinel monitor <name> …)",
    );
  const db = Number(first.pathname.slice(1) || "0");
  if (!Number.isInteger(db) || db < 0)
    throw new ConfigError(`REDIS_URL names database ${first.pathname.slice(1)}: use a number`);
  return {
    mode: "sentinel",
    sentinels: nodes,
    name: s.REDIS_SENTINEL_MASTER,
    db,
    ...auth,
    ...(s.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: s.REDIS_SENTINEL_PASSWORD } : {}),
  };
}

/** The passwords in REDIS_URL, never to be printed. */
export function redisPasswords(list: string): string[] {
  return redisUrls(list).flatMap((u) => {
    const m = /^rediss?:\/\/[^/@]*:([^/@]+)@/.exec(u);
    return m?.[1] ? [m[1], decodeURIComponent(m[1])] : [];
  });
}

/** REDIS_URL as it can be shown: credentials masked. */
export function maskRedisUrl(list: string): string {
  return list.replace(/\/\/[^@/,]*@/g, "//***@");
}
