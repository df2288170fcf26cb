/**
 * One audit read and what follows it: the tail reads for everyone and leaves
 * the failed sign-ins it saw in Redis; the notify step (sign-in alerts, then
 * the hires' evaluation) runs after it, on its own queue in production.
 */

import type { Debounce } from "../core/episodes.js";
import type { HealthThresholds } from "../core/tenant-health.js";
import type { DescopeClient } from "../descope/client.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../log/metrics.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { Keyer, RedisClient } from "../redis/client.js";
import type { HireStore } from "../redis/hire-store.js";
import type { LinkStore } from "../redis/links.js";
import { type TailStateStore, tailHealth } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";
import { afterRead } from "./hires/after-read.js";
import type { EvalResult } from "./hires/evaluator.js";
import { failedSigninCandidates } from "./hires/unknown-signins.js";
import type { Notifier } from "./notifier.js";
import { watchOwnHealth } from "./own-health.js";
import { runTail } from "./tail/tail.js";
import { watchTenants } from "./tenant-health/watch.js";

export interface ReadCycleDeps {
  descope: DescopeClient;
  index: AuditIndex;
  tailState: TailStateStore;
  hires: HireStore;
  links: LinkStore;
  notifier: Notifier;
  redis: RedisClient;
  key: Keyer;
  log: Logger;
  now: () => number;
  evaluate: (ids?: string[]) => Promise<EvalResult>;
  tenantHealth: TenantHealthStore;
  metrics?: Metrics | undefined;
  idpJob?: ((tenantId: string) => Promise<string | null>) | undefined;
  /** New members of assigned groups become expected hires (/scim autoexpect). */
  autoExpect?: (() => Promise<number>) | undefined;
  settings: {
    graceMinutes: number;
    blindAfterRuns: number;
    thresholds?: HealthThresholds;
    /** Settle time and cool-down of flapping alerts (core/episodes.ts). */
    debounce?: Debounce;
    intervalSec: number;
    backfillDays: number;
    lateWriteSec: number;
    alertChannel?: string | undefined;
  };
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
    return r;
  };

  /**
   * Everything that talks to Slack after a read: sign-in alerts, the hires,
   * scimwatch's own health, then each tenant's (only while the index is
   * fresh: a blind scimwatch would see every tenant as silent).
   */
  const notify = async () => {
    await afterRead({
      descope: deps.descope,
      index: deps.index,
      hires: deps.hires,
      links: deps.links,
      notifier: deps.notifier,
      log: deps.log,
      now: deps.now,
      alertChannel: s.alertChannel,
      metrics: deps.metrics,
      evaluate: () => deps.evaluate(),
    });
    await deps
      .autoExpect?.()
      .catch((e: unknown) => deps.log.warn({ kind: "auto_expect", err: e }, "auto-expect failed"));
    const blind = await watchOwnHealth(deps).catch((e: unknown) => {
      deps.log.warn({ kind: "blind", err: e }, "could not check scimwatch's own health");
      return true;
    });
    const fresh = tailHealth(await deps.tailState.get(), deps.now(), s.intervalSec).healthy;
    if (!blind && fresh)
      await watchTenants(deps).catch((e: unknown) =>
        deps.log.warn({ kind: "tenant_health", err: e }, "tenant health failed"),
      );
  };

  return { read, notify };
}
