/**
 * After each audit read: every tenant's provisioning health, from the index
 * (no audit search), and its alerts — exactly once per episode across
 * retries, processes and restarts (the episode's key is derived from the
 * audit data itself, and delivery goes through the one exactly-once path).
 * A recovery is posted once in the alert's thread, and the alert is edited
 * to say resolved.
 */
import type { AuditEvent } from "../../core/diagnosis/facts.js";
import { DEFAULT_DEBOUNCE, type Debounce, episodeStep } from "../../core/episodes.js";
import { hireState } from "../../core/hires/state.js";
import {
  ALERTING,
  DEFAULT_THRESHOLDS,
  HEALTH_HISTORY_MS,
  type HealthThresholds,
  recovered,
  type TenantHealth,
  tenantHealth,
} from "../../core/tenant-health.js";
import type { DescopeClient } from "../../descope/client.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import { tenantLabel } from "../../descope/tenants.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { TenantHealthRecord, TenantHealthStore } from "../../redis/tenant-health-store.js";
import {
  tenantAlertClosed,
  tenantAlertMessage,
  tenantRecoveredMessage,
} from "../../render/tenant-health.js";
import { alertRoutes, type Kind, type Outbox } from "../notify/outbox.js";

export interface TenantWatchDeps {
  descope: DescopeClient;
  index: AuditIndex;
  hires: HireStore;
  links: LinkStore;
  tenantHealth: TenantHealthStore;
  outbox: Outbox;
  log: Logger;
  now: () => number;
  /** The IdP's own word on the tenant's provisioning job (quarantine), when a connector can tell. */
  idpJob?: ((tenantId: string) => Promise<string | null>) | undefined;
  settings: {
    alertChannel?: string | undefined;
    graceMinutes: number;
    thresholds?: HealthThresholds;
    /** Settle time and cool-down of flapping alerts (core/episodes.ts). */
    debounce?: Debounce;
  };
}

/** Overdue hires per tenant: when the earliest was assigned, and how many. */
async function overdueByTenant(
  deps: Pick<TenantWatchDeps, "hires" | "settings">,
  now: number,
): Promise<Map<string, { since: number; count: number }>> {
  const out = new Map<string, { since: number; count: number }>();
  for (const { hire } of await deps.hires.getMany(await deps.hires.openIds())) {
    if (hireState(hire, now, deps.settings.graceMinutes).status !== "overdue") continue;
    const cur = out.get(hire.tenantId);
    out.set(hire.tenantId, {
      since: Math.min(cur?.since ?? hire.assignedAt, hire.assignedAt),
      count: (cur?.count ?? 0) + 1,
    });
  }
  return out;
}

/**
 * One tenant's health with everything the decision needs (its previous
 * state, its overdue hires, the thresholds): the alerts, `/scim activity` and
 * the weekly digest all ask here, so they never disagree.
 */
function assess(
  deps: Pick<TenantWatchDeps, "settings">,
  tenantId: string,
  events: AuditEvent[],
  now: number,
  prev: TenantHealthRecord | null,
  overdue: Map<string, { since: number; count: number }>,
  scimManagedUsers?: number,
): TenantHealth {
  return tenantHealth(
    tenantId,
    events,
    now,
    {
      previous: prev,
      overdue: overdue.get(tenantId) ?? null,
      ...(scimManagedUsers !== undefined ? { scimManagedUsers } : {}),
    },
    deps.settings.thresholds ?? DEFAULT_THRESHOLDS,
  );
}

/** The health of one tenant now, read from the index and the stores. */
export async function healthOf(
  deps: Pick<TenantWatchDeps, "index" | "hires" | "tenantHealth" | "settings">,
  tenantId: string,
  now: number,
): Promise<{ health: TenantHealth; events: AuditEvent[] }> {
  const [events, prev, overdue] = await Promise.all([
    deps.index.eventsForTenant(tenantId, now - HEALTH_HISTORY_MS, now),
    deps.tenantHealth.get(tenantId),
    overdueByTenant(deps, now),
  ]);
  return { health: assess(deps, tenantId, events, now, prev, overdue), events };
}

/** Evaluates every tenant; returns the health of each (for metrics and tests). */
export async function watchTenants(deps: TenantWatchDeps): Promise<Map<string, TenantHealth>> {
  const now = deps.now();
  const [tenants, overdue, channelFor] = await Promise.all([
    deps.descope.listTenants(),
    overdueByTenant(deps, now),
    alertRoutes(deps.links, deps.settings.alertChannel),
  ]);
  const out = new Map<string, TenantHealth>();
  for (const t of tenants) {
    try {
      const prev = await deps.tenantHealth.get(t.id);
      const events = await deps.index.eventsForTenant(t.id, now - HEALTH_HISTORY_MS, now);
      let h = assess(deps, t.id, events, now, prev, overdue);
      // The denominator of a mass deactivation: asked of Descope only when people were removed.
      // Deactivated users are still found by the search; deleted ones are not, so only they are
      // added back (counting the deactivated twice hid 10 of 50).
      if (h.deactivated.count >= 3) {
        const managed = await deps.descope
          .searchUsers({ tenantIds: [t.id], scimOnly: true, limit: 1 })
          .then((r) => r.total + h.deactivated.deleted)
          .catch(() => null);
        if (managed !== null) h = assess(deps, t.id, events, now, prev, overdue, managed);
      }
      out.set(t.id, h);
      await settle(deps, { id: t.id, name: tenantLabel(t) }, prev, h, channelFor(t.id), now);
    } catch (e) {
      deps.log.warn({ kind: "tenant_health", tenant: t.id, err: e }, "tenant health failed");
    }
  }
  return out;
}

async function settle(
  deps: TenantWatchDeps,
  tenant: { id: string; name: string },
  prev: TenantHealthRecord | null,
  h: TenantHealth,
  channel: string | undefined,
  now: number,
): Promise<void> {
  const base: TenantHealthRecord = {
    tenantId: tenant.id,
    tenantName: tenant.name,
    state: h.state,
    episode: h.episode,
    since: h.since,
    at: now,
    alert: prev?.alert ?? null,
    healthySince: null,
    lastClosed: prev?.lastClosed ?? null,
    ...(prev?.snoozedUntil && prev.snoozedUntil > now ? { snoozedUntil: prev.snoozedUntil } : {}),
  };
  const alert = prev?.alert;
  // A failing or stopped tenant flapping is one episode (core/episodes.ts); a mass
  // deactivation never "recovers" and each one is its own alert.
  const flapping = alert && alert.state !== "mass_deactivation" ? alert : null;
  const bad = ALERTING.has(h.state) && h.state !== "mass_deactivation";
  const step = episodeStep(
    {
      open: Boolean(flapping),
      goodSince: prev?.healthySince ?? null,
      closedAt: prev?.lastClosed?.at ?? null,
    },
    bad,
    now,
    deps.settings.debounce ?? DEFAULT_DEBOUNCE,
  );
  if (flapping && step === "continue") {
    // Bad again before it settled: the same alert, the same episode; nothing posted.
    return keep(deps, prev, base, flapping);
  }
  if (flapping && step === "settling" && recovered(flapping.state, h.state)) {
    base.healthySince = prev?.healthySince ?? now;
    return keep(deps, prev, base, flapping);
  }
  if (flapping && step === "recover" && recovered(flapping.state, h.state)) {
    // Once per episode: the recovery in the thread, and the alert edited to say resolved.
    const idp = (await tenantIdp(deps.descope, tenant.id)).idp;
    const [recovery] = await deps.outbox.send([
      {
        key: `tenant-recovered:${flapping.episode}`,
        kind: "tenant_recovered",
        to: { channel: flapping.channel },
        thread: flapping.ts,
        message: tenantRecoveredMessage({ tenantName: tenant.name, idp, at: h.lastOkAt ?? now }),
      },
      ...(prev?.dismissedBy
        ? []
        : [
            {
              kind: "tenant_alert_edit" as const,
              to: { channel: flapping.channel },
              edit: { ts: flapping.ts },
              message: tenantAlertClosed(
                { tenantName: tenant.name, state: flapping.state },
                { resolvedAt: now },
              ),
            },
          ]),
    ]);
    // Another process is settling this recovery; a failed one is tried next read.
    if (recovery?.status === "done") return;
    if (recovery?.status === "failed") throw recovery.error;
    base.alert = null;
    base.lastClosed = { ...flapping, at: now };
  }
  if (step === "reopen" && prev?.lastClosed) {
    // Relapsed soon after its recovery: the closed alert is the episode's, edited back open.
    const last = prev.lastClosed;
    base.alert = { episode: last.episode, channel: last.channel, ts: last.ts, state: h.state };
    base.lastClosed = null;
    const idp = (await tenantIdp(deps.descope, tenant.id)).idp;
    await deps.outbox.send([
      {
        kind: "tenant_alert_edit",
        to: { channel: last.channel },
        edit: { ts: last.ts },
        message: tenantAlertMessage(h, {
          tenantId: tenant.id,
          tenantName: tenant.name,
          idp,
          proof: null,
        }),
      },
    ]);
    deps.log.warn(
      { kind: "tenant_alert", tenant: tenant.id, state: h.state, episode: last.episode },
      `tenant ${tenant.id}: provisioning ${h.state.replace("_", " ")} again (same episode)`,
    );
    return keep(deps, prev, base, base.alert);
  }
  if (
    ALERTING.has(h.state) &&
    h.episode &&
    base.alert?.episode !== h.episode &&
    step !== "continue"
  ) {
    const snoozed = prev?.snoozedUntil !== undefined && prev.snoozedUntil > now;
    if (!channel || snoozed) {
      if (!channel)
        deps.log.warn(
          { kind: "tenant_health", tenant: tenant.id, state: h.state },
          "tenant provisioning alert has no channel (set SCIMWATCH_ALERT_CHANNEL or /scim alerts)",
        );
    } else {
      const episode = h.episode;
      const idp = (await tenantIdp(deps.descope, tenant.id)).idp;
      const proof =
        h.state !== "mass_deactivation" && deps.idpJob
          ? await deps.idpJob(tenant.id).catch(() => null)
          : null;
      const [sent] = await deps.outbox.send([
        {
          key: `tenant-alert:${episode}`,
          kind: `tenant_${h.state}` as Kind,
          to: { channel },
          message: tenantAlertMessage(h, {
            tenantId: tenant.id,
            tenantName: tenant.name,
            idp,
            proof,
          }),
        },
      ]);
      // Another process holds or sent this episode's alert: its record wins.
      if (sent?.status === "done") return;
      if (sent?.status === "failed") throw sent.error;
      if (sent?.status === "sent" || sent?.status === "found") {
        deps.log.warn(
          { kind: "tenant_alert", tenant: tenant.id, state: h.state, episode },
          `tenant ${tenant.id}: provisioning ${h.state.replace("_", " ")}`,
        );
        base.alert = { episode, channel, ts: sent.ts, state: h.state };
        base.lastClosed = null;
        delete base.dismissedBy;
      }
    }
  }
  return keep(deps, prev, base, base.alert ?? null);
}

/** Stores the record, keeping a dismissal of the alert that stays open. */
async function keep(
  deps: Pick<TenantWatchDeps, "tenantHealth">,
  prev: TenantHealthRecord | null,
  base: TenantHealthRecord,
  open: TenantHealthRecord["alert"],
): Promise<void> {
  base.alert = open ?? null;
  if (prev?.dismissedBy && base.alert && base.alert.episode === prev.alert?.episode)
    base.dismissedBy = prev.dismissedBy;
  await deps.tenantHealth.set(base);
}
