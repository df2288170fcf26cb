/**
 * A short lock renewed while its holder is alive: a holder killed outright
 * (kill -9, docker stop) blocks the next one for at most the lock's time.
 */

import { randomUUID } from "node:crypto";
import type { RedisClient } from "./client.js";
import { runScript, script } from "./scripts.js";

const RELEASE = script(
  "lock_release",
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);
const RENEW = script(
  "lock_renew",
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
);

interface HeldLock {
  release(): Promise<void>;
}

/** The lock, renewed every third of `ms`; or how long another holder still has it (ms). */
export async function acquireLock(
  redis: RedisClient,
  key: string,
  ms: number,
): Promise<HeldLock | { heldMs: number }> {
  const token = randomUUID();
  if ((await redis.set(key, token, "PX", ms, "NX")) !== "OK") {
    const ttl = Number(await redis.pttl(key).catch(() => -1));
    return { heldMs: Math.max(0, ttl) };
  }
  const renewal = setInterval(
    () => {
      runScript(redis, RENEW, [key], [token, ms]).catch(() => {});
    },
    Math.max(50, Math.floor(ms / 3)),
  );
  renewal.unref();
  return {
    async release() {
      clearInterval(renewal);
      await runScript(redis, RELEASE, [key], [token]).catch(() => {});
    },
  };
}
