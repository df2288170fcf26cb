/**
 * One audit read and what follows it: the tail reads for everyone and leaves
 * the failed sign-ins it saw in Redis; the notify step (sign-in alerts, then
 * the hires' evaluation) runs after it, on its own queue in production.
 */

import type { Metrics } from "../log/metrics.js";
import { streamFlowing } from "../redis/tail-state.js";
import { type AfterReadDeps, afterRead } from "./after-read.js";
import { failedSigninCandidates } from "./hires/unknown-signins.js";
import { runTail, type TailResult } from "./tail/tail.js";

interface ReadCycleDeps extends AfterReadDeps {
  metrics?: Metrics | undefined;
  settings: AfterReadDeps["settings"] & {
    backfillDays: number;
    lateWriteSec: number;
    reread?: { windowSec: number; everySec: number };
    /** SCIMWATCH_TAIL_MAX_INTERVAL: while the audit stream flows, the poll runs at least this often. */
    tailMaxIntervalSec?: number;
  };
}

export function readCycle(deps: ReadCycleDeps) {
  const { settings: s } = deps;
  /** One audit read; the failed sign-ins it saw wait in Redis for the notify step. */
  const read = async () => {
    const before = await deps.tailState.get().catch(() => null);
    // While Descope's audit stream flows, the poll is the backstop: it reads at least every
    // SCIMWATCH_TAIL_MAX_INTERVAL (health judges it against that), not every interval.
    const max = s.tailMaxIntervalSec;
    if (
      before &&
      max !== undefined &&
      max > s.intervalSec &&
      streamFlowing(before, deps.now()) &&
      before.lastSuccessAt !== undefined &&
      deps.now() - before.lastSuccessAt < max * 1000
    ) {
      if (before.streamMaxIntervalSec !== max)
        await deps.tailState.update({ streamMaxIntervalSec: max }).catch(() => undefined);
      const skipped: TailResult = {
        status: "skipped",
        calls: 0,
        stored: 0,
        pages: 0,
        stream: true,
      };
      return skipped;
    }
    // From time to time a deeper window, for rows Descope makes searchable late.
    const deep =
      s.reread !== undefined &&
      s.reread.windowSec > s.lateWriteSec &&
      before?.cursor !== undefined &&
      deps.now() - (before.lastDeepAt ?? 0) >= s.reread.everySec * 1000;
    const r = await runTail(
      {
        descope: deps.descope,
        index: deps.index,
        state: deps.tailState,
        redis: deps.redis,
        key: deps.key,
        log: deps.log,
        now: deps.now,
        onEvents: async (events) => {
          await deps.hires.pushSigninCandidates(failedSigninCandidates(events, deps.now()));
        },
      },
      {
        intervalSec: s.intervalSec,
        backfillDays: s.backfillDays,
        overlapMs: s.lateWriteSec * 1000,
        ...(deep && s.reread ? { deepOverlapMs: s.reread.windowSec * 1000 } : {}),
      },
    );
    if (deep && r.status === "ok") {
      await deps.tailState.update({ lastDeepAt: deps.now() }).catch(() => undefined);
      if (r.late?.rows) {
        deps.metrics?.lateRows.inc(r.late.rows);
        if (r.late.oldestMs !== null) deps.metrics?.lateRowAge.observe(r.late.oldestMs / 1000);
        deps.log.warn(
          {
            kind: "tail",
            lateRows: r.late.rows,
            oldestSec: Math.round((r.late.oldestMs ?? 0) / 1000),
          },
          "the deeper re-read found audit rows earlier reads had missed (written late by Descope)",
        );
      }
    }
    deps.metrics?.tailRuns.inc({ status: r.status });
    // While Descope's audit stream delivers, what the poll still stores is what a push missed.
    if (r.stored > 0 && before?.lastPushAt) {
      await deps.tailState.update({ pollFoundAt: deps.now() }).catch(() => undefined);
      if (streamFlowing(before, deps.now())) deps.metrics?.pollOnlyEvents.inc(r.stored);
    }
    return r;
  };

  /** Everything that follows a read, in one ordered list (after-read.ts). */
  const notify = () => afterRead(deps);

  return { read, notify };
}
