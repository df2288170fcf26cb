/**
 * Where a reconciliation is drawn: its progress, its answer in Slack (the
 * counts, the first rows per category with the fix), the whole list as CSV,
 * the orphan alert, the CLI's text and its JSON report. Pure.
 */

import { IDPS } from "../core/idp/catalog.js";
import type { Reconciliation } from "../core/reconcile/classify.js";
import {
  CATEGORIES,
  type Category,
  type Counts,
  type ReconcileRow,
} from "../core/reconcile/model.js";
import type { ReconcileRun } from "../core/reconcile/run-record.js";
import { type Block, context, header, LIMITS, type SlackMessage, section } from "./blocks.js";
import { clip, esc, iso, slackDate, untrusted } from "./mrkdwn.js";

export const CATEGORY_TITLES: Record<Category, string> = {
  missing: "Missing from Descope",
  orphaned: "Orphaned (left the IdP, still enabled in Descope)",
  state_mismatch: "Disabled on one side only",
  nested_only: "Only in a nested group (Entra does not provision them)",
  not_scim_managed: "Not SCIM-managed (JIT or by hand)",
  pending: "Assigned recently (inside the IdP's window)",
  unverified: "SCIM-managed, IdP side not read",
  in_sync: "In sync",
};

/** Rows shown per category in Slack; the CSV holds them all. */
const ROWS_SHOWN = 5;

const n = (x: number) => x.toLocaleString("en-US");
const idpName = (r: Pick<ReconcileRun, "idp">) => (r.idp ? IDPS[r.idp].name : "no IdP connector");

/** "Reading Entra assignments: 12,000 of about 50,000" */
export function progressLine(r: ReconcileRun): string {
  if (r.phase === "descope")
    return `Reading Descope users: ${n(r.descopeRead)}${r.descopeTotal !== null ? ` of ${n(r.descopeTotal)}` : ""}`;
  if (r.phase === "idp") {
    const about = r.idpAbout ?? r.descopeTotal;
    return `${r.label || "Reading the IdP"}: ${n(r.idpRead)} people so far${about ? ` of about ${n(about)}` : ""}`;
  }
  if (r.phase === "classify") return "Comparing both sides";
  if (r.phase === "failed") return `Stopped: ${r.error ?? "unknown error"}`;
  return "Done";
}

export function progressMessage(r: ReconcileRun): SlackMessage {
  const line = progressLine(r);
  const who = r.requestedBy ? ` (asked by <@${r.requestedBy}>)` : "";
  return {
    text: `Reconciling ${r.tenantName}: ${line}`,
    blocks: [
      section(
        `:hourglass_flowing_sand: Reconciling *${esc(r.tenantName)}* (${esc(idpName(r))} ↔ Descope)${who}\n${esc(line)}`,
      ),
      context(
        `Started ${slackDate(iso(r.startedAt))}${r.resumed ? ` · resumed ${r.resumed}× after a stop, from the last page read` : ""}`,
      ),
    ],
  };
}

const countsLine = (c: Counts) =>
  CATEGORIES.filter((k) => c[k] > 0)
    .map((k) => `${k} ${n(c[k])}`)
    .join(" · ") || "nobody";

/** The answer in Slack: counts, the first rows per category with their fix, where the CSV is. */
export function resultMessage(
  r: ReconcileRun,
  result: Reconciliation,
  o: { csv: "thread" | "none" } = { csv: "thread" },
): SlackMessage {
  const blocks: Block[] = [header(clip(`Reconciliation: ${r.tenantName}`, LIMITS.headerText))];
  const c = result.counts;
  const total = result.rows.length;
  blocks.push(
    section(
      `*${esc(idpName(r))}${r.appName ? ` (${esc(r.appName)})` : ""} ↔ Descope*: ${n(total)} people · ${esc(countsLine(c))}`,
    ),
  );
  if (result.note) blocks.push(section(`:information_source: ${esc(result.note)}`));
  for (const cat of CATEGORIES) {
    if (cat === "in_sync" || c[cat] === 0) continue;
    const rows = result.rows.filter((x) => x.category === cat).slice(0, ROWS_SHOWN);
    const lines = rows.map(
      (x) => `• \`${esc(x.loginId)}\`: ${untrusted(x.idpState)} / ${untrusted(x.descopeState)}`,
    );
    const more = c[cat] > rows.length ? `\n…and ${n(c[cat] - rows.length)} more (CSV)` : "";
    const fix = rows[0]?.fix ? `\n*Fix:* ${esc(rows[0].fix)}` : "";
    blocks.push(
      section(`*${CATEGORY_TITLES[cat]}: ${n(c[cat])}*\n${lines.join("\n")}${more}${fix}`),
    );
  }
  if (total && c.in_sync === total) blocks.push(section(":white_check_mark: Everyone is in sync."));
  blocks.push(
    context(
      `Read ${slackDate(iso(r.finishedAt ?? r.updatedAt))} · ${n(r.descopeRead)} Descope users, ${n(r.idpRead)} in the IdP's scope${r.resumed ? ` · resumed ${r.resumed}× after a stop, from the last page read` : ""}${o.csv === "thread" ? " · the whole list is in the thread as CSV" : ""}`,
    ),
  );
  return {
    text: `Reconciliation of ${r.tenantName}: ${countsLine(c)}`,
    blocks: blocks.slice(0, LIMITS.messageBlocks),
  };
}

/** A CSV cell: quoted, and never read as a formula by a spreadsheet. */
function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CSV_HEADER = ["loginId", "category", "idpState", "descopeState", "fix"] as const;

export function csvOf(rows: ReconcileRow[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of rows) lines.push(CSV_HEADER.map((k) => cell(r[k])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The `--json` report (an interface: keep its fields). */
export function reconcileReport(r: ReconcileRun, result: Reconciliation) {
  return {
    tenantId: r.tenantId,
    tenantName: r.tenantName,
    idp: r.idp,
    at: iso(r.finishedAt ?? r.updatedAt),
    counts: result.counts,
    people: result.rows.map((x) => ({
      loginId: x.loginId,
      category: x.category,
      idpState: x.idpState,
      descopeState: x.descopeState,
      fix: x.fix,
    })),
    ...(result.note ? { note: result.note } : {}),
  };
}

/** The CLI's text: counts, then every row that needs action. */
export function reconcileText(r: ReconcileRun, result: Reconciliation): string {
  const out = [
    `Reconciliation of ${r.tenantName} (${r.tenantId}): ${idpName(r)}${r.appName ? ` (${r.appName})` : ""} ↔ Descope`,
    `Counts: ${countsLine(result.counts)}`,
  ];
  if (result.note) out.push(result.note);
  for (const cat of CATEGORIES) {
    if (cat === "in_sync" || result.counts[cat] === 0) continue;
    out.push("", `${CATEGORY_TITLES[cat]} (${result.counts[cat]}):`);
    for (const x of result.rows.filter((y) => y.category === cat))
      out.push(
        `  ${x.loginId}  IdP: ${x.idpState}  Descope: ${x.descopeState}`,
        `    fix: ${x.fix}`,
      );
  }
  return out.join("\n");
}

/** The alert: people who left the IdP's scope (or were disabled there) but are still enabled in Descope. */
export function orphanAlert(r: ReconcileRun, rows: ReconcileRow[]): SlackMessage {
  const shown = rows.slice(0, 15);
  const fix = rows[0]?.fix ?? "";
  return {
    text: `${rows.length} ${rows.length === 1 ? "person" : "people"} left ${idpName(r)} but ${rows.length === 1 ? "is" : "are"} still enabled in Descope (${r.tenantName})`,
    blocks: [
      section(
        `:rotating_light: *${esc(r.tenantName)}*: ${n(rows.length)} ${rows.length === 1 ? "person is" : "people are"} out of scope or disabled in ${esc(idpName(r))} but still enabled in Descope: the IdP never deprovisioned them.`,
      ),
      section(
        shown
          .map(
            (x) =>
              `• \`${esc(x.loginId)}\`: ${untrusted(x.idpState)} / ${untrusted(x.descopeState)}`,
          )
          .join("\n") +
          (rows.length > shown.length ? `\n…and ${n(rows.length - shown.length)} more` : ""),
      ),
      section(`*Fix:* ${esc(fix)}`),
      context(
        `Reconciliation ${iso(r.finishedAt ?? r.updatedAt)} · said once per person until they are in sync again`,
      ),
    ],
  };
}
