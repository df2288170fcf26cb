/**
 * The audit-search budget: at most `limit` requests in any window of
 * `windowMs` (60 s), counted from a record of grant times kept in Redis and
 * stamped by Redis's own clock, so every process and replica shares one
 * record. The window is widened by `marginMs` so that requests which reach
 * Descope a little later than granted (event-loop and network delays differ
 * per process) still never put more than `limit` into any 60 s window as the
 * server sees it. Bursts are allowed: a backfill or a burst of checks does not
 * wait 6 s per search while units are free.
 *
 * Priorities: a "high" caller may use every unit; a "low" one leaves
 * `reserve` units to the high ones. The audit tail is high and live checks
 * low, so checks never starve the one feed everyone relies on; for the other
 * management calls, checks and registrations are high and the background
 * evaluation low, so ten thousand open hires never starve a person waiting.
 */

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { RedisClient } from "./client.js";
import { BudgetExhaustedError } from "./rate-budget.js";
import { REDIS_NOW, runScript, script } from "./scripts.js";

type BudgetPriority = "high" | "low";

/** The audit budget's callers: the tail is high, live checks low. */
export function auditPriority(asker: "tail" | "check"): BudgetPriority {
  return asker === "tail" ? "high" : "low";
}

/** Grants a unit (returns 0) or says how many ms until one is free for this priority. */
const TAKE = script(
  "window_take",
  `${REDIS_NOW}
local span = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], span)
  return 0
end
local e = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
return math.max(1, tonumber(e[2]) + span - now + 1)
`,
);

interface SlidingWindowOptions {
  windowMs?: number;
  marginMs?: number;
  /** Units low-priority callers leave to high-priority ones. Default: a fifth of the limit (2 of 10). */
  reserve?: number;
}

export class SlidingWindowBudget {
  private readonly span: number;
  private readonly reserve: number;

  constructor(
    private readonly redis: RedisClient,
    readonly name: string,
    private readonly key: string,
    private readonly limit: number,
    opts: SlidingWindowOptions = {},
  ) {
    this.span = (opts.windowMs ?? 60_000) + (opts.marginMs ?? 1_000);
    this.reserve = Math.min(limit - 1, opts.reserve ?? Math.floor(limit / 5));
  }

  /** Units left in the current window (for metrics; by this process's clock, close enough). */
  async remaining(): Promise<number> {
    const used = await this.redis.zcount(this.key, Date.now() - this.span, "+inf");
    return Math.max(0, this.limit - used);
  }

  /** Units this priority may hold in one window. */
  limitFor(priority: BudgetPriority): number {
    return priority === "high" ? this.limit : Math.max(1, this.limit - this.reserve);
  }

  /** Takes one unit, waiting at most `maxWaitMs` for it; otherwise throws BudgetExhaustedError. */
  async take(maxWaitMs: number, priority: BudgetPriority = "high"): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const wait = Number(
        await runScript(
          this.redis,
          TAKE,
          [this.key],
          [String(this.span), String(this.limitFor(priority)), randomUUID()],
        ),
      );
      if (wait <= 0) return;
      if (Date.now() + wait > deadline) throw new BudgetExhaustedError(this.name, wait);
      await sleep(wait);
    }
  }
}
