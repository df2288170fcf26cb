/**
 * Redis-backed rate budgets shared by every process (rate-limiter-flexible).
 * Audit searches are spaced evenly so that no 60-second window ever holds
 * more than the per-minute budget, whatever the window's alignment.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { CodedError } from "../core/failure.js";
import type { RedisClient } from "./client.js";

export class BudgetExhaustedError extends CodedError {
  override readonly name = "BudgetExhaustedError";
  constructor(
    readonly budget: string,
    /** Milliseconds until a unit is free again. */
    readonly retryInMs: number,
  ) {
    super(
      "budget_exhausted",
      `the ${budget} budget is spent; next unit in ${Math.ceil(retryInMs / 1000)} s`,
      Math.ceil(retryInMs / 1000),
    );
  }
}

/** points per duration (integer seconds) that never exceed `perMinute` in any 60 s window. */
export function spacing(perMinute: number): { points: number; duration: number } {
  if (perMinute <= 60) return { points: 1, duration: Math.ceil(60 / perMinute) };
  return { points: Math.floor(perMinute / 61), duration: 1 };
}

/**
 * points per duration that allow bursts yet never exceed `perMinute` in any
 * 60 s window: 15 s windows, each with a fifth of the minute's budget (a 60 s
 * window overlaps at most five of them).
 */
export function bursts(perMinute: number): { points: number; duration: number } {
  if (perMinute < 10) return spacing(perMinute);
  return { points: Math.floor(perMinute / 5), duration: 15 };
}

export class RateBudget {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: RedisClient,
    readonly name: string,
    keyPrefix: string,
    perMinute: number,
    /** spaced: evenly apart (the audit budget); burst: small bursts allowed (the other calls). */
    shape: "spaced" | "burst" = "spaced",
  ) {
    const { points, duration } = shape === "burst" ? bursts(perMinute) : spacing(perMinute);
    this.limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration });
  }

  /** Takes one unit, waiting at most `maxWaitMs` for it; otherwise throws BudgetExhaustedError. */
  async take(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      try {
        await this.limiter.consume("calls", 1);
        return;
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const wait = Math.max(25, e.msBeforeNext);
        if (Date.now() + wait > deadline) throw new BudgetExhaustedError(this.name, wait);
        await sleep(wait);
      }
    }
  }
}
