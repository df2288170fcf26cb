/**
 * Descope's audit stream (the Audit Webhook connector) as a fast path beside
 * the poll tail: what a push body holds, normalised like the tail's pages and
 * stored in the same index, idempotently by audit ID. The payload's exact
 * shape is unverified (descope-api.md › Audit push): one record, an array of
 * them, or an object holding an array (`audits` or `events`), each in the
 * audit-search shape; unknown fields are ignored.
 */
import { SCIM_AUDIT_ACTIONS } from "../../descope/client.js";
import { toAuditEvent } from "../../descope/events.js";
import { type AuditRecord, auditRecordSchema } from "../../descope/schemas.js";
import type { AuditIndex } from "../../redis/audit-index.js";

/** The records of a push body, or why it is none of the accepted shapes. Pure. */
export function recordsOfPush(body: unknown): { records: AuditRecord[] } | { error: string } {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === "object"
      ? Array.isArray((body as { audits?: unknown }).audits)
        ? ((body as { audits: unknown[] }).audits as unknown[])
        : Array.isArray((body as { events?: unknown }).events)
          ? ((body as { events: unknown[] }).events as unknown[])
          : [body]
      : null;
  if (!list)
    return {
      error: "the body is not an audit record, an array of them, or {audits|events: [...]}",
    };
  const records: AuditRecord[] = [];
  for (const [i, item] of list.entries()) {
    // `id` for `ID`: the pushed shape is unverified; the audit search's is `ID`.
    const o = item as Record<string, unknown> | null;
    const r = auditRecordSchema.safeParse(
      o && typeof o === "object" && o.ID === undefined && typeof o.id === "string"
        ? { ...o, ID: o.id }
        : item,
    );
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.join(".")})` : "";
      return {
        error: `record ${i + 1} is not an audit record${where}: it needs at least "action" and "occurred"`,
      };
    }
    records.push(r.data);
  }
  return { records };
}

const KEPT = new Set<string>(SCIM_AUDIT_ACTIONS);

/**
 * Stores what the tail would have stored of these records: the same actions,
 * the same normalisation, once per audit ID (a record without one cannot be
 * told apart from the poll's copy and is left to the poll).
 */
export async function storePushed(
  deps: { index: AuditIndex; now: () => number },
  records: AuditRecord[],
): Promise<{ received: number; kept: number; stored: number; withoutId: number }> {
  const kept = records.filter((r) => KEPT.has(r.action));
  const identified = kept.filter((r) => r.ID);
  const events = identified.map((r) => toAuditEvent(r));
  const stored = events.length ? await deps.index.store(events, deps.now()) : 0;
  return {
    received: records.length,
    kept: identified.length,
    stored,
    withoutId: kept.length - identified.length,
  };
}
