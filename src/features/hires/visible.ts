/**
 * Which expected hires a person sees, and the App Home's content: every list
 * of hires goes through the one access rule (core/access.ts hireAllowed) and
 * the one state rule (core/hires/evaluate.ts view).
 */
import { type Access, decideAccess, hireAllowed } from "../../core/access.js";
import { type HireView, hireState } from "../../core/hires/state.js";
import { blindness } from "../../core/own-health.js";
import { keysRunOutSoon } from "../../core/scim-keys.js";
import { ALERTING } from "../../core/tenant-health.js";
import type { DescopeClient } from "../../descope/client.js";
import { tenantLabel } from "../../descope/tenants.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LeaverStore } from "../../redis/leaver-store.js";
import type { ScimKeyStore } from "../../redis/scim-key-store.js";
import type { TailStateStore } from "../../redis/tail-state.js";
import type { TenantHealthStore } from "../../redis/tenant-health-store.js";
import type { HomeData } from "../../render/home.js";
import { keyExpiryLine } from "../../render/scim-keys.js";
import { visibleLeavers } from "../leavers/visible.js";

type Who = { userId: string; channelId: string };

interface VisibleDeps {
  hires: HireStore;
  now: () => number;
  graceMinutes: number;
}

/** The open hires this person may see from here, optionally in one tenant. */
export async function visibleHires(
  deps: VisibleDeps,
  access: Access,
  who: Who,
  tenantId?: string,
): Promise<Array<{ id: string; view: HireView }>> {
  const now = deps.now();
  const records = await deps.hires.getMany(await deps.hires.openIds());
  return records
    .filter(({ hire }) => (tenantId ? hire.tenantId === tenantId : true))
    .filter(({ hire }) => hireAllowed(access, hire, who))
    .map(({ id, hire }) => ({ id, view: hireState(hire, now, deps.graceMinutes) }));
}

/** App Home is no channel: admins see every tenant, others what they registered. */
export function homeAccess(adminUsers: ReadonlySet<string>, userId: string): Access {
  return decideAccess({ supportChannels: new Set(), adminUsers }, { userId, channelId: "" }, null);
}

/** What one person's App Home shows. */
export async function homeData(
  deps: VisibleDeps & {
    adminUsers: ReadonlySet<string>;
    alertChannel?: string | undefined;
    tenantHealth?: TenantHealthStore;
    /** Every tenant in Descope (admins see them all, hires or not). */
    descope?: Pick<DescopeClient, "listTenants">;
    /** scimwatch's own health: a banner when it cannot read Descope. */
    tailState?: TailStateStore;
    blindAfterRuns?: number;
    /** Admins: tenants whose SCIM key runs out within the first warning threshold. */
    scimKeys?: ScimKeyStore;
    keyWarnDays?: number[];
    /** Open leavers, beside the hires (the same access rule). */
    leavers?: LeaverStore;
  },
  userId: string,
): Promise<HomeData> {
  const now = deps.now();
  const access = homeAccess(deps.adminUsers, userId);
  const admin = access.kind === "any";
  const visible = (h: { tenantId: string; registeredBy: string }) =>
    hireAllowed(access, h, { userId, channelId: "" });
  const open = (await deps.hires.getMany(await deps.hires.openIds())).filter((r) =>
    visible(r.hire),
  );
  const done = (await deps.hires.getMany(await deps.hires.doneSince(now - 86_400_000))).filter(
    (r) => visible(r.hire),
  );
  const views = open.map((r) => ({ id: r.id, view: hireState(r.hire, now, deps.graceMinutes) }));
  const tenants = [...new Set([...open, ...done].map((r) => r.hire.tenantName))];
  // An admin sees every tenant, whether or not it has hires yet; unreadable is said, not hidden.
  const descopeTenants =
    admin && deps.descope
      ? await deps.descope
          .listTenants()
          .then((all) => all.map((t) => tenantLabel(t)))
          .catch(() => null)
      : undefined;
  const state = deps.tailState ? await deps.tailState.get().catch(() => null) : null;
  const within = (deps.keyWarnDays?.[0] ?? 14) * 86_400_000;
  const keyWarnings =
    admin && deps.scimKeys
      ? (await deps.scimKeys.all().catch(() => []))
          .filter((snap) => keysRunOutSoon(snap, now, within))
          .map((snap) => ({ tenantName: snap.tenantName, line: keyExpiryLine(snap, now) }))
      : [];
  const b = state ? blindness(state, deps.blindAfterRuns ?? 5) : null;
  const leavers = deps.leavers
    ? await visibleLeavers(deps.leavers, access, { userId, channelId: "" }).catch(() => [])
    : [];
  // Recent alerts go through the same rule as hires: a non-admin sees the alerts about hires
  // they registered, never others' hires, sign-ins or tenants.
  const recent = (await deps.hires.recentAlerts()).filter(
    (a) =>
      admin ||
      (a.registeredBy !== null && visible({ tenantId: a.tenantId, registeredBy: a.registeredBy })),
  );
  // Tenants in trouble, as the alerts decided it (the stored tenant-health records).
  const names = new Map([...open, ...done].map((r) => [r.hire.tenantId, r.hire.tenantName]));
  const problems = (deps.tenantHealth ? await deps.tenantHealth.all().catch(() => []) : [])
    .filter((r) => ALERTING.has(r.state) && (admin || names.has(r.tenantId)))
    .map((r) => ({
      tenantName: names.get(r.tenantId) ?? r.tenantName ?? r.tenantId,
      state: r.state,
      since: r.since,
    }));
  return {
    tenantProblems: problems,
    overdue: views.filter((v) =>
      ["overdue", "scim_error", "not_scim_managed", "will_not_arrive"].includes(v.view.status),
    ),
    pending: views.filter((v) => v.view.status === "waiting"),
    provisioned24h: [
      ...views.filter(
        (v) =>
          v.view.status === "provisioned" &&
          (v.view.hire.items.provisioned.at ?? 0) > now - 86_400_000,
      ),
      ...done.map((r) => ({ id: r.id, view: hireState(r.hire, now, deps.graceMinutes) })),
    ],
    alerts: recent,
    tenants,
    ...(leavers.length ? { leavers } : {}),
    ...(keyWarnings.length ? { keyWarnings } : {}),
    ...(descopeTenants !== undefined ? { descopeTenants } : {}),
    ...(b?.blind
      ? { blind: { reason: b.reason, since: b.since, lastError: state?.lastError ?? null } }
      : {}),
    alertChannel: deps.alertChannel,
    admin,
  };
}
