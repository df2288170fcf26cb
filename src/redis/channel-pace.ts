/**
 * A Slack channel's post slots, shared by every process and stamped with
 * Redis's clock (a replica whose clock runs ahead holds up nobody), and the
 * pause Slack asked for with Retry-After.
 */

import type { Keyer, RedisClient } from "./client.js";
import { redisKeys } from "./keys.js";
import { REDIS_NOW, runScript, script } from "./scripts.js";

/**
 * Next free slot for a channel, shared by every process and stamped with
 * Redis's clock (a replica whose clock runs ahead holds up nobody). KEYS[1]
 * the slot, KEYS[2] the pause Slack asked for (Retry-After). Returns how long
 * to wait (ms); the slot is taken only when the wait is at most ARGV[2].
 */
const PACE_SCRIPT = script(
  "pace_take",
  `${REDIS_NOW}
local pace = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'), paused)
if at - now > maxWait then return at - now end
redis.call('SET', KEYS[1], at + pace, 'PX', pace * 10 + 60000)
return at - now
`,
);

/** Slack asked this channel to wait: no post there until then, from any process (Redis's clock). */
const PAUSE_SCRIPT = script(
  "pace_pause",
  `${REDIS_NOW}
local until_ = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > cur then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 1000) end
return until_
`,
);

export class ChannelPace {
  private readonly keys: ReturnType<typeof redisKeys>;

  constructor(
    private readonly redis: RedisClient,
    key: Keyer,
  ) {
    this.keys = redisKeys(key);
  }

  /** How long to wait for the channel's next slot (ms); the slot is taken only when that is at most `maxWaitMs`. */
  async take(channel: string, paceMs: number, maxWaitMs: number): Promise<number> {
    return Number(
      await runScript(
        this.redis,
        PACE_SCRIPT,
        [this.keys.pace(channel), this.keys.pacePaused(channel)],
        [paceMs, maxWaitMs],
      ),
    );
  }

  /** No post in the channel for `ms`, from any process. */
  async pause(channel: string, ms: number): Promise<void> {
    await runScript(this.redis, PAUSE_SCRIPT, [this.keys.pacePaused(channel)], [ms]);
  }
}
