/**
 * What runs after each audit read, in order: the one list. The tail's job
 * only reads; the notify job calls `afterRead`, and every message a read
 * leads to is sent from one of these steps (through features/notify/outbox.ts).
 * Alerts about expected hires come first, informational ones after, so a
 * backlog of the latter never holds up the former.
 */
import type { Debounce } from "../core/episodes.js";
import type { HealthThresholds } from "../core/tenant-health.js";
import type { DescopeClient } from "../descope/client.js";
import type { Logger } from "../log/logger.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { Keyer, RedisClient } from "../redis/client.js";
import type { ConnectionStore } from "../redis/connections.js";
import type { HireStore } from "../redis/hire-store.js";
import type { LinkStore } from "../redis/links.js";
import type { OnceStore } from "../redis/once-store.js";
import { type TailStateStore, tailHealth } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";
import { evaluateHires } from "./hires/evaluator.js";
import { proveHires } from "./hires/idp-proof.js";
import { alertStartDates } from "./hires/start-alerts.js";
import {
  alertUnknownSignins,
  type SigninCandidate,
  signinCandidateSchema,
} from "./hires/unknown-signins.js";
import type { IdpSideAnswer } from "./idp-side.js";
import type { Outbox } from "./notify/outbox.js";
import { watchOwnHealth } from "./own-health.js";
import { watchTenants } from "./tenant-health/watch.js";

export interface AfterReadDeps {
  /** The background client: leaves the management budget's reserve to checks. */
  descope: DescopeClient;
  index: AuditIndex;
  tailState: TailStateStore;
  hires: HireStore;
  links: LinkStore;
  once: OnceStore;
  outbox: Outbox;
  connections: ConnectionStore;
  tenantHealth: TenantHealthStore;
  redis: RedisClient;
  key: Keyer;
  log: Logger;
  now: () => number;
  idpSide: (tenantId: string, loginId: string) => Promise<IdpSideAnswer | null>;
  idpJob?: ((tenantId: string) => Promise<string | null>) | undefined;
  /** New members of assigned groups become expected hires (/scim autoexpect). */
  autoExpect?: (() => Promise<number>) | undefined;
  settings: {
    graceMinutes: number;
    alertChannel?: string | undefined;
    intervalSec: number;
    blindAfterRuns: number;
    startLeadHours?: number | undefined;
    thresholds?: HealthThresholds;
    debounce?: Debounce;
  };
}

/** Evaluation, the IdP's proof and start-date alerts: for every open hire, or just registered ones. */
export async function evaluateAll(
  deps: Omit<AfterReadDeps, "tailState" | "tenantHealth" | "redis" | "key">,
  ids?: string[],
) {
  const s = deps.settings;
  const base = { ...deps, graceMinutes: s.graceMinutes, alertChannel: s.alertChannel };
  const r = await evaluateHires(base, ids);
  await step(deps, "idp_proof", () => proveHires(base, ids));
  await step(deps, "start_alert", () =>
    alertStartDates({ ...deps, startLeadHours: s.startLeadHours }, ids),
  );
  return r;
}

/** The steps after a read, in order. Each one's failure is logged and the next runs. */
export async function afterRead(deps: AfterReadDeps): Promise<void> {
  const s = deps.settings;
  // 1–3. Expected hires: checklists, overdue alerts and resolutions, the IdP's proof, start dates.
  await step(deps, "evaluation", async () => {
    const e = await evaluateAll(deps);
    if (e.evaluated) deps.log.info({ kind: "evaluation", ...e });
  });
  // 4. Sign-ins by people never provisioned (or provisioned under another identifier).
  await step(deps, "signin_alert", () => signinAlerts(deps));
  // 5. New members of assigned groups become expected hires.
  await step(deps, "auto_expect", async () => deps.autoExpect?.());
  // 6. scimwatch's own health; 7. each tenant's, only while the index is fresh (a blind
  // scimwatch would see every tenant as silent).
  let blind = true;
  await step(deps, "blind", async () => {
    blind = await watchOwnHealth({ ...deps, settings: s });
  });
  const fresh = tailHealth(await deps.tailState.get(), deps.now(), s.intervalSec).healthy;
  if (!blind && fresh)
    await step(deps, "tenant_health", () => watchTenants({ ...deps, settings: s }));
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
