/**
 * What runs after each audit read, in order: the one list. The tail's job
 * only reads; the notify job calls `afterRead`, and every message a read
 * leads to is sent from one of these steps (through features/notify/outbox.ts).
 * Alerts about expected hires come first, informational ones after, so a
 * backlog of the latter never holds up the former.
 */
import type { Debounce } from "../core/episodes.js";
import type { HealthThresholds } from "../core/tenant-health.js";
import type { Logger } from "../log/logger.js";
import type { Keyer, RedisClient } from "../redis/client.js";
import { type TailStateStore, tailHealth } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";
import type { ActionDeps } from "./actions/run.js";
import { sweepActions } from "./actions/sweep.js";
import { autoExpect } from "./hires/auto-expect.js";
import { evaluateAll, type HireWork } from "./hires/evaluate-all.js";
import {
  alertUnknownSignins,
  type SigninCandidate,
  signinCandidateSchema,
} from "./hires/unknown-signins.js";
import { idpJobReader } from "./idp-side.js";
import { evaluateLeavers, type LeaverDeps } from "./leavers/evaluate.js";
import { watchOwnHealth } from "./own-health.js";
import { watchStream } from "./stream-watch.js";
import { watchTenants } from "./tenant-health/watch.js";

export interface AfterReadDeps extends HireWork {
  /** Fix-it actions: approved calls a stopped process left, requests past their hour. */
  action?: ActionDeps;
  /** Leavers: their store and what decides them (absent: none are watched). */
  leaver?: LeaverDeps;
  tailState: TailStateStore;
  tenantHealth: TenantHealthStore;
  redis: RedisClient;
  key: Keyer;
  settings: HireWork["settings"] & {
    intervalSec: number;
    blindAfterRuns: number;
    thresholds?: HealthThresholds;
    debounce?: Debounce;
  };
}

/** The steps after a read, in order. Each one's failure is logged and the next runs. */
export async function afterRead(deps: AfterReadDeps): Promise<void> {
  const s = deps.settings;
  // 1–3. Expected hires: checklists, overdue alerts and resolutions, the IdP's proof, start dates.
  await step(deps, "evaluation", async () => {
    const e = await evaluateAll(deps);
    if (e.evaluated) deps.log.info({ kind: "evaluation", ...e });
  });
  // Leavers: checklists, "still enabled after the last day" alerts and their resolutions.
  if (deps.leaver) {
    const leaver = deps.leaver;
    await step(deps, "leavers", async () => {
      const n = await evaluateLeavers(leaver);
      if (n) deps.log.info({ kind: "leavers", evaluated: n });
    });
  }
  // Fix-it actions: an approval a stopped process left is carried out (once); old requests expire.
  if (deps.action?.approvers.size) {
    const action = deps.action;
    await step(deps, "actions", () => sweepActions(action).then(() => {}));
  }
  // 4. Sign-ins by people never provisioned (or provisioned under another identifier).
  await step(deps, "signin_alert", () => signinAlerts(deps));
  // 5. New members of assigned groups become expected hires.
  await step(deps, "auto_expect", () =>
    autoExpect({ ...deps, graceMinutes: s.graceMinutes, alertChannel: s.alertChannel }),
  );
  // 6. scimwatch's own health; 7. each tenant's, only while the index is fresh (a blind
  // scimwatch would see every tenant as silent).
  let blind = true;
  await step(deps, "blind", async () => {
    blind = await watchOwnHealth({ ...deps, settings: s });
  });
  // Descope's audit stream: said once when it stops while the poll still finds events.
  await step(deps, "audit_stream", () => watchStream({ ...deps, settings: s }));
  const fresh = tailHealth(await deps.tailState.get(), deps.now(), s.intervalSec).healthy;
  if (!blind && fresh)
    await step(deps, "tenant_health", () =>
      watchTenants({ ...deps, settings: s, idpJob: idpJobReader(deps) }),
    );
}

/** The failed sign-ins the tail left waiting in Redis; those not handled wait for the next read. */
async function signinAlerts(deps: AfterReadDeps): Promise<void> {
  const pending = await deps.hires.peekSigninCandidates();
  const candidates: SigninCandidate[] = pending.items.flatMap((i) => {
    const p = signinCandidateSchema.safeParse(i);
    return p.success ? [p.data] : [];
  });
  const { failed } = await alertUnknownSignins(
    { ...deps, alertChannel: deps.settings.alertChannel },
    candidates,
  );
  await pending.done(pending.items.length);
  await deps.hires.pushSigninCandidates(failed);
}

async function step(deps: { log: Logger }, kind: string, run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    deps.log.warn({ kind, err: e }, `${kind.replace("_", " ")} failed; the next read retries`);
  }
}
