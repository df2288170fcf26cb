/**
 * Where a verdict is decided. Pure: `diagnose(facts, now)` reads plain data
 * and returns the verdict, a one-line summary, the evidence it rests on and
 * what to do, for the tenant's IdP.
 */

import * as z from "zod";
import { IDPS } from "../idp/catalog.js";
import { CAUSES, idpSideSchema } from "../idp-side/model.js";
import { descopeUserLink } from "../links.js";
import { DEFAULT_GRACE_MINUTES, expectedBy, withinWindow } from "../window.js";
import { eventText, evidenceEvents, userRecordText } from "./evidence.js";
import {
  type AuditEvent,
  type CheckFacts,
  classifyScim,
  concerns,
  MATCHED_BY,
  TENANT_SOURCES,
} from "./facts.js";
import { signInsAs } from "./identity.js";
import { contextNotes, shortTime } from "./notes.js";
import { presenceOf } from "./presence.js";
import { type RemediationContext, remediationFor } from "./remediation.js";
import { VERDICTS, type Verdict } from "./verdicts.js";

/**
 * What Descope's side alone can only guess about someone never pushed; an IdP
 * connector that decided replaces it with what it proved (features/check/service.ts).
 */
export const UNPROVEN_WHY =
  " They are not assigned to the app (directly or through a group), or its cycle has not run yet.";

/**
 * A diagnosis, as answered and as stored for "Share in channel": the type
 * comes from the schema, so the two cannot drift.
 */
export const diagnosisSchema = z.object({
  verdict: z.enum(VERDICTS),
  loginId: z.string(),
  tenantId: z.string().nullable(),
  tenantName: z.string().nullable(),
  summary: z.string(),
  /** `at` is ISO-8601 UTC. */
  evidence: z.array(z.object({ at: z.string(), text: z.string() })),
  remediation: z.array(z.string()),
  /** Caveats worth reading (e.g. SCIM audit logging may be off). */
  notes: z.array(z.string()),
  idp: z.object({ id: z.string(), name: z.string(), reason: z.string() }),
  /** Set when the audit events came from the shared index rather than a live search. */
  eventsAsOf: z.string().nullable(),
  checkedAt: z.string(),
  /** The IdP's side, from a read-only connector: why, proven there (null without a connector). */
  cause: z.enum(CAUSES).nullable().default(null),
  idpSide: idpSideSchema.nullable().default(null),
  /** Pages to open in the consoles for this person: the IdP's (from its side) and Descope's (core/links.ts). */
  links: z.array(z.object({ label: z.string(), url: z.string() })).default([]),
  /** Where the tenant came from (argument, user, audit, domain), or null when it is unknown. */
  tenantSource: z.enum(TENANT_SOURCES).nullable().default(null),
  /** How the Descope user was found (login_id, email, scim_user_name), or null when none was. */
  matchedBy: z.enum(MATCHED_BY).nullable().default(null),
  /** The login IDs of the Descope user answered about (empty when there is none). */
  descopeLoginIds: z.array(z.string()).default([]),
});
export type Diagnosis = z.infer<typeof diagnosisSchema>;
export type Evidence = Diagnosis["evidence"][number];

const iso = (ms: number) => new Date(ms).toISOString();

function minutes(ms: number): number {
  return Math.max(0, Math.round(ms / 60_000));
}

export function diagnose(facts: CheckFacts, now: number): Diagnosis {
  const idp = IDPS[facts.idp.idp];
  const u = facts.user;
  // Found under another identifier: its rows count too, and the answer names it.
  const aka =
    u && facts.matchedBy && facts.matchedBy !== "login_id" ? (u.loginIds[0] ?? u.userId) : null;
  const ids = [facts.loginId, ...(aka ? (u?.loginIds ?? []) : [])];
  const events = facts.events
    .filter((e) => ids.some((id) => concerns(e, id, u?.userId)))
    .sort((a, b) => a.at - b.at);
  const scim = events.filter((e) => e.action === "SCIMEvent");
  const scimErrors = scim.filter((e) => e.error);
  const failedLogins = events.filter((e) => e.action === "LoginFailed");
  const deletions = events.filter((e) => e.action === "UserDeleted");
  const tenantName = facts.tenant ? (facts.tenant.name ?? facts.tenant.id) : null;
  const who = aka ? `${facts.loginId} (login ID ${aka})` : facts.loginId;
  const where = tenantName ? ` in ${tenantName}` : "";
  const notes: string[] = [];
  const noScimRowsNote =
    "No SCIMEvent rows is not proof on its own: they exist only when SCIM audit logging is enabled for the project/tenant.";

  let verdict: Verdict;
  let summary: string;
  const ctx: RemediationContext = {
    loginId: who,
    tenantName,
    idp,
    lastError: scimErrors.at(-1)?.error,
    mappings: facts.tenant?.groupMappings ?? [],
    jitDisabled: facts.tenant?.jitDisabled ?? null,
    dueAt: null,
    descopeLoginId: null,
  };

  // The IdP's own removal: the newest successful SCIM delete, or a deletion after it deactivated them.
  const deactivated = scim.some((e) => !e.error && classifyScim(e) === "deactivate");
  const removal =
    scim.filter((e) => !e.error && classifyScim(e) === "delete").at(-1) ??
    (deactivated ? deletions.at(-1) : undefined);
  const presence = presenceOf(u, events, facts.tenantRequested ? (facts.tenant?.id ?? null) : null);
  const grace = facts.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  if (u) {
    const inTenant = facts.tenant
      ? u.tenants.find((t) => t.tenantId === facts.tenant?.id)
      : undefined;
    if (presence.presence === "other_tenant") {
      verdict = "other_tenant";
      summary = `${who} exists in Descope, but not in ${tenantName}: the IdP connected to ${tenantName} did not push them there (check the login ID and the tenant).`;
    } else if (presence.presence === "disabled") {
      verdict = "deprovisioned";
      const deactivation = scim.filter((e) => e.active === false && !e.error).at(-1);
      summary = deactivation
        ? `${who} exists${where} but is disabled: ${idp.name} deactivated them over SCIM (active=false) at ${shortTime(deactivation.at)}, which usually means they were removed from the group assigned to the app.`
        : `${who} exists${where} but is disabled: deactivated by the IdP over SCIM (usually removal from the assigned group) or by hand.`;
    } else if (aka && signInsAs(facts.loginId, events).lastFailed) {
      verdict = "identifier_mismatch";
      const failed = signInsAs(facts.loginId, events).failed;
      const last = failed.at(-1) as AuditEvent;
      ctx.descopeLoginId = aka;
      summary = `${facts.loginId} cannot sign in (${failed.length} failed sign-in${failed.length > 1 ? "s" : ""}, last at ${shortTime(last.at)}), but Descope has this person${where} under another login ID, ${aka} (found by ${facts.matchedBy === "email" ? "its e-mail" : `the userName ${idp.name} sent over SCIM`}): SSO sends ${facts.loginId} as the identifier (NameID or e-mail claim) while SCIM provisioned userName ${aka}.`;
    } else if (presence.presence === "not_scim_managed") {
      verdict = "not_scim_managed";
      summary = `${who} exists${where} but shows no sign of SCIM: no SCIM flag and no SCIMEvent in the last 30 days. The user was created by hand, by a JIT sign-in or through the API, so ${idp.name} does not manage them.`;
      notes.push(
        `${noScimRowsNote} The user's SCIM flag is not set either, which SCIM creation would have set.`,
      );
    } else {
      const roles = inTenant
        ? inTenant.roleNames
        : [...u.projectRoles, ...u.tenants.flatMap((t) => t.roleNames)];
      const mapsGroups = (facts.tenant?.groupMappings.length ?? 0) > 0;
      if (roles.length === 0 && mapsGroups) {
        verdict = "provisioned_no_roles";
        summary = `${who} was provisioned${where} by SCIM, but has no role there although ${tenantName ?? "the tenant"} maps IdP groups to roles: none of the groups ${idp.name} sends for them is a mapped one. Group mapping is not provisioning.`;
      } else {
        verdict = "provisioned";
        summary = `${who} is provisioned${where}: SCIM-managed, enabled${roles.length ? `, roles: ${roles.join(", ")}` : ""}.`;
      }
    }
  } else if (removal) {
    verdict = "deleted_by_idp";
    summary = `${who} is not in Descope because ${idp.name} removed them over SCIM on ${shortTime(removal.at)}${deactivated ? " (it deactivated them first, then deleted them)" : " (a SCIM delete)"}: they were provisioned before, and left the app's scope (removed from the assigned group, unassigned, or deleted in ${idp.name}).`;
  } else if (scimErrors.length > 0) {
    verdict = "scim_error";
    const last = scimErrors.at(-1) as AuditEvent;
    summary = `${idp.name} tried to push ${who} (${scimErrors.length} failed SCIM call${scimErrors.length > 1 ? "s" : ""}, last at ${shortTime(last.at)}) but Descope rejected it: ${last.error}.`;
  } else if (
    facts.assignedAt !== null &&
    withinWindow(facts.assignedAt, facts.idp.idp, grace, now)
  ) {
    verdict = "pending_cycle";
    const due = expectedBy(facts.assignedAt, facts.idp.idp, grace);
    ctx.dueAt = due;
    summary = `${who} is not in Descope yet, but ${idp.name}'s window has not passed: assigned at ${shortTime(facts.assignedAt)}, expected by ${shortTime(due)} (in ${minutes(due - now)} min).`;
  } else if (failedLogins.length > 0) {
    verdict = "sso_without_scim";
    const last = failedLogins.at(-1) as AuditEvent;
    summary = `${who} tried to sign in (${failedLogins.length} failed sign-in${failedLogins.length > 1 ? "s" : ""}, last at ${shortTime(last.at)}) but was never provisioned: ${idp.name} authenticates them, yet never pushed them over SCIM. SSO and SCIM likely use different apps, or they are not in the provisioned group.`;
    notes.push(
      noScimRowsNote,
      "But no user record exists either, so the IdP has not created this user.",
    );
  } else {
    verdict = "not_provisioned";
    summary = `${who} is not in Descope: ${idp.name} never pushed them in the last 30 days.${UNPROVEN_WHY}`;
    notes.push(
      noScimRowsNote,
      "But no user record exists either, so the IdP has not created this user.",
    );
  }

  if (!u && deletions.length > 0) {
    notes.push(
      `A user with this login ID was deleted from Descope at ${shortTime((deletions.at(-1) as AuditEvent).at)}.`,
    );
  }
  if (!u && scim.length > 0 && scimErrors.length === 0) {
    notes.push(
      `${scim.length} SCIM call(s) for this login ID succeeded without leaving a user (for example a look-up before a create).`,
    );
  }
  if (facts.tenant?.jitDisabled === false && verdict === "not_provisioned") {
    notes.push(
      "JIT is enabled for this tenant: a first SSO sign-in would create the user without SCIM.",
    );
  }
  if (aka && verdict !== "identifier_mismatch") {
    notes.push(
      `No Descope user has the login ID ${facts.loginId}; this is the user found by ${facts.matchedBy === "email" ? "its e-mail" : "the userName the IdP sent over SCIM"}, login ID ${aka}.`,
    );
  }
  notes.push(...contextNotes(facts, events));
  for (const u of facts.unread ?? []) notes.push(`${u}; this answer goes without it.`);
  if (facts.eventsAsOf?.source === "index") {
    notes.push(
      `Audit events as of ${shortTime(facts.eventsAsOf.at)} (from the shared audit index).`,
    );
  }

  const evidence: Evidence[] = [];
  if (aka) evidence.push({ at: iso(now), text: `No Descope user with login ID ${facts.loginId}` });
  if (u) {
    evidence.push({ at: iso(u.createdAt ?? now), text: userRecordText(u) });
  } else {
    evidence.push({ at: iso(now), text: `No Descope user with login ID ${who}` });
  }
  if (facts.assignedAt !== null) {
    evidence.push({ at: iso(facts.assignedAt), text: `Assigned in ${idp.name} (as stated)` });
  }
  const shown = evidenceEvents(events);
  if (events.length > shown.length) {
    evidence.push({
      at: iso((events[0] as AuditEvent).at),
      text: `${events.length - shown.length} other audit event(s) not shown`,
    });
  }
  for (const e of shown) evidence.push({ at: iso(e.at), text: eventText(e, idp) });
  if (events.length === 0) {
    evidence.push({
      at: iso(now),
      text: "No SCIM, sign-in or user audit events for this login ID in the last 30 days",
    });
  }
  evidence.sort((a, b) => a.at.localeCompare(b.at));

  return {
    verdict,
    loginId: facts.loginId,
    tenantId: facts.tenant?.id ?? null,
    tenantName,
    summary,
    evidence,
    remediation: remediationFor(verdict, ctx),
    notes,
    idp: { id: idp.id, name: idp.name, reason: facts.idp.reason },
    eventsAsOf: facts.eventsAsOf ? iso(facts.eventsAsOf.at) : null,
    checkedAt: iso(now),
    cause: null,
    idpSide: null,
    links: facts.projectId ? [descopeUserLink(facts.projectId, facts.loginId)] : [],
    tenantSource: facts.tenant
      ? (facts.tenantSource ?? (facts.tenantRequested ? "argument" : "user"))
      : null,
    matchedBy: u ? (facts.matchedBy ?? "login_id") : null,
    descopeLoginIds: u?.loginIds ?? [],
  };
}
