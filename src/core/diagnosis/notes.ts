/**
 * Notes on the circumstances of a check, whatever its verdict: which tenant
 * when none could be told, and JIT rewriting what SCIM set. Pure.
 */
import type { AuditEvent, CheckFacts } from "./facts.js";

/** "2026-11-28 14:05 UTC" — for summaries. */
export const shortTime = (ms: number) =>
  `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** How soon after an SSO sign-in a modification is taken for JIT rewriting the user. */
const JIT_WINDOW_MS = 2 * 60_000;

/** The person a row is about: the Descope user ID, else its first login ID. */
const personOf = (e: AuditEvent) => e.userId || e.loginIds[0]?.toLowerCase() || "";

/**
 * The one JIT-rewrite rule: a user modification within two minutes after a
 * successful sign-in of the same person (a JIT sign-in rewriting what SCIM
 * set). One row per person, the newest; callers decide whether the tenant
 * has JIT on and the person is SCIM-managed.
 */
export function jitRewrites(events: AuditEvent[]): AuditEvent[] {
  const logins = events.filter((l) => l.action === "LoginSucceed");
  const byPerson = new Map<string, AuditEvent>();
  for (const m of events) {
    if (m.action !== "UserModified" || !personOf(m)) continue;
    const after = logins.some(
      (l) => personOf(l) === personOf(m) && m.at >= l.at && m.at - l.at <= JIT_WINDOW_MS,
    );
    const cur = byPerson.get(personOf(m));
    if (after && (!cur || cur.at < m.at)) byPerson.set(personOf(m), m);
  }
  return [...byPerson.values()];
}

export function contextNotes(facts: CheckFacts, events: AuditEvent[]): string[] {
  const out: string[] = [];
  if (!facts.tenant) {
    const several = facts.tenantCandidates ?? [];
    out.push(
      several.length
        ? `This person's audit rows name several tenants (${several.map((t) => (t.name ? `${t.name} (${t.id})` : t.id)).join(", ")}): add the tenant to the check for that tenant's IdP and steps.`
        : "Tenant unknown: no user record, audit row or tenant domain names one. Add the tenant to the check for its IdP and steps.",
    );
  }
  // JIT and SCIM both on: an SSO sign-in rewrites what SCIM set (Descope advises against both).
  const jitRewrite =
    facts.tenant?.jitDisabled === false && facts.user?.scim
      ? // The check's rows are all one person's, whichever identifier each carries.
        jitRewrites(events.map((e) => ({ ...e, userId: "person" }))).at(-1)
      : undefined;
  if (jitRewrite)
    out.push(
      `JIT and SCIM are both on for this tenant, and this SCIM-managed user was modified right after an SSO sign-in (${shortTime(jitRewrite.at)}): a JIT sign-in overwrites the roles SCIM set, so the roles (and this verdict) can flip between sign-ins and pushes. Descope advises turning JIT off when SCIM is the source of truth (the tenant's SSO settings › JIT provisioning).`,
    );
  return out;
}
