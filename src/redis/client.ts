/** Redis connections. Store calls fail fast; BullMQ gets its own blocking-safe connection. */
import { Redis } from "ioredis";

export function createRedis(url: string, opts: { forBullmq?: boolean } = {}): Redis {
  return new Redis(url, {
    connectTimeout: 3_000,
    lazyConnect: false,
    ...(opts.forBullmq
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, commandTimeout: 3_000 }),
  });
}

/** Key helper: `{scimwatch}:link:C123`. */
export function keyer(prefix: string) {
  return (...parts: string[]) => [prefix, ...parts].join(":");
}
export type Keyer = ReturnType<typeof keyer>;
