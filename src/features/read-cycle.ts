/**
 * One audit read and what follows it: the tail reads for everyone and leaves
 * the failed sign-ins it saw in Redis; the notify step (sign-in alerts, then
 * the hires' evaluation) runs after it, on its own queue in production.
 */

import type { Metrics } from "../log/metrics.js";
import { type AfterReadDeps, afterRead } from "./after-read.js";
import { failedSigninCandidates } from "./hires/unknown-signins.js";
import { PUSH_FLOWING_MS } from "./stream-watch.js";
import { runTail } from "./tail/tail.js";

interface ReadCycleDeps extends AfterReadDeps {
  metrics?: Metrics | undefined;
  settings: AfterReadDeps["settings"] & { backfillDays: number; lateWriteSec: number };
}

export function readCycle(deps: ReadCycleDeps) {
  const { settings: s } = deps;
  /** One audit read; the failed sign-ins it saw wait in Redis for the notify step. */
  const read = async () => {
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
      },
    );
    deps.metrics?.tailRuns.inc({ status: r.status });
    // While Descope's audit stream delivers, what the poll still stores is what a push missed.
    if (r.stored > 0) {
      const st = await deps.tailState.get().catch(() => null);
      if (st?.lastPushAt) {
        await deps.tailState.update({ pollFoundAt: deps.now() }).catch(() => undefined);
        if (deps.now() - st.lastPushAt < PUSH_FLOWING_MS)
          deps.metrics?.pollOnlyEvents.inc(r.stored);
      }
    }
    return r;
  };

  /** Everything that follows a read, in one ordered list (after-read.ts). */
  const notify = () => afterRead(deps);

  return { read, notify };
}
