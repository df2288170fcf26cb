/**
 * Gathers the facts for one check from Descope: at most one audit search,
 * independent calls run concurrently. The audit events can come from another
 * source (the shared audit index) through `events`.
 */

import type {
  AuditEvent,
  CheckFacts,
  TenantFacts,
  TenantSource,
} from "../../core/diagnosis/facts.js";
import { UnknownTenantError } from "../../core/failure.js";
import type { IdpId } from "../../core/idp/catalog.js";
import type { IdpGuess } from "../../core/idp/infer.js";
import {
  AUDIT_HORIZON_MS,
  AUDIT_PAGE_SIZE,
  type DescopeClient,
  SCIM_AUDIT_ACTIONS,
} from "../../descope/client.js";
import { groupMappingsOf, toAuditEvent, toUserFacts } from "../../descope/events.js";
import { optional } from "../../descope/optional.js";
import { idpOf } from "../../descope/tenant-idp.js";
import { matchTenant, similarTenants } from "../../descope/tenants.js";
import { type FoundPerson, findElsewhere, loadUserAnyCase } from "./find-person.js";

export interface CheckRequest {
  loginId: string;
  /** Tenant ID or name, as the person typed it. */
  tenant?: string | undefined;
  idp?: IdpId | undefined;
  /** Epoch ms. */
  assignedAt?: number | undefined;
}

export interface EventsResult {
  events: AuditEvent[];
  asOf?: { source: "live" | "index"; at: number };
}

/** Where a check reads audit events from. */
export type EventsSource = (loginId: string, now: number, userId?: string) => Promise<EventsResult>;

const SIGN_IN_ACTIONS = ["LoginFailed", "LoginSucceed"] as const;
const SCIM_SIDE_ACTIONS = SCIM_AUDIT_ACTIONS.filter(
  (a) => !(SIGN_IN_ACTIONS as readonly string[]).includes(a),
);

/**
 * Live audit events for one person, 30 days back: one search whose `text`
 * filter matches the login ID wherever a row carries it (externalIds, or the
 * userName / emails the IdP sent in a SCIM call), newest first. Only when that
 * page comes back full, one more: whichever kind (SCIM and user rows, or
 * sign-ins) the first page crowded out, so neither can hide the other; SCIM
 * rows are then read oldest first, to find the create. `budgetWaitMs` is how
 * long a page may wait for the shared budget.
 */
export function liveEvents(
  client: DescopeClient,
  opts: { budgetWaitMs?: number } = {},
): EventsSource {
  // Live checks leave the tail its reserve of the audit budget.
  const wait = {
    priority: "check" as const,
    ...(opts.budgetWaitMs === undefined ? {} : { budgetWaitMs: opts.budgetWaitMs }),
  };
  return async (loginId, now) => {
    const range = { from: now - AUDIT_HORIZON_MS + 60_000, to: now, size: AUDIT_PAGE_SIZE };
    const first = await client.searchAudit(
      { ...range, text: loginId, actions: SCIM_AUDIT_ACTIONS, page: 0 },
      wait,
    );
    const events = first.audits.map((r) => toAuditEvent(r));
    if (first.audits.length >= AUDIT_PAGE_SIZE) {
      const signIns = events.filter((e) => isSignIn(e.action)).length;
      const oldest = Math.min(...events.map((e) => e.at));
      const second = await client.searchAudit(
        signIns >= events.length - signIns
          ? { ...range, text: loginId, actions: SCIM_SIDE_ACTIONS, page: 0, oldestFirst: true }
          : { ...range, to: oldest, text: loginId, actions: SIGN_IN_ACTIONS, page: 0 },
        wait,
      );
      const seen = new Set(events.map((e) => e.id));
      for (const r of second.audits) {
        const e = toAuditEvent(r);
        if (!seen.has(e.id)) {
          seen.add(e.id);
          events.push(e);
        }
      }
    }
    return { events, asOf: { source: "live", at: now } };
  };
}

function isSignIn(action: string): boolean {
  return (SIGN_IN_ACTIONS as readonly string[]).includes(action);
}

export async function gatherFacts(
  client: DescopeClient,
  req: CheckRequest,
  now: number,
  events: EventsSource = liveEvents(client),
): Promise<CheckFacts> {
  const [tenants, direct] = await Promise.all([
    req.tenant ? client.listTenants() : Promise.resolve(null),
    loadUserAnyCase(client, req.loginId),
  ]);
  const named = req.tenant && tenants ? matchTenant(tenants, req.tenant) : undefined;
  if (req.tenant && tenants && !named)
    throw new UnknownTenantError(req.tenant, similarTenants(tenants, req.tenant));
  const ev = await events(req.loginId, now, direct?.userId);
  // No user has the login ID: the person may exist under another identifier (issue #23).
  const found: FoundPerson = direct
    ? { user: direct, matchedBy: "login_id" }
    : await findElsewhere(client, req.loginId, ev.events, named?.id);
  // Still one audit search: the rows that name the typed identifier (its sign-ins, and the
  // SCIM rows whose userName or e-mails carry it) are the evidence either way.
  const user = found.user ? toUserFacts(found.user) : null;

  let tenantId: string | undefined;
  let tenantName: string | undefined;
  let tenantSource: TenantSource | null = null;
  let tenantCandidates: Array<{ id: string; name?: string | undefined }> | undefined;
  if (named) {
    tenantId = named.id;
    tenantName = named.name ?? undefined;
    tenantSource = "argument";
  } else if (user && user.tenants.length > 0) {
    const first = user.tenants[0];
    tenantId = first?.tenantId;
    tenantName = first?.tenantName;
    tenantSource = "user";
  }

  const unread: string[] = [];
  if (!tenantId) {
    // No tenant named and no user record: the tenants the person's audit rows name, else
    // the tenant whose domains match the e-mail's domain (tenant inference, issue #23).
    const all = await optional(client.listTenants(), {
      what: "The tenant list (to name the person's tenant)",
      into: unread,
    });
    const nameOf = (id: string) => all?.find((t) => t.id === id)?.name ?? undefined;
    const onRows = [...new Set(ev.events.flatMap((e) => e.tenants))];
    const domain = req.loginId.includes("@") ? req.loginId.split("@").pop()?.toLowerCase() : "";
    const byDomain = domain
      ? (all ?? []).filter((t) =>
          [...(t.domains ?? []), ...(t.selfProvisioningDomains ?? [])]
            .map((d) => d.toLowerCase())
            .includes(domain),
        )
      : [];
    if (onRows.length === 1) {
      tenantId = onRows[0];
      tenantName = nameOf(onRows[0] as string);
      tenantSource = "audit";
    } else if (onRows.length > 1) {
      tenantCandidates = onRows.map((id) => ({ id, name: nameOf(id) }));
    } else if (byDomain.length === 1) {
      tenantId = byDomain[0]?.id;
      tenantName = byDomain[0]?.name ?? undefined;
      tenantSource = "domain";
    }
  }
  const [sso, jit] = await Promise.all([
    tenantId
      ? optional(client.loadSsoSettings(tenantId), {
          what: "The tenant's SSO settings (IdP, group→role mappings)",
          into: unread,
        })
      : Promise.resolve(null),
    tenantId
      ? optional(client.loadJitDisabled(tenantId), {
          what: "The tenant's settings (JIT)",
          into: unread,
        })
      : Promise.resolve(null),
  ]);

  const tenant: TenantFacts | null = tenantId
    ? { id: tenantId, name: tenantName, jitDisabled: jit, groupMappings: groupMappingsOf(sso) }
    : null;

  const idp: IdpGuess = idpOf(
    sso,
    req.idp ? { idp: req.idp, reason: "named by the person asking" } : undefined,
  );

  return {
    loginId: req.loginId,
    projectId: client.projectId,
    tenant,
    tenantRequested: Boolean(req.tenant),
    tenantSource: tenantId ? tenantSource : null,
    ...(tenantCandidates ? { tenantCandidates } : {}),
    user,
    matchedBy: found.matchedBy,
    events: ev.events,
    idp,
    assignedAt: req.assignedAt ?? null,
    eventsAsOf: ev.asOf,
    unread,
  };
}
