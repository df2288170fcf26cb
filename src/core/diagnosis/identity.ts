/**
 * Identity resolution, the pure part: which other identifiers the IdP's own
 * SCIM rows give a person, and whether their sign-ins with the identifier
 * asked about fail. The adapter that loads the users is
 * features/check/find-person.ts.
 */
import { type AuditEvent, concerns } from "./facts.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The login IDs and Descope user IDs on the successful SCIM rows that name
 * `typed` (in the userName or e-mails the IdP sent), newest first: the
 * identifiers under which the IdP provisioned that person.
 */
export function scimAliases(
  typed: string,
  events: AuditEvent[],
): { loginIds: string[]; userIds: string[] } {
  const loginIds: string[] = [];
  const userIds: string[] = [];
  const rows = events
    .filter((e) => e.action === "SCIMEvent" && !e.error && concerns(e, typed))
    .sort((a, b) => b.at - a.at);
  for (const e of rows) {
    for (const l of e.loginIds) {
      if (!same(l, typed) && !loginIds.some((x) => same(x, l))) loginIds.push(l);
    }
    if (e.userId && !userIds.includes(e.userId)) userIds.push(e.userId);
  }
  return { loginIds, userIds };
}

/**
 * Sign-ins made with `typed` itself (not the user's other login IDs), oldest
 * first, and whether the last of them failed: the person tries that
 * identifier and Descope does not take it.
 */
export function signInsAs(
  typed: string,
  events: AuditEvent[],
): { failed: AuditEvent[]; lastFailed: boolean } {
  const mine = events
    .filter(
      (e) =>
        (e.action === "LoginFailed" || e.action === "LoginSucceed") &&
        e.loginIds.some((l) => same(l, typed)),
    )
    .sort((a, b) => a.at - b.at);
  return {
    failed: mine.filter((e) => e.action === "LoginFailed"),
    lastFailed: mine.at(-1)?.action === "LoginFailed",
  };
}
