/**
 * The one "provisioned?" rule, used by /scim check, the checklist, the alerts
 * and the App Home alike. Provisioned means: a Descope user in the tenant,
 * enabled, and brought there by SCIM (Descope's SCIM flag, or a successful
 * SCIM call from the IdP). A user who is there without SCIM (by hand, a JIT
 * sign-in, the API) is present but not provisioned: the IdP does not manage
 * them. Pure.
 */
import type { AuditEvent, UserFacts } from "./facts.js";

type Presence =
  /** In the tenant, enabled, SCIM-managed. */
  | "provisioned"
  /** In the tenant, enabled, but not by SCIM. */
  | "not_scim_managed"
  /** In the tenant, disabled (deprovisioned). */
  | "disabled"
  /** A Descope user exists, but not in this tenant. */
  | "other_tenant"
  /** No Descope user. */
  | "absent";

interface PresenceResult {
  presence: Presence;
  /** When the person was provisioned (first successful SCIM call, else the user's creation). */
  since: number | null;
}

/**
 * `events` are the person's own (see `concerns`); `tenantId` null means any
 * tenant the user is in.
 */
export function presenceOf(
  user: UserFacts | null,
  events: AuditEvent[],
  tenantId: string | null,
): PresenceResult {
  if (!user) return { presence: "absent", since: null };
  const inTenant = tenantId ? user.tenants.some((t) => t.tenantId === tenantId) : true;
  if (!inTenant) return { presence: "other_tenant", since: null };
  if (user.status === "disabled") return { presence: "disabled", since: null };
  const scimOk = events
    .filter((e) => e.action === "SCIMEvent" && !e.error)
    .map((e) => e.at)
    .sort((a, b) => a - b);
  if (!user.scim && scimOk.length === 0) return { presence: "not_scim_managed", since: null };
  const candidates = [scimOk[0], user.createdAt ?? undefined].filter(
    (x): x is number => typeof x === "number",
  );
  return { presence: "provisioned", since: candidates.length ? Math.min(...candidates) : null };
}
