/**
 * `/scim activity`: a tenant's SCIM activity over the last days, from the
 * audit index (no audit search), with "never provisioned" sign-ins confirmed
 * against the user records and the one-by-one signal.
 */
import { type ActivitySummary, summarizeActivity } from "../core/activity.js";
import type { IdpId } from "../core/idp/catalog.js";
import type { DescopeClient } from "../descope/client.js";
import { optional } from "../descope/optional.js";
import { tenantIdp } from "../descope/tenant-idp.js";
import type { Logger } from "../log/logger.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { HireStore } from "../redis/hire-store.js";
import type { TailStateStore } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";
import { findPerson } from "./check/find-person.js";
import { oneByOneFor } from "./hires/one-by-one-check.js";
import { healthOf, type TenantWatchDeps } from "./tenant-health/watch.js";

interface TenantActivity {
  summary: ActivitySummary;
  idp: IdpId;
  /** Until when the index has read the audit log. */
  asOf: number | null;
  oneByOne: string | null;
}

export async function tenantActivity(
  deps: {
    descope: DescopeClient;
    index: AuditIndex;
    tailState: TailStateStore;
    hires: HireStore;
    tenantHealth: TenantHealthStore;
    settings: TenantWatchDeps["settings"];
    log: Logger;
    now: () => number;
  },
  tenantId: string,
  days: number,
): Promise<TenantActivity> {
  const now = deps.now();
  const from = now - days * 86_400_000;
  const [{ health }, events, guess, state] = await Promise.all([
    healthOf(deps, tenantId, now),
    deps.index.eventsForTenant(tenantId, from, now),
    tenantIdp(deps.descope, tenantId),
    deps.tailState.get(),
  ]);
  // The status is the one tenant-health decision, as the alerts see it.
  // The index keeps each person's last sign-in, not every one: enough to see a modification
  // that followed it (JIT rewriting what SCIM set).
  const modified = events.filter((e) => e.action === "UserModified").slice(-500);
  const last = await deps.index.lastSignIns(modified.flatMap((m) => m.loginIds));
  const signIns = modified.flatMap((m) =>
    m.loginIds.flatMap((l) => {
      const at = last.get(l.toLowerCase());
      return at ? [{ ...m, id: `lastlogin:${m.id}`, action: "LoginSucceed", at }] : [];
    }),
  );
  const summary = summarizeActivity(tenantId, [...events, ...signIns], {
    from,
    to: now,
    health: health.state,
  });
  // Confirm "never provisioned" against the user records: a user created by hand or JIT is
  // not one, nor a person Descope has under another login ID (the one identity resolution).
  const [checked, jitDisabled] = await Promise.all([
    Promise.all(
      summary.neverProvisioned.map(async (n) =>
        (await findPerson(deps.descope, n.loginId, events, tenantId)).user ? null : n,
      ),
    ),
    summary.jitRewrites.length
      ? optional(deps.descope.loadJitDisabled(tenantId))
      : Promise.resolve(null),
  ]);
  summary.neverProvisioned = checked.filter((n): n is NonNullable<typeof n> => n !== null);
  // A modification after a sign-in is JIT's only while the tenant's JIT is on.
  if (jitDisabled !== false) summary.jitRewrites = [];
  const oneByOne = await oneByOneFor(deps.descope, tenantId).catch((e: unknown) => {
    deps.log.warn({ err: e }, "one-by-one check failed");
    return null;
  });
  return {
    summary,
    idp: guess.idp,
    asOf: state.lastTo ?? null,
    oneByOne: oneByOne?.message ?? null,
  };
}
