import type { AuditEvent } from "../../core/diagnosis/facts.js";
import { failureOf } from "../../core/failure.js";
import {
  AUDIT_HORIZON_MS,
  AUDIT_PAGE_SIZE,
  type DescopeClient,
  SCIM_AUDIT_ACTIONS,
} from "../../descope/client.js";
import { isDescopeError } from "../../descope/errors.js";
import { toAuditEvent } from "../../descope/events.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { Keyer, RedisClient } from "../../redis/client.js";
import { redisKeys } from "../../redis/keys.js";
import { acquireLock } from "../../redis/lock.js";
import { BudgetExhaustedError } from "../../redis/rate-budget.js";
import type { TailStateStore } from "../../redis/tail-state.js";

export interface TailDeps {
  descope: DescopeClient;
  index: AuditIndex;
  state: TailStateStore;
  redis: RedisClient;
  key: Keyer;
  log: Logger;
  now?: () => number;
  /** Called with each stored page's new events (the evaluation hooks in here). */
  onEvents?: (events: AuditEvent[]) => Promise<void>;
}

interface TailOptions {
  intervalSec: number;
  backfillDays: number;
  /**
   * Re-read this much before the cursor, for events Descope writes after they
   * occurred (SCIMWATCH_LATE_WRITE_SEC). Default 30 s: see docs/performance.md.
   */
  overlapMs?: number;
  /**
   * A deeper re-read (SCIMWATCH_REREAD_WINDOW_SEC): re-read this much before the
   * cursor instead, and count as late the rows stored now that occurred before
   * the usual overlap (earlier reads covered that span: Descope made them
   * searchable late).
   */
  deepOverlapMs?: number;
  /** The run's lock lives this long unless renewed (every third of it while the run is alive). Default: the interval, between 5 and 30 s. */
  lockMs?: number;
  /** How long a page may wait for the audit budget before the run stops (cursor kept). */
  budgetWaitMs?: number;
}

export interface TailResult {
  status: "ok" | "partial" | "skipped" | "failed";
  calls: number;
  stored: number;
  pages: number;
  from?: number;
  to?: number;
  error?: string;
  /** Skipped: how long the other run's lock still holds (ms). */
  lockTtlMs?: number;
  /** Skipped because Descope's audit stream flows and the poll is not due (read-cycle.ts). */
  stream?: boolean;
  /** A deep re-read: rows found only now that occurred before the usual overlap, and the oldest one's age (ms). */
  late?: { rows: number; oldestMs: number | null };
}

const DAY = 86_400_000;
const DEFAULT_OVERLAP_MS = 30_000;
/** Keep clear of Descope's 30-day search horizon. */
const HORIZON_MARGIN_MS = 5 * 60_000;

export async function runTail(deps: TailDeps, opts: TailOptions): Promise<TailResult> {
  const now = deps.now ?? Date.now;
  // A short lock, renewed while this run is alive: a run killed outright
  // (kill -9, docker stop) blocks the next one for at most `lockMs`, so a new
  // process resumes within two intervals of a crash.
  const lockMs = opts.lockMs ?? Math.min(30_000, Math.max(5_000, opts.intervalSec * 1000));
  const lock = await acquireLock(deps.redis, redisKeys(deps.key).tailLock(), lockMs);
  if ("heldMs" in lock)
    return { status: "skipped", calls: 0, stored: 0, pages: 0, lockTtlMs: lock.heldMs };
  const started = now();
  const result: TailResult = { status: "ok", calls: 0, stored: 0, pages: 0 };
  try {
    const state = await deps.state.get();
    const to = started;
    const horizon = to - AUDIT_HORIZON_MS + HORIZON_MARGIN_MS;
    const backfilling = state.cursor === undefined;
    const from = Math.max(
      horizon,
      backfilling
        ? to - Math.min(30, opts.backfillDays) * DAY
        : (state.cursor as number) - (opts.deepOverlapMs ?? opts.overlapMs ?? DEFAULT_OVERLAP_MS),
    );
    // Rows before this were covered by earlier reads: found now, they were written late.
    const lateBefore =
      !backfilling && opts.deepOverlapMs !== undefined
        ? (state.cursor as number) - (opts.overlapMs ?? DEFAULT_OVERLAP_MS)
        : null;
    if (lateBefore !== null) result.late = { rows: 0, oldestMs: null };
    result.from = from;
    result.to = to;
    // Pages until a short page: `total` may be absent, capped or wrong, so it
    // never ends the run, and the cursor only moves past events stored.
    for (let page = 0; ; page++) {
      const res = await deps.descope.searchAudit(
        { from, to, actions: SCIM_AUDIT_ACTIONS, size: AUDIT_PAGE_SIZE, page, oldestFirst: true },
        { budgetWaitMs: opts.budgetWaitMs ?? Math.max(10_000, opts.intervalSec * 1000) },
      );
      result.calls++;
      result.pages++;
      const events = res.audits.map((r) => toAuditEvent(r));
      const early = lateBefore !== null ? events.filter((e) => e.at < lateBefore) : [];
      const rest = lateBefore !== null ? events.filter((e) => e.at >= lateBefore) : events;
      // Stored apart so that what is new among the early rows is counted.
      const freshEarly = early.length ? await deps.index.store(early, now()) : 0;
      const fresh = freshEarly + (rest.length ? await deps.index.store(rest, now()) : 0);
      if (result.late && freshEarly > 0) {
        result.late.rows += freshEarly;
        const age = now() - Math.min(...early.map((e) => e.at));
        result.late.oldestMs = Math.max(result.late.oldestMs ?? 0, age);
      }
      result.stored += fresh;
      await deps.state.update({
        lastPageAt: now(),
        ...(state.backfillDone !== 1
          ? {
              backfillPages: (state.backfillPages ?? 0) + page + 1,
              ...(res.total !== null
                ? { backfillTotal: res.total + (state.backfillPages ?? 0) * 1000 }
                : {}),
            }
          : {}),
      });
      if (events.length) {
        await deps.state.advanceCursor(Math.max(...events.map((e) => e.at)));
        if (deps.onEvents) await deps.onEvents(events);
      }
      if (backfilling) {
        deps.log.info(
          {
            kind: "tail_backfill",
            page,
            events: events.length,
            total: res.total,
            stored: result.stored,
          },
          "backfill progress",
        );
      }
      if (res.audits.length < AUDIT_PAGE_SIZE) break;
    }
    await deps.state.advanceCursor(to);
    await deps.state.update(
      {
        lastSuccessAt: now(),
        lastTo: to,
        lastRunMs: now() - started,
        lastCalls: result.calls,
        lastStored: result.stored,
        backfillDone: 1,
      },
      ["lastError", "lastErrorAt", "failedRuns", "lastErrorCode", "failingSince"],
    );
  } catch (e) {
    const budget = e instanceof BudgetExhaustedError;
    result.status = budget ? "partial" : "failed";
    result.error =
      budget || isDescopeError(e) ? (e as Error).message : `unexpected: ${(e as Error).message}`;
    const before = await deps.state.get().catch(() => null);
    await deps.state
      .update({
        lastError: result.error,
        lastErrorAt: now(),
        ...(budget
          ? {}
          : {
              failedRuns: (before?.failedRuns ?? 0) + 1,
              lastErrorCode: failureOf(e).code,
              failingSince: before?.failingSince ?? now(),
            }),
      })
      .catch(() => {});
    deps.log[budget ? "info" : "warn"](
      { kind: "tail", status: result.status, err: e },
      "tail run stopped early",
    );
  } finally {
    await lock.release();
  }
  const st = await deps.state.get().catch(() => ({}) as Awaited<ReturnType<TailStateStore["get"]>>);
  deps.log.info({
    kind: "tail",
    status: result.status,
    calls: result.calls,
    pages: result.pages,
    stored: result.stored,
    ms: now() - started,
    lagMs: st.lastTo !== undefined ? now() - st.lastTo : null,
  });
  return result;
}
