/**
 * Where a check reads audit events when the bot runs: from the shared index
 * while the tail is healthy (zero audit searches), otherwise one live search
 * through the shared budget, and when that budget is spent or the search
 * fails, the index again with "events as of <time>". Never waits long in silence.
 */

import type { DescopeClient } from "../../descope/client.js";
import { DescopeError, isDescopeError } from "../../descope/errors.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import { BudgetExhaustedError } from "../../redis/rate-budget.js";
import { backfillProgress, type TailStateStore, tailHealth } from "../../redis/tail-state.js";
import { type EventsResult, type EventsSource, liveEvents } from "./gather.js";

interface IndexedEventsDeps {
  descope: DescopeClient;
  index: AuditIndex;
  state: TailStateStore;
  intervalSec: number;
  /** Longest a live check waits for the audit budget. Default 7 s. */
  budgetWaitMs?: number;
}

export function indexedEvents(deps: IndexedEventsDeps): EventsSource {
  return async (loginId, now, userId): Promise<EventsResult> => {
    const state = await deps.state.get();
    const health = tailHealth(state, now, deps.intervalSec);
    const fromIndex = async (asOf = health.asOf): Promise<EventsResult> => ({
      events: await deps.index.eventsFor(loginId, now, userId),
      asOf: { source: "index", at: asOf ?? now },
    });
    if (health.healthy) return fromIndex();
    // A first read is under way: it needs the whole audit budget, so checks
    // yield. They answer from what is read so far, or say when they can.
    const backfill = backfillProgress(state, now, deps.intervalSec);
    if (backfill) {
      // Nearly caught up: what is read is worth answering from, as of its time.
      if (state.cursor !== undefined && now - state.cursor <= 3_600_000)
        return fromIndex(state.cursor);
      // About 6 s of budget per page left (10 searches a minute), at least one interval.
      const etaSec =
        backfill.remainingPages !== null
          ? Math.max(deps.intervalSec, backfill.remainingPages * 6)
          : null;
      throw new DescopeError(
        "descope_rate_limited",
        `scimwatch is reading Descope's audit log for the first time (${backfill.pages} page${backfill.pages === 1 ? "" : "s"} of 1000 events so far) and needs the audit budget for it; checks can answer in ${etaSec !== null ? `about ${etaSec} s` : "a minute or two"}`,
        etaSec ?? 90,
      );
    }
    try {
      const live = await liveEvents(deps.descope, { budgetWaitMs: deps.budgetWaitMs ?? 7_000 })(
        loginId,
        now,
      );
      await deps.index.store(live.events, now);
      return live;
    } catch (e) {
      const spent =
        e instanceof BudgetExhaustedError ||
        (isDescopeError(e) && e.code === "descope_rate_limited");
      // Descope's audit search failing (scimwatch blind on the audit side): what the
      // index holds still answers, and the answer says how old its events are.
      const searchDown =
        isDescopeError(e) &&
        ["descope_unreachable", "descope_error", "descope_bad_response"].includes(e.code);
      if (searchDown && health.asOf !== null) return fromIndex();
      if (!spent) throw e;
      if (health.asOf === null) {
        const retry =
          e instanceof BudgetExhaustedError
            ? Math.ceil(e.retryInMs / 1000)
            : (e as DescopeError).retryAfterSec;
        throw new DescopeError(
          "descope_rate_limited",
          `The audit-search budget (Descope allows 10 per minute per project) is spent and the audit index has no data yet; retry in about ${retry ?? 60} s`,
          retry ?? 60,
        );
      }
      return fromIndex();
    }
  };
}
