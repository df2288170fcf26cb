/**
 * Identity resolution against Descope: the one place that decides which
 * Descope user a typed identifier means. By login ID (as typed, then
 * lower-cased); when no user has it, by e-mail (one user search), then by the
 * userName / user ID on the IdP's own SCIM rows naming the person. Used by
 * the check, the "signed in but never provisioned" alert and /scim activity.
 */
import type { AuditEvent, MatchedBy } from "../../core/diagnosis/facts.js";
import { scimAliases } from "../../core/diagnosis/identity.js";
import type { DescopeClient } from "../../descope/client.js";
import type { DescopeUser } from "../../descope/schemas.js";

export interface FoundPerson {
  user: DescopeUser | null;
  /** Null when no user was found. */
  matchedBy: MatchedBy | null;
}

/**
 * Loads a user by login ID as typed, then lower-cased: login IDs compare
 * case-insensitively, whichever way Descope stored and matches them.
 */
export async function loadUserAnyCase(client: DescopeClient, loginId: string) {
  const user = await client.loadUser(loginId);
  const lower = loginId.toLowerCase();
  return user ?? (lower !== loginId ? client.loadUser(lower) : null);
}

/** Whether the user's e-mail is this one (e-mails compare case-insensitively). */
export function hasEmail(u: DescopeUser, email: string): boolean {
  return u.email?.toLowerCase() === email.toLowerCase();
}

/** Several users with one e-mail: the one in the tenant asked about, enabled first. */
export function preferredUser(
  users: DescopeUser[],
  tenantId: string | undefined,
): DescopeUser | undefined {
  const rank = (u: DescopeUser) =>
    (tenantId && u.userTenants.some((t) => t.tenantId === tenantId) ? 0 : 2) +
    (u.status === "disabled" ? 1 : 0);
  return [...users].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * The person when no user has the typed login ID (see the module comment).
 * `events` are audit rows already read for the typed identifier: their SCIM
 * rows cost no further search. At most three management calls.
 */
export async function findElsewhere(
  client: DescopeClient,
  typed: string,
  events: AuditEvent[],
  tenantId?: string,
): Promise<FoundPerson> {
  if (typed.includes("@")) {
    const emails = [...new Set([typed, typed.toLowerCase()])];
    const { users } = await client.searchUsers({ emails, limit: 10 });
    const hit = preferredUser(
      users.filter((u) => hasEmail(u, typed)),
      tenantId,
    );
    if (hit) return { user: hit, matchedBy: "email" };
  }
  const aliases = scimAliases(typed, events);
  for (const userId of aliases.userIds.slice(0, 1)) {
    const user = await client.loadUserById(userId);
    if (user) return { user, matchedBy: "scim_user_name" };
  }
  for (const loginId of aliases.loginIds.slice(0, 1)) {
    const user = await loadUserAnyCase(client, loginId);
    if (user) return { user, matchedBy: "scim_user_name" };
  }
  return { user: null, matchedBy: null };
}

/** By login ID, else elsewhere: the whole resolution for callers without audit rows at hand. */
export async function findPerson(
  client: DescopeClient,
  typed: string,
  events: AuditEvent[] = [],
  tenantId?: string,
): Promise<FoundPerson> {
  const user = await loadUserAnyCase(client, typed);
  return user ? { user, matchedBy: "login_id" } : findElsewhere(client, typed, events, tenantId);
}
