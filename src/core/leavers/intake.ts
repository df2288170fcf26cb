/**
 * Leaver rows from anywhere (the command, the webhook, a file), checked one
 * way: an e-mail that is a valid login ID, a display name without hidden
 * characters, a last day that is a date or an ISO time with a zone (default:
 * now). Each bad row is rejected with its reason. Pure.
 */
import { checkEmails } from "../hires/parse-expect.js";
import { displayNameProblem } from "../login-id.js";
import { LAST_DAY_HELP, parseLastDay } from "./model.js";

export const MAX_LEAVERS = 1000;

export interface LeaverRow {
  email: string;
  name?: string | undefined;
  lastDay?: string | undefined;
  row?: number | undefined;
}

export interface LeaverIntake {
  leavers: Array<{ email: string; name: string | null; lastDay: number }>;
  rejected: Array<{ input: string; reason: string; row?: number }>;
}

export function checkLeaverRows(rows: LeaverRow[], now: number): LeaverIntake {
  const out: LeaverIntake = { leavers: [], rejected: [] };
  const reject = (x: LeaverRow, reason: string) =>
    out.rejected.push({ input: x.email, reason, ...(x.row !== undefined ? { row: x.row } : {}) });
  const good = checkEmails(
    rows.map((r) => r.email.trim()),
    MAX_LEAVERS,
  );
  const ok = new Set(good.emails.map((e) => e.toLowerCase()));
  for (const r of good.rejected) out.rejected.push(r);
  const seen = new Set<string>();
  for (const x of rows) {
    const email = x.email.trim();
    if (!ok.has(email.toLowerCase()) || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    const name = x.name?.trim() || null;
    const badName = name ? displayNameProblem(name) : null;
    if (badName) {
      reject(x, badName);
      continue;
    }
    const lastDay = x.lastDay?.trim() ? parseLastDay(x.lastDay) : now;
    if (lastDay === null) {
      reject(x, `the last day is not ${LAST_DAY_HELP}`);
      continue;
    }
    out.leavers.push({ email, name, lastDay });
  }
  return out;
}
