/** The tail's cursor and health, kept in one Redis hash. */

import * as z from "zod";
import { replicated } from "./client.js";
import { runScript, script } from "./scripts.js";
import { RedisStore } from "./store.js";

const num = z.coerce.number().optional();
const tailStateSchema = z.object({
  /** Every event that occurred before this time (epoch ms) is stored. */
  cursor: num,
  lastSuccessAt: num,
  /** The `to` of the last complete run: events "as of" this time. */
  lastTo: num,
  lastRunMs: num,
  lastCalls: num,
  lastStored: num,
  lastError: z.string().optional(),
  lastErrorAt: num,
  /** When the last page was stored (a long backfill makes progress between successes). */
  lastPageAt: num,
  /** During a backfill: pages read so far, and Descope's `total` when it sent one. */
  backfillPages: num,
  backfillTotal: num,
  backfillDone: z.coerce.number().optional(),
  /** Failed runs in a row (a spent budget is not a failure), the code of the last, and since when. */
  failedRuns: num,
  lastErrorCode: z.string().optional(),
  failingSince: num,
  /** When Descope's audit stream last delivered (POST /hooks/descope-audit). */
  lastPushAt: num,
  /** While the audit stream flows the poll may wait this long between runs (SCIMWATCH_TAIL_MAX_INTERVAL). */
  streamMaxIntervalSec: num,
  /** When the last deeper re-read ran (SCIMWATCH_REREAD_*). */
  lastDeepAt: num,
  /** When the poll last stored events (the stream's watch compares it with the last push). */
  pollFoundAt: num,
  /** The last push the "stream stopped" notice was said for. */
  pushStoppedSaidFor: num,
});
type TailState = z.infer<typeof tailStateSchema>;

interface TailHealth {
  healthy: boolean;
  lastSuccessAt: number | null;
  /** How far behind now the index is (ms), or null before the first run. */
  lagMs: number | null;
  asOf: number | null;
  lastError: string | null;
}

/** Pushes within this long mean Descope's audit stream is flowing. */
export const PUSH_FLOWING_MS = 15 * 60_000;

/** Whether Descope's audit stream has pushed lately. Pure. */
export function streamFlowing(state: TailState, now: number): boolean {
  return state.lastPushAt !== undefined && now - state.lastPushAt < PUSH_FLOWING_MS;
}

/**
 * The poll's interval as health should judge it: while the stream flows the
 * poll runs only every SCIMWATCH_TAIL_MAX_INTERVAL, and that is not a failure. Pure.
 */
export function effectiveIntervalSec(state: TailState, now: number, intervalSec: number): number {
  return streamFlowing(state, now) && state.streamMaxIntervalSec
    ? Math.max(intervalSec, state.streamMaxIntervalSec)
    : intervalSec;
}

/** Healthy when the last success was within two intervals. Pure. */
export function tailHealth(state: TailState, now: number, interval: number): TailHealth {
  const intervalSec = effectiveIntervalSec(state, now, interval);
  const last = state.lastSuccessAt ?? null;
  return {
    healthy: last !== null && now - last <= 2 * intervalSec * 1000,
    lastSuccessAt: last,
    lagMs: state.lastTo !== undefined ? Math.max(0, now - state.lastTo) : null,
    asOf: state.lastTo ?? null,
    lastError: state.lastError ?? null,
  };
}

/**
 * Is the tail alive? Not when no run succeeded, nor made progress, for 3
 * intervals (counted from the process start before any run), nor when the
 * job schedulers are missing from Redis. Pure.
 */
export function tailLiveness(
  state: TailState,
  now: number,
  interval: number,
  startedAt: number,
  missingSchedulers: string[] = [],
): { ok: boolean; reason?: string } {
  const intervalSec = effectiveIntervalSec(state, now, interval);
  if (missingSchedulers.length) {
    return {
      ok: false,
      reason: `job schedulers missing from Redis (${missingSchedulers.join(", ")}): Redis lost its data; they are being recreated`,
    };
  }
  const last = Math.max(state.lastSuccessAt ?? 0, state.lastPageAt ?? 0);
  const since = last || startedAt;
  const limit = 3 * intervalSec * 1000;
  if (now - since > limit) {
    return {
      ok: false,
      reason: last
        ? `no successful tail run for ${Math.round((now - since) / 1000)} s (more than 3 intervals of ${intervalSec} s)`
        : `no tail run has succeeded since this process started ${Math.round((now - since) / 1000)} s ago (more than 3 intervals of ${intervalSec} s)`,
    };
  }
  return { ok: true };
}

/**
 * Is a first read (backfill) under way and making progress? Live checks then
 * yield the audit budget to it. Pure.
 */
export function backfillProgress(
  state: TailState,
  now: number,
  intervalSec: number,
): { pages: number; remainingPages: number | null } | null {
  if (state.backfillDone === 1) return null;
  if (state.lastPageAt === undefined || now - state.lastPageAt > 3 * intervalSec * 1000)
    return null;
  const pages = state.backfillPages ?? 0;
  const remainingPages =
    state.backfillTotal !== undefined
      ? Math.max(1, Math.ceil(state.backfillTotal / 1000) - pages)
      : null;
  return { pages, remainingPages };
}

/** Moves the cursor forward only (a slower run never moves it back). */
const ADVANCE = script(
  "tail_advance",
  "local c = tonumber(redis.call('HGET', KEYS[1], 'cursor') or '0') if tonumber(ARGV[1]) > c then redis.call('HSET', KEYS[1], 'cursor', ARGV[1]) end return 1",
);

export class TailStateStore extends RedisStore {
  async get(): Promise<TailState> {
    const raw = await this.redis.hgetall(this.keys.tailState());
    const parsed = tailStateSchema.safeParse(raw);
    return parsed.success ? parsed.data : {};
  }

  async update(
    fields: Partial<Record<keyof TailState, string | number>>,
    clear: Array<keyof TailState> = [],
  ): Promise<void> {
    const m = this.redis.multi();
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (entries.length)
      m.hset(this.keys.tailState(), Object.fromEntries(entries.map(([k, v]) => [k, String(v)])));
    if (clear.length) m.hdel(this.keys.tailState(), ...clear);
    await m.exec();
  }

  /** Forgets the cursor and progress: the next run backfills. */
  async reset(): Promise<void> {
    await this.redis.del(this.keys.tailState());
  }

  /** Moves the cursor forward only (never back), atomically. */
  async advanceCursor(to: number): Promise<void> {
    await runScript(this.redis, ADVANCE, [this.keys.tailState()], [String(Math.trunc(to))]);
    await replicated(this.redis);
  }
}
