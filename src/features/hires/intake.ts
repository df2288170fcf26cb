/**
 * Rows of expected hires from outside Slack (the webhook, a CSV or JSON-lines
 * file), checked the same way: each bad row rejected with its reason, the
 * good ones kept with their name, start date and assignment time.
 */
import { parse } from "csv-parse/sync";
import { assignedAtProblem, checkEmails, MAX_BATCH } from "../../core/hires/parse-expect.js";
import { parseStartDate } from "../../core/hires/start.js";
import { type IdpId, parseIdp } from "../../core/idp/catalog.js";
import { displayNameProblem, showInvisible } from "../../core/login-id.js";

/** Rows per webhook call or file; registered in checklists of MAX_BATCH each. */
const MAX_INTAKE = 1000;

interface IntakeRow {
  email: string;
  name?: string | undefined;
  startDate?: string | undefined;
  assignedAt?: string | undefined;
  idp?: string | undefined;
  /** A leaver's last day (`scimwatch leave`'s files). */
  lastDay?: string | undefined;
  /** Where the row is in its file (a CSV row or a JSON line, counting the header), to name it. */
  row?: number | undefined;
}

interface Intake {
  emails: string[];
  details: Map<string, { name?: string; startDate?: number; assignedAt?: number; idp?: IdpId }>;
  rejected: Array<{ input: string; reason: string; row?: number }>;
}

export function checkRows(rows: IntakeRow[], now: number): Intake {
  const rejected: Intake["rejected"] = [];
  const details: Intake["details"] = new Map();
  const emails: string[] = [];
  for (const x of rows) {
    const email = (x.email ?? "").trim();
    const badName = x.name ? displayNameProblem(x.name.trim()) : null;
    if (badName) {
      rejected.push({ input: showInvisible(email), reason: badName });
      continue;
    }
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
      (!/(Z|[+-]\d{2}:?\d{2})$/i.test(x.assignedAt) || Number.isNaN(assignedAt))
    ) {
      rejected.push({
        input: email,
        reason: "the assignment time must be an ISO time with a zone",
      });
      continue;
    }
    const late = assignedAt !== undefined ? assignedAtProblem(assignedAt, now) : null;
    if (late) {
      rejected.push({ input: email, reason: `the assignment time ${late}` });
      continue;
    }
    // Each row's own IdP: one row naming Okta says nothing about the others.
    const idp = x.idp ? parseIdp(x.idp) : undefined;
    if (x.idp && !idp) {
      rejected.push({
        input: email,
        reason: "unknown idp: use azure, okta, google, onelogin, jumpcloud, pingone or generic",
      });
      continue;
    }
    emails.push(email);
    details.set(email.replace(/^mailto:/i, "").toLowerCase(), {
      ...(x.name ? { name: x.name.trim() } : {}),
      ...(startDate !== undefined ? { startDate } : {}),
      ...(assignedAt !== undefined ? { assignedAt } : {}),
      ...(idp ? { idp } : {}),
    });
  }
  const checked = checkEmails(emails, MAX_INTAKE);
  // A file's rows are named by number, so a long file can be fixed where it is wrong.
  const rowOf = new Map<string, number>();
  for (const x of rows)
    if (x.row !== undefined && !rowOf.has(x.email.trim())) rowOf.set(x.email.trim(), x.row);
  const withRow = (r: { input: string; reason: string }) => {
    const row = rowOf.get(r.input);
    return row !== undefined ? { ...r, row } : r;
  };
  return {
    emails: checked.emails,
    details,
    rejected: [...rejected, ...checked.rejected].map(withRow),
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

/** Reads rows from CSV (a header row; quotes, BOM and CRLF handled by csv-parse) or JSON lines. */
export function readRows(text: string): {
  rows: IntakeRow[];
  bad: Array<{ input: string; reason: string; row: number }>;
} {
  const body = text.replace(/^\uFEFF/, "");
  const bad: Array<{ input: string; reason: string; row: number }> = [];
  if (body.trimStart().startsWith("{")) {
    const rows: IntakeRow[] = [];
    for (const [i, line] of body.split(/\r?\n/).entries()) {
      if (!line.trim()) continue;
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        const s = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
        if (!s("email")) bad.push({ input: `line ${i + 1}`, reason: "no email", row: i + 1 });
        else
          rows.push({
            email: s("email") as string,
            name: s("name"),
            startDate: s("startDate") ?? s("start_date"),
            assignedAt: s("assignedAt") ?? s("assigned_at"),
            idp: s("idp"),
            lastDay: s("lastDay") ?? s("last_day"),
            row: i + 1,
          });
      } catch {
        bad.push({ input: `line ${i + 1}`, reason: "not JSON", row: i + 1 });
      }
    }
    return { rows, bad };
  }
  const records = parse(body, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    bom: true,
    info: true,
  }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  const rows: IntakeRow[] = [];
  for (const { record: r, info } of records) {
    // The file's line where the record ended (blank lines and quoted newlines counted).
    const row = info.lines;
    if (!r.email) bad.push({ input: `row ${row}`, reason: "no email", row });
    else
      rows.push({
        email: r.email,
        name: r.name || undefined,
        startDate: r.start_date || undefined,
        assignedAt: r.assigned_at || undefined,
        idp: r.idp || undefined,
        lastDay: r.last_day || r.lastday || undefined,
        row,
      });
  }
  return { rows, bad };
}

/** Does pasted text look like CSV with a header row naming an email column? */
export function looksLikeCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  return /(^|,)\s*"?email"?\s*(,|$)/i.test(first) && first.includes(",");
}
