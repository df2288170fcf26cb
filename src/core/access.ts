/** Who may see what. Pure. */
import type { AuditEvent, CheckFacts } from "./diagnosis/facts.js";

interface AccessConfig {
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
}

export interface ChannelLink {
  tenantId: string;
  tenantName: string;
}

export type Access =
  | { kind: "any"; why: "admin" | "support_channel" }
  | { kind: "tenant"; tenantId: string; tenantName: string }
  | { kind: "denied" };

/**
 * What members of another organisation (Slack Connect: a shared channel's
 * external members) may do: read answers (the default), nothing, or as much
 * as the channel's own members. SCIMWATCH_EXTERNAL_MEMBERS.
 */
export type ExternalPolicy = "read" | "none" | "full";

/** May an external member do this? `read`: see answers; `act`: change hires, alerts, settings. Pure. */
export function externalMay(policy: ExternalPolicy, what: "read" | "act"): boolean {
  return policy === "full" || (policy === "read" && what === "read");
}

export function decideAccess(
  cfg: AccessConfig,
  who: { userId: string; channelId: string },
  link: ChannelLink | null,
): Access {
  if (cfg.adminUsers.has(who.userId)) return { kind: "any", why: "admin" };
  if (cfg.supportChannels.has(who.channelId)) return { kind: "any", why: "support_channel" };
  if (link) return { kind: "tenant", ...link };
  return { kind: "denied" };
}

/**
 * May this person see or act on this expected hire from here? One rule for
 * /scim pending and forget, the checklist and alert buttons, and App Home:
 * anyone who may see every tenant; in a channel scoped to a tenant, that
 * tenant's hires only; elsewhere (App Home, a channel without access), the
 * hires they registered, or those whose alerts this channel was chosen for.
 * Where a message sits grants nothing by itself.
 */
export function hireAllowed(
  access: Access,
  hire: { tenantId: string; registeredBy: string },
  who: { userId: string; channelId: string },
  alertChannelOfTenant?: string,
): boolean {
  return (
    tenantAllowed(access, hire.tenantId, who, alertChannelOfTenant) ||
    (access.kind === "denied" && hire.registeredBy === who.userId)
  );
}

/**
 * May this person act on a tenant's alert from here? Anyone who may see
 * every tenant; a channel scoped to that tenant; or the channel chosen for
 * that tenant's alerts. The same rule as hires, without "registered it".
 */
export function tenantAllowed(
  access: Access,
  tenantId: string,
  who: { userId: string; channelId: string },
  alertChannelOfTenant?: string,
): boolean {
  if (access.kind === "any") return true;
  if (access.kind === "tenant") return access.tenantId === tenantId;
  return alertChannelOfTenant !== undefined && alertChannelOfTenant === who.channelId;
}

/** Whether a tenant the person typed is the linked one (by ID or name). No lookup: reveals nothing. */
export function namesLinkedTenant(link: ChannelLink, typed: string): boolean {
  const t = typed.trim().toLowerCase();
  return t === link.tenantId.toLowerCase() || t === link.tenantName.toLowerCase();
}

/**
 * Narrows facts to one tenant, so a tenant-scoped channel learns nothing about
 * other tenants: a user who is not in the tenant is treated as absent there,
 * and only events tagged with the tenant are kept.
 */
export function scopeFacts(facts: CheckFacts, tenantId: string): CheckFacts {
  const inTenant = facts.user?.tenants.some((t) => t.tenantId === tenantId) ?? false;
  const user =
    facts.user && inTenant
      ? {
          ...facts.user,
          tenants: facts.user.tenants.filter((t) => t.tenantId === tenantId),
          projectRoles: [],
        }
      : null;
  const events: AuditEvent[] = facts.events.filter((e) => e.tenants.includes(tenantId));
  return {
    ...facts,
    user,
    matchedBy: user ? facts.matchedBy : null,
    events,
    tenantRequested: true,
  };
}
