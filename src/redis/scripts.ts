/**
 * The one way scimwatch runs Lua: each script is named once and registered
 * per connection with ioredis `defineCommand` (EVALSHA after the first call,
 * the script body sent again only when Redis lost it), whatever the topology.
 * The scripts themselves sit beside the store whose keys they touch.
 */
import type { RedisClient } from "./client.js";

export interface Script {
  name: string;
  lua: string;
}

export function script(name: string, lua: string): Script {
  return { name, lua };
}

/** Lua that sets `now` to Redis's clock in ms: every process counts time the same way. */
export const REDIS_NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

type Command = (...args: Array<string | number>) => Promise<unknown>;

/** Runs `s` with these keys (routed as one slot on a Cluster: keep them braced) and arguments. */
export function runScript(
  redis: RedisClient,
  s: Script,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  const name = `scimwatch_${s.name}`;
  const client = redis as unknown as Record<string, Command | undefined>;
  if (typeof client[name] !== "function") redis.defineCommand(name, { lua: s.lua });
  return (client[name] as Command)(keys.length, ...keys, ...args);
}
