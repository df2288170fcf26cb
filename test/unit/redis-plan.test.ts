/** REDIS_MODE, REDIS_URL and the sentinel settings → how to connect, or what to fix. */
import { describe, expect, it } from "vitest";
import {
  maskRedisUrl,
  type RedisSettings,
  redisPasswords,
  redisPlan,
} from "../../src/config/redis.js";

const plan = (s: Partial<RedisSettings>) =>
  redisPlan({ REDIS_MODE: "standalone", REDIS_URL: "redis://127.0.0.1:6379", ...s });

describe("redisPlan", () => {
  it.each([
    [
      "one server, URL kept as given",
      { REDIS_URL: "rediss://u:p@cache:6380/2" },
      { mode: "standalone", url: "rediss://u:p@cache:6380/2" },
    ],
    [
      "cluster seeds with an ACL user, password and TLS",
      {
        REDIS_MODE: "cluster",
        REDIS_URL: "rediss://app:s%40cret@h1:7000, rediss://app:s%40cret@h2",
      },
      {
        mode: "cluster",
        nodes: [
          { host: "h1", port: 7000 },
          { host: "h2", port: 6379 },
        ],
        username: "app",
        password: "s@cret",
        tls: true,
      },
    ],
    [
      "sentinels on their default port, the master's password and database",
      {
        REDIS_MODE: "sentinel",
        REDIS_URL: "redis://:pw@s1,redis://s2:26380/3",
        REDIS_SENTINEL_MASTER: "mymaster",
        REDIS_SENTINEL_PASSWORD: "sentinel-pw",
      },
      {
        mode: "sentinel",
        sentinels: [
          { host: "s1", port: 26379 },
          { host: "s2", port: 26380 },
        ],
        name: "mymaster",
        db: 0,
        password: "pw",
        tls: false,
        sentinelPassword: "sentinel-pw",
      },
    ],
  ] as const)("%s", (_what, settings, expected) => {
    expect(plan(settings as Partial<RedisSettings>)).toEqual(expected);
  });

  it.each([
    ["several URLs without a mode", { REDIS_URL: "redis://a,redis://b" }, /REDIS_MODE=cluster/],
    [
      "an unbraced prefix in a cluster",
      { REDIS_MODE: "cluster", REDIS_URL: "redis://a:7000", SCIMWATCH_REDIS_PREFIX: "scimwatch" },
      /braced hash tag/,
    ],
    [
      "a database in a cluster",
      { REDIS_MODE: "cluster", REDIS_URL: "redis://a:7000/2" },
      /only database 0/,
    ],
    [
      "sentinel without the master's name",
      { REDIS_MODE: "sentinel", REDIS_URL: "redis://s1:26379" },
      /REDIS_SENTINEL_MASTER is not set/,
    ],
    [
      "TLS on some nodes only",
      { REDIS_MODE: "cluster", REDIS_URL: "rediss://a:7000,redis://b:7001" },
      /mixes redis:\/\/ and rediss:\/\//,
    ],
  ] as const)("refuses %s, saying what to change", (_what, settings, message) => {
    expect(() => plan(settings as Partial<RedisSettings>)).toThrow(message);
  });
});

describe("Redis credentials are never shown", () => {
  it("masks every URL's credentials and lists every password as a secret", () => {
    const url = "redis://app:one@h1:7000,redis://app:t%2Fwo@h2:7001";
    expect(maskRedisUrl(url)).toBe("redis://***@h1:7000,redis://***@h2:7001");
    expect(redisPasswords(url)).toEqual(["one", "one", "t%2Fwo", "t/wo"]);
  });
});
