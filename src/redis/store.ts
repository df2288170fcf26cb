/** What every Redis store holds: its connection, and its keys from the one key map. */
import type { Keyer, RedisClient } from "./client.js";
import { redisKeys } from "./keys.js";

export abstract class RedisStore {
  protected readonly keys: ReturnType<typeof redisKeys>;

  constructor(
    protected readonly redis: RedisClient,
    key: Keyer,
  ) {
    this.keys = redisKeys(key);
  }
}
