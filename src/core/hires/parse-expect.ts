/** Parses `/scim expect …` and the modal's list of emails. Pure. */

import { type IdpId, parseIdp } from "../idp/catalog.js";
import { loginIdProblem, MAX_LOGIN_ID, showInvisible } from "../login-id.js";
import { parseWhen, whenProblem } from "../when.js";
import { parseStartDate } from "./start.js";

interface ExpectRequest {
  emails: string[];
  rejected: Array<{ input: string; reason: string }>;
  tenant?: string;
  idp?: IdpId;
  assignedAt: number;
  /** start=<date>: when they start (core/hires/start.ts). */
  startDate?: number;
}

const EMAIL = /^[^\s@<>"'`,;]+@[^\s@<>"'`,;]+\.[^\s@<>"'`,;]{2,}$/;
export const MAX_BATCH = 200;

/** Splits a list of emails (one per line, or separated by commas, semicolons or spaces). */
export function splitEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Validates emails one by one: the good ones pass, each bad one gets its reason. */
export function checkEmails(
  inputs: string[],
  max: number = MAX_BATCH,
): Pick<ExpectRequest, "emails" | "rejected"> {
  const emails: string[] = [];
  const rejected: ExpectRequest["rejected"] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const e = input.replace(/^mailto:/i, "");
    const problem = loginIdProblem(e);
    if (e.length > MAX_LOGIN_ID)
      rejected.push({
        input: `${e.slice(0, 40)}…`,
        reason: `longer than ${MAX_LOGIN_ID} characters`,
      });
    else if (problem)
      rejected.push({ input: showInvisible(e), reason: problem.replace(/^it /, "") });
    else if (!EMAIL.test(e)) rejected.push({ input: e, reason: "not an email address" });
    else if (seen.has(e.toLowerCase())) rejected.push({ input: e, reason: "listed twice" });
    else if (emails.length >= max)
      rejected.push({ input: e, reason: `more than ${max} in one batch` });
    else {
      seen.add(e.toLowerCase());
      emails.push(e);
    }
  }
  return { emails, rejected };
}

/**
 * `/scim expect <email> [<email> …] [tenant] [idp=<idp>] [at=<when>]`, already
 * decoded from Slack's escaping. Words with an @ are emails; idp= and at= are
 * options; the other words name the tenant.
 */
/**
 * Why an assignment time cannot be used, or null: the one rule for the
 * command, the form, the file and the webhook. Not in the future (IT assigned
 * them already), not older than Descope's 30 days of audit events.
 */
export function assignedAtProblem(t: number, now: number): string | null {
  if (t > now + 5 * 60_000) return "is in the future: give the time IT assigned them in the IdP";
  if (t < now - 30 * 86_400_000)
    return "is more than 30 days ago: Descope's audit log does not reach that far";
  return null;
}

export function parseExpectArgs(words: string[], now: number): ExpectRequest | { error: string } {
  const emailWords: string[] = [];
  const tenantWords: string[] = [];
  let idp: IdpId | undefined;
  let assignedAt = now;
  let startDate: number | undefined;
  for (const [i, w] of words.entries()) {
    // "at=2h ago" arrives as two words.
    if (w.toLowerCase() === "ago" && /^at=/i.test(words[i - 1] ?? "")) continue;
    const opt = /^(idp|at|start)=(.*)$/i.exec(w);
    if (opt) {
      const [, k, v] = opt as unknown as [string, string, string];
      if (k.toLowerCase() === "start") {
        startDate = parseStartDate(v);
        if (startDate === undefined)
          return {
            error: `Malformed start=: give a date (2026-12-07) or a time with its zone (2026-12-07T09:00+01:00).`,
          };
      } else if (k.toLowerCase() === "idp") {
        idp = parseIdp(v);
        if (!idp)
          return {
            error: `Unknown IdP "${v}": use azure (Entra ID), okta, google, onelogin, jumpcloud, pingone or generic.`,
          };
      } else {
        const t = parseWhen(words[i + 1]?.toLowerCase() === "ago" ? `${v} ago` : v, now);
        if (t === undefined) return { error: `Malformed at=: ${whenProblem(v)}.` };
        const problem = assignedAtProblem(t, now);
        if (problem) return { error: `at=${v} ${problem}.` };
        assignedAt = t;
      }
    } else if (w.includes("@")) emailWords.push(w);
    else tenantWords.push(w);
  }
  const tenant = tenantWords.join(" ").trim();
  return {
    ...checkEmails(emailWords),
    ...(tenant ? { tenant } : {}),
    ...(idp ? { idp } : {}),
    ...(startDate !== undefined ? { startDate } : {}),
    assignedAt,
  };
}
