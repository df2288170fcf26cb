/** What every Redis store holds: its connection and the deployment's key prefix. */
import type { Keyer, RedisClient } from "./client.js";

export abstract class RedisStore {
  constructor(
    protected readonly redis: RedisClient,
    protected readonly key: Keyer,
  ) {}
}
