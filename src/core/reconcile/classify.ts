/**
 * The one decision of a reconciliation: which category each person falls
 * in, joining the IdP's scope for the app with Descope's users of the
 * tenant, and the fix for that category at that IdP. Pure; every answer
 * (Slack, CSV, `--json`, the orphan alert) is drawn from its rows.
 */
import { IDPS, type IdpId } from "../idp/catalog.js";
import { withinWindow } from "../window.js";
import {
  CATEGORIES,
  type Category,
  type Counts,
  type DescopePerson,
  descopeEnabled,
  emptyCounts,
  type IdpPerson,
  type ReconcileRow,
} from "./model.js";

export interface IdpScopeRead {
  idp: IdpId;
  appName: string;
  people: IdpPerson[];
}

export interface Reconciliation {
  rows: ReconcileRow[];
  counts: Counts;
  /** Without a connector: what one would add. */
  note?: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "enabled · SCIM · created 2026-11-02 · last sign-in 2026-12-01" */
export function descopeStateOf(d: DescopePerson | undefined): string {
  if (!d) return "not in Descope";
  const parts = [d.status || "unknown status", d.scim ? "SCIM" : "not SCIM-managed"];
  if (d.createdAt) parts.push(`created ${day(d.createdAt)}`);
  parts.push(d.lastSignInAt ? `last sign-in ${day(d.lastSignInAt)}` : "no sign-in seen");
  return parts.join(" · ");
}

function idpStateOf(p: IdpPerson | undefined, idpName: string, appName: string): string {
  if (!p) return `not in scope of ${appName} in ${idpName}`;
  const how =
    p.scope === "direct"
      ? "assigned directly"
      : p.scope === "group"
        ? p.via
          ? `assigned via group ${p.via}`
          : "assigned via a group"
        : p.scope === "all"
          ? "in scope (sync all users)"
          : p.scope === "nested"
            ? `only in nested group ${p.via ?? "?"} (not provisioned)`
            : `only in group ${p.via ?? "?"}, not security-enabled (not provisioned)`;
  const state = p.enabled === null ? "state not read" : p.enabled ? "enabled" : "disabled";
  const okta = [p.appStatus, p.syncState].filter(Boolean).join(" · ");
  return [how, state, okta].filter(Boolean).join(" · ");
}

/** The fix for a category, at this IdP, for this app. */
export function fixFor(
  category: Category,
  ctx: { idp: IdpId | null; appName: string; p?: IdpPerson | undefined; d?: DescopePerson },
): string {
  const idp = ctx.idp ? IDPS[ctx.idp] : null;
  const app = ctx.appName || "the Descope app";
  const assignGroup = idp ? idp.assignGroup.replace("[the Descope app]", app) : "";
  switch (category) {
    case "missing":
      if (ctx.p?.scope === "not_security")
        return `Group ${ctx.p.via ?? "?"} is not security-enabled: Entra provisions members of security groups only. Assign a security group that holds them (${assignGroup}).`;
      return ctx.idp === "azure"
        ? `In scope but not in Descope after the cycle window: check ${app} › Provisioning logs for this user, then ${IDPS.azure.pushNow.replace("[the Descope app]", app)}.`
        : ctx.idp === "okta"
          ? `Assigned but not in Descope: open ${app} › Assignments, check the user's provisioning status; a task under Dashboard › Tasks means the push failed (retry it).`
          : "In scope but not in Descope: check the IdP's provisioning log for this user.";
    case "orphaned":
      return ctx.idp === "okta"
        ? `Still enabled in Descope: unassign the user from ${app} (or remove them from the group assigned to it), and keep "Deactivate Users" on in ${app} › Provisioning › To App.`
        : `Still enabled in Descope: remove them from the group *assigned* to ${app} (not only from a role-mapped group), or unassign them; Entra then sends active=false on its next cycle. Or disable them in Descope now.`;
    case "state_mismatch":
      return `Disabled in Descope but enabled and in scope in ${idp?.name ?? "the IdP"}: the IdP does not re-enable users it did not disable. Enable them in Descope (Users › the user › Enable), or find who disabled them (Descope audit: UserModified).`;
    case "nested_only":
      return `Entra provisions only direct members of an assigned group: add them to ${ctx.p?.via?.split(" in ").at(-1) ?? "the assigned group"} directly, or assign ${ctx.p?.via?.split(" in ")[0] ?? "their group"} to ${app}.`;
    case "not_scim_managed":
      return `Created by sign-in (JIT) or by hand, so deprovisioning in the IdP never reaches them: have the IdP take them over (assign them, Entra/Okta match on userName), or remove them in Descope when they leave.`;
    case "pending":
      return `Assigned recently: ${idp?.cycle ?? "the IdP pushes on its own schedule."} Check again after the window.`;
    case "unverified":
      return "Descope's side only: connect the tenant's IdP (`/scim connect <tenant> entra|okta`) to tell whether they are still in scope.";
    case "in_sync":
      return "";
  }
}

/** Lower-cased identifiers a Descope user is known by. */
const namesOf = (d: DescopePerson) =>
  [...d.loginIds, ...(d.email ? [d.email] : [])].map((n) => n.toLowerCase());

export function reconcile(
  idpRead: IdpScopeRead | null,
  descope: DescopePerson[],
  o: { now: number; graceMinutes: number },
): Reconciliation {
  const counts = emptyCounts();
  const rows: ReconcileRow[] = [];
  const idp = idpRead?.idp ?? null;
  const appName = idpRead?.appName ?? "";
  const idpName = idp ? IDPS[idp].name : "the IdP";
  const add = (category: Category, loginId: string, p?: IdpPerson, d?: DescopePerson) => {
    counts[category]++;
    rows.push({
      loginId,
      category,
      idpState: idpRead ? idpStateOf(p, idpName, appName) : "no IdP connector",
      descopeState: descopeStateOf(d),
      fix: fixFor(category, { idp, appName, p, ...(d ? { d } : {}) }),
    });
  };

  const byName = new Map<string, DescopePerson>();
  for (const d of descope) for (const n of namesOf(d)) if (!byName.has(n)) byName.set(n, d);
  const matched = new Set<string>();

  for (const p of idpRead?.people ?? []) {
    const d = p.names.map((n) => byName.get(n.toLowerCase())).find(Boolean);
    if (d) matched.add(d.userId);
    const show = d?.loginIds[0] ?? p.loginId;
    const inScope = p.scope === "direct" || p.scope === "group" || p.scope === "all";
    if (p.scope === "nested") {
      add("nested_only", show, p, d);
      continue;
    }
    if (!d) {
      if (p.enabled === false) add("in_sync", show, p);
      else if (
        inScope &&
        p.since !== undefined &&
        idp &&
        withinWindow(p.since, idp, o.graceMinutes, o.now)
      )
        add("pending", show, p);
      else add("missing", show, p);
      continue;
    }
    const on = descopeEnabled(d);
    if (!d.scim) add(on ? "not_scim_managed" : "in_sync", show, p, d);
    else if (on && (!inScope || p.enabled === false)) add("orphaned", show, p, d);
    else if (!on && inScope && p.enabled !== false) add("state_mismatch", show, p, d);
    else add("in_sync", show, p, d);
  }

  for (const d of descope) {
    if (matched.has(d.userId)) continue;
    const show = d.loginIds[0] ?? d.email ?? d.userId;
    const on = descopeEnabled(d);
    if (!d.scim) add(on || !idpRead ? "not_scim_managed" : "in_sync", show, undefined, d);
    else if (!idpRead) add("unverified", show, undefined, d);
    else add(on ? "orphaned" : "in_sync", show, undefined, d);
  }

  const order = new Map(CATEGORIES.map((c, i) => [c, i]));
  rows.sort(
    (a, b) =>
      (order.get(a.category) ?? 0) - (order.get(b.category) ?? 0) ||
      a.loginId.localeCompare(b.loginId),
  );
  return {
    rows,
    counts,
    ...(idpRead
      ? {}
      : {
          note: "Descope's side only: no IdP connector for this tenant. With one (`/scim connect <tenant> entra|okta`), scimwatch also finds who is in scope but missing, and who left the IdP but is still enabled in Descope.",
        }),
  };
}
