/**
 * Redis connections, for every topology (config/redis.ts decides which):
 * one server, a Sentinel set, or a Redis Cluster. Store calls fail fast;
 * BullMQ gets its own blocking-safe connection. Every key scimwatch and BullMQ
 * write starts with the braced prefix ({scimwatch}), so in a cluster they all
 * live in one slot and every script and transaction stays legal.
 */
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { type RedisPlan, type RedisSettings, redisPlan } from "../config/redis.js";

/** A connection to any of the three topologies. */
export type RedisClient = Redis | Cluster;

/** For tests and tools: a plain REDIS_URL means one server. */
function planOf(settings: RedisSettings | string): RedisPlan {
  return typeof settings === "string"
    ? redisPlan({ REDIS_MODE: "standalone", REDIS_URL: settings })
    : redisPlan(settings);
}

export function createRedis(
  settings: RedisSettings | string,
  opts: { forBullmq?: boolean } = {},
): RedisClient {
  const plan = planOf(settings);
  const behaviour: RedisOptions = {
    connectTimeout: 3_000,
    lazyConnect: false,
    ...(opts.forBullmq
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, commandTimeout: 3_000 }),
  };
  switch (plan.mode) {
    case "standalone":
      return new Redis(plan.url, behaviour);
    case "sentinel":
      return new Redis({
        ...behaviour,
        sentinels: plan.sentinels,
        name: plan.name,
        db: plan.db,
        ...(plan.username ? { username: plan.username } : {}),
        ...(plan.password ? { password: plan.password } : {}),
        ...(plan.sentinelPassword ? { sentinelPassword: plan.sentinelPassword } : {}),
        ...(plan.tls ? { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true } : {}),
        // Follow +switch-master at once instead of waiting for the old master to fail a command.
        failoverDetector: true,
      });
    case "cluster":
      return new Cluster(plan.nodes, {
        redisOptions: {
          ...behaviour,
          ...(plan.username ? { username: plan.username } : {}),
          ...(plan.password ? { password: plan.password } : {}),
          ...(plan.tls ? { tls: {} } : {}),
        },
        // With TLS, keep the node names the cluster announces (certificates name hosts, not IPs).
        ...(plan.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
        ...(opts.forBullmq ? { enableReadyCheck: false } : {}),
        // Store calls give up fast while the cluster re-shards or fails over; BullMQ waits.
        clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
      });
  }
}

/**
 * After a write that must survive a failover (a hire, a link, the tail's
 * cursor, an alert's once-record): waits until a replica holds it. With
 * Sentinel, replication is asynchronous: a master lost before replicating a
 * write would take it along, and an alert could be sent twice. Bounded
 * (250 ms); nothing to wait for on one server. Returns whether a replica
 * acknowledged it (always true without Sentinel). WAIT counts this
 * connection's own writes: call it on the connection that wrote.
 */
export async function replicated(redis: RedisClient): Promise<boolean> {
  if (!(redis instanceof Redis) || !redis.options.sentinels?.length) return true;
  return (await redis.wait(1, 250).catch(() => 0)) > 0;
}

/** A write no replica acknowledged: a failover now would lose it, so it does not count. */
export class NotDurableError extends Error {
  override readonly name = "NotDurableError";
  readonly code = "redis_not_durable";
  constructor(what: string) {
    super(
      `Redis's replica did not acknowledge ${what} (replication link down?): not relied on; retry in a minute. Set min-replicas-to-write 1 on the master to refuse such writes outright.`,
    );
  }
}

/** Like replicated, but a write no replica holds throws NotDurableError. */
export async function mustReplicate(redis: RedisClient, what: string): Promise<void> {
  if (!(await replicated(redis))) throw new NotDurableError(what);
}

/**
 * Every key matching `pattern` (a SCAN: for tests, tools and rare scans, not hot paths).
 * In a cluster, each master is scanned: SCAN sees only the node it is sent to.
 */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes("master") : [redis];
  const out: string[] = [];
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      out.push(...keys);
    } while (cursor !== "0");
  }
  return out;
}

/** Key helper: `{scimwatch}:link:C123`. */
export function keyer(prefix: string) {
  return (...parts: string[]) => [prefix, ...parts].join(":");
}
export type Keyer = ReturnType<typeof keyer>;
