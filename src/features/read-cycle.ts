/**
 * One audit read and what follows it: the tail reads for everyone and leaves
 * the failed sign-ins it saw in Redis; the notify step (sign-in alerts, then
 * the hires' evaluation) runs after it, on its own queue in production.
 */
import type { Redis } from "ioredis";
import type { DescopeClient } from "../descope/client.js";
import type { Logger } from "../log/logger.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { Keyer } from "../redis/client.js";
import type { HireStore } from "../redis/hire-store.js";
import type { LinkStore } from "../redis/links.js";
import type { TailStateStore } from "../redis/tail-state.js";
import { afterRead } from "./hires/after-read.js";
import type { EvalResult } from "./hires/evaluator.js";
import { failedSigninCandidates } from "./hires/unknown-signins.js";
import type { Notifier } from "./notifier.js";
import { runTail } from "./tail/tail.js";

export interface ReadCycleDeps {
  descope: DescopeClient;
  index: AuditIndex;
  tailState: TailStateStore;
  hires: HireStore;
  links: LinkStore;
  notifier: Notifier;
  redis: Redis;
  key: Keyer;
  log: Logger;
  now: () => number;
  evaluate: (ids?: string[]) => Promise<EvalResult>;
  settings: {
    intervalSec: number;
    backfillDays: number;
    lateWriteSec: number;
    alertChannel?: string | undefined;
  };
}

export function readCycle(deps: ReadCycleDeps) {
  const { settings: s } = deps;
  /** One audit read; the failed sign-ins it saw wait in Redis for the notify step. */
  const read = () =>
    runTail(
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

  /** Everything that talks to Slack after a read: sign-in alerts, then the hires. */
  const notify = () =>
    afterRead({
      descope: deps.descope,
      hires: deps.hires,
      links: deps.links,
      notifier: deps.notifier,
      log: deps.log,
      now: deps.now,
      alertChannel: s.alertChannel,
      evaluate: () => deps.evaluate(),
    });

  return { read, notify };
}
