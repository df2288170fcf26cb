/**
 * Where a hire's state is decided. Pure: from the hire record and what
 * Descope shows (user record, audit events), which items are ticked, whether
 * the hire is overdue, and the status line.
 */
import { type AuditEvent, concerns, type UserFacts } from "../diagnosis/facts.js";
import { presenceOf } from "../diagnosis/presence.js";
import { BLOCKING, type Cause } from "../idp-side/model.js";
import { expectedBy } from "../window.js";
import type { Hire } from "./model.js";

type HireStatus =
  | "waiting"
  | "overdue"
  | "scim_error"
  | "provisioned"
  /** In Descope, but not by SCIM (by hand, a JIT sign-in): present, not provisioned. */
  | "not_scim_managed"
  | "complete"
  | "deprovisioned"
  /** Never completed within the horizon: scimwatch stopped watching (hire.closedAt). */
  | "closed"
  /** The IdP's side proved they cannot arrive as things stand (not assigned, nested group…). */
  | "will_not_arrive";

export interface HireView {
  hire: Hire;
  status: HireStatus;
  dueAt: number;
  /** Minutes late, when provisioned after the due time. */
  lateMinutes: number | null;
}

interface HireObservation {
  user: UserFacts | null;
  events: AuditEvent[];
  /** Latest successful sign-in (epoch ms), from the index. */
  lastSignIn: number | null;
}

/** When the hire is due: the one window rule (diagnosis/window.ts). */
/** How long an IdP's initial cycle is given before a hire counts as missing (it can take hours). */
const INITIAL_CYCLE_MS = 24 * 3_600_000;

/**
 * When the hire is due: the one window rule (core/window.ts), pushed later when
 * the IdP's connector tells a later next cycle (Entra's job state), plus the
 * grace. During an initial cycle (hours by design) a day more.
 */
export function dueAt(hire: Hire, graceMinutes: number): number {
  const window = expectedBy(hire.assignedAt, hire.idp, graceMinutes);
  const next = hire.idpNextCycle;
  if (next?.kind === "initial") return window + INITIAL_CYCLE_MS;
  if (next?.kind === "at" && next.at !== null)
    return Math.max(window, next.at + graceMinutes * 60_000);
  return window;
}

/** Applies an observation to a hire: items only ever get ticked, never unticked (except on deprovisioning). */
export function observe(hire: Hire, obs: HireObservation, now: number): Hire {
  const mine = obs.events.filter(
    (e) =>
      concerns(e, hire.loginId, obs.user?.userId) &&
      (e.tenants.length === 0 || e.tenants.includes(hire.tenantId)),
  );
  const scimErr = mine
    .filter((e) => e.action === "SCIMEvent" && e.error)
    .sort((a, b) => a.at - b.at);
  const inTenant = obs.user?.tenants.find((t) => t.tenantId === hire.tenantId);
  // The same "provisioned?" rule as /scim check (diagnosis/presence.ts).
  const presence = presenceOf(obs.user, mine, hire.tenantId);
  const enabled = presence.presence === "provisioned" || presence.presence === "not_scim_managed";
  const items = structuredClone(hire.items);

  if (!items.provisioned.at && presence.presence === "provisioned") {
    items.provisioned = { at: presence.since ?? now, by: "descope" };
  }
  if (items.provisioned.at && !items.assigned.at)
    items.assigned = { at: items.provisioned.at, by: "descope" };
  if (!items.roles.at && inTenant && inTenant.roleNames.length > 0) {
    items.roles = {
      at: Math.max(items.provisioned.at ?? 0, obs.user?.createdAt ?? 0) || now,
      by: "descope",
    };
  }
  const signIn = Math.max(
    obs.lastSignIn ?? 0,
    ...mine.filter((e) => e.action === "LoginSucceed").map((e) => e.at),
  );
  if (!items.signedIn.at && signIn > 0 && (enabled || items.provisioned.at))
    items.signedIn = { at: signIn, by: "descope" };

  return {
    ...hire,
    items,
    scimError: items.provisioned.at ? null : (scimErr.at(-1)?.error ?? hire.scimError),
    deprovisioned: presence.presence === "disabled",
    notScimManaged: !items.provisioned.at && presence.presence === "not_scim_managed",
    descopeLoginId: descopeLoginIdOf(hire, obs.user) ?? hire.descopeLoginId,
  };
}

/** The user's login ID when it is not the hire's own (the user was found under another identifier). */
function descopeLoginIdOf(hire: Hire, user: HireObservation["user"]): string | null {
  if (!user) return null;
  const mine = hire.loginId.toLowerCase();
  return user.loginIds.some((l) => l.toLowerCase() === mine) ? null : (user.loginIds[0] ?? null);
}

export function hireState(hire: Hire, now: number, graceMinutes: number): HireView {
  const due = dueAt(hire, graceMinutes);
  const p = hire.items.provisioned.at;
  let status: HireStatus;
  if (hire.deprovisioned) status = "deprovisioned";
  else if (p && hire.items.roles.at && hire.items.signedIn.at) status = "complete";
  else if (hire.closedAt) status = "closed";
  else if (p) status = "provisioned";
  else if (hire.notScimManaged) status = "not_scim_managed";
  else if (hire.scimError) status = "scim_error";
  // The IdP's proof is the hire's state too: the checklist, App Home and /scim pending say what
  // the alert says, from the moment it is proven.
  else if (hire.idpCause && BLOCKING.has(hire.idpCause as Cause)) status = "will_not_arrive";
  else if (now > due) status = "overdue";
  else status = "waiting";
  return {
    hire,
    status,
    dueAt: due,
    lateMinutes: p && p > due ? Math.round((p - due) / 60_000) : null,
  };
}

const MISSING: HireStatus[] = ["overdue", "scim_error", "will_not_arrive"];

/** Whether the overdue alert is owed now (never sent, not dismissed). */
export function alertOwed(v: HireView, now: number): boolean {
  return MISSING.includes(v.status) && now > v.dueAt && !v.hire.alert && !v.hire.dismissed;
}

/** Whether a snoozed alert's hour is up while the hire is still missing: remind in its thread. */
export function reminderOwed(v: HireView, now: number): boolean {
  const h = v.hire;
  return (
    MISSING.includes(v.status) &&
    Boolean(h.alert) &&
    !h.dismissed &&
    h.snoozedUntil !== null &&
    h.snoozedUntil <= now
  );
}

/** Whether an alert was sent and the hire has arrived since: the alert should say "resolved". */
export function resolutionOwed(v: HireView): boolean {
  return Boolean(v.hire.alert && !v.hire.alert.resolvedAt && v.hire.items.provisioned.at);
}
