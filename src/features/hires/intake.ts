/**
 * Rows of expected hires from outside Slack (the webhook, a CSV or JSON-lines
 * file), checked the same way: each bad row rejected with its reason, the
 * good ones kept with their name, start date and assignment time.
 */
import { checkEmails, MAX_BATCH } from "../../core/hires/parse-expect.js";
import { parseStartDate } from "../../core/hires/start.js";
import { type IdpId, parseIdp } from "../../core/idp/catalog.js";

/** Rows per webhook call or file; registered in checklists of MAX_BATCH each. */
export const MAX_INTAKE = 1000;

export interface IntakeRow {
  email: string;
  name?: string | undefined;
  startDate?: string | undefined;
  assignedAt?: string | undefined;
  idp?: string | undefined;
}

export interface Intake {
  emails: string[];
  details: Map<string, { name?: string; startDate?: number; assignedAt?: number }>;
  rejected: Array<{ input: string; reason: string }>;
  idp: IdpId | undefined;
}

export function checkRows(rows: IntakeRow[], now: number): Intake {
  const rejected: Intake["rejected"] = [];
  const details: Intake["details"] = new Map();
  const emails: string[] = [];
  for (const x of rows) {
    const email = (x.email ?? "").trim();
    const startDate = x.startDate ? parseStartDate(x.startDate) : undefined;
    const assignedAt = x.assignedAt ? Date.parse(x.assignedAt) : undefined;
    if (x.startDate && startDate === undefined) {
      rejected.push({
        input: email,
        reason: "the start date is not a date (2026-12-07) or an ISO time with a zone",
      });
      continue;
    }
    if (
      x.assignedAt &&
      (!/(Z|[+-]\d{2}:?\d{2})$/i.test(x.assignedAt) ||
        Number.isNaN(assignedAt) ||
        (assignedAt ?? 0) > now + 5 * 60_000)
    ) {
      rejected.push({
        input: email,
        reason: "the assignment time must be an ISO time with a zone, not in the future",
      });
      continue;
    }
    emails.push(email);
    details.set(email.replace(/^mailto:/i, "").toLowerCase(), {
      ...(x.name ? { name: x.name.trim() } : {}),
      ...(startDate !== undefined ? { startDate } : {}),
      ...(assignedAt !== undefined ? { assignedAt } : {}),
    });
  }
  const checked = checkEmails(emails, MAX_INTAKE);
  const idp = rows.map((x) => (x.idp ? parseIdp(x.idp) : undefined)).find(Boolean);
  return {
    emails: checked.emails,
    details,
    rejected: [...rejected, ...checked.rejected],
    idp: idp && idp !== "generic" ? idp : undefined,
  };
}

/** Registers an intake in checklists of MAX_BATCH hires each (one message stays readable). */
export async function registerIntake(
  intake: Intake,
  register: (emails: string[]) => Promise<{
    registered: string[];
    rejected: Intake["rejected"];
    postError?: string | undefined;
  }>,
): Promise<{ registered: number; rejected: Intake["rejected"]; postError?: string | undefined }> {
  let registered = 0;
  const rejected = [...intake.rejected];
  let postError: string | undefined;
  for (let i = 0; i < intake.emails.length; i += MAX_BATCH) {
    const r = await register(intake.emails.slice(i, i + MAX_BATCH));
    registered += r.registered.length;
    rejected.push(...r.rejected);
    postError ??= r.postError;
  }
  return { registered, rejected, ...(postError ? { postError } : {}) };
}
