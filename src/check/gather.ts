/**
 * Gathers the facts for one check from Descope: at most one audit search,
 * independent calls run concurrently. The audit events can come from another
 * source (the shared audit index) through `events`.
 */
import { AUDIT_HORIZON_MS, type DescopeClient, SCIM_AUDIT_ACTIONS } from "../descope/client.js";
import { DescopeError } from "../descope/errors.js";
import { groupMappingsOf, ssoEndpointsOf, toAuditEvent, toUserFacts } from "../descope/events.js";
import type { DescopeTenant } from "../descope/schemas.js";
import type { AuditEvent, CheckFacts, TenantFacts } from "../diagnosis/facts.js";
import type { IdpId } from "../idp/catalog.js";
import { type IdpGuess, inferIdp } from "../idp/infer.js";

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

/**
 * One live audit search for one login ID: all the actions a diagnosis needs,
 * 30 days back. `budgetWaitMs` is how long it may wait for the shared budget.
 */
export function liveEvents(
  client: DescopeClient,
  opts: { budgetWaitMs?: number } = {},
): EventsSource {
  return async (loginId, now) => {
    const { audits } = await client.searchAudit(
      {
        loginIds: [loginId],
        actions: SCIM_AUDIT_ACTIONS,
        from: now - AUDIT_HORIZON_MS + 60_000,
        to: now,
        size: 1000,
        page: 0,
      },
      opts.budgetWaitMs === undefined ? {} : { budgetWaitMs: opts.budgetWaitMs },
    );
    return { events: audits.map(toAuditEvent), asOf: { source: "live", at: now } };
  };
}

export class UnknownTenantError extends Error {
  override readonly name = "UnknownTenantError";
  constructor(readonly tenant: string) {
    super(`unknown tenant: ${tenant} (no tenant has this ID or name)`);
  }
}

/** Finds a tenant by exact ID, else by case-insensitive name. */
export function matchTenant(tenants: DescopeTenant[], idOrName: string): DescopeTenant | undefined {
  const key = idOrName.trim();
  return (
    tenants.find((t) => t.id === key) ??
    tenants.find((t) => (t.name ?? "").toLowerCase() === key.toLowerCase())
  );
}

/** Settings that only enrich a diagnosis: a plain 4xx from Descope leaves them out. */
export async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof DescopeError && e.code === "descope_error") return null;
    throw e;
  }
}

export async function gatherFacts(
  client: DescopeClient,
  req: CheckRequest,
  now: number,
  events: EventsSource = liveEvents(client),
): Promise<CheckFacts> {
  const [tenants, descopeUser] = await Promise.all([
    req.tenant ? client.listTenants() : Promise.resolve(null),
    client.loadUser(req.loginId),
  ]);
  const user = descopeUser ? toUserFacts(descopeUser) : null;

  let tenantId: string | undefined;
  let tenantName: string | undefined;
  if (req.tenant && tenants) {
    const t = matchTenant(tenants, req.tenant);
    if (!t) throw new UnknownTenantError(req.tenant);
    tenantId = t.id;
    tenantName = t.name ?? undefined;
  } else if (user && user.tenants.length > 0) {
    const first = user.tenants[0];
    tenantId = first?.tenantId;
    tenantName = first?.tenantName;
  }

  const [ev, sso, jit] = await Promise.all([
    events(req.loginId, now, user?.userId),
    tenantId ? optional(client.loadSsoSettings(tenantId)) : Promise.resolve(null),
    tenantId ? optional(client.loadJitDisabled(tenantId)) : Promise.resolve(null),
  ]);

  const tenant: TenantFacts | null = tenantId
    ? { id: tenantId, name: tenantName, jitDisabled: jit, groupMappings: groupMappingsOf(sso) }
    : null;

  const idp: IdpGuess = req.idp
    ? { idp: req.idp, reason: "named by the person asking" }
    : inferIdp(ssoEndpointsOf(sso));

  return {
    loginId: req.loginId,
    tenant,
    tenantRequested: Boolean(req.tenant),
    user,
    events: ev.events,
    idp,
    assignedAt: req.assignedAt ?? null,
    eventsAsOf: ev.asOf,
  };
}
