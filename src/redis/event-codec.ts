/**
 * How one audit event is stored in the index: a short delimited string
 * (one-letter actions, empty fields left out) in a hash bucket chosen by its
 * day and ID. Pure.
 */
import { type AuditEvent, auditEventSchema } from "../core/diagnosis/facts.js";

const ACTION_CODES: Record<string, string> = {
  SCIMEvent: "S",
  LoginFailed: "F",
  LoginSucceed: "L",
  UserCreated: "C",
  UserModified: "M",
  UserDeleted: "D",
};
const ACTIONS_BY_CODE = Object.fromEntries(Object.entries(ACTION_CODES).map(([k, v]) => [v, k]));

export const DAY_MS = 86_400_000;
/** Hash buckets per day: about 50 events each at 100k events a week, well under the compact-encoding limits. */
const BUCKETS = 256;
const FIELD = "\u001f";
const ITEM = "\u001e";
/** The separators never appear inside a field. */
const clean = (s: string) => s.split(FIELD).join(" ").split(ITEM).join(" ");

/**
 * A stored event: fields separated by U+001F (lists by U+001E), trailing
 * empty fields left out: action (one letter when known), at, login IDs,
 * tenants, user ID, method, SCIM action, error, active (1/0).
 */
export function encodeEvent(e: AuditEvent): string {
  const row = [
    ACTION_CODES[e.action] ?? clean(e.action),
    String(e.at),
    e.loginIds.map(clean).join(ITEM),
    e.tenants.map(clean).join(ITEM),
    clean(e.userId ?? ""),
    clean(e.method ?? ""),
    clean(e.scimAction ?? ""),
    clean(e.error ?? ""),
    e.active === undefined ? "" : e.active ? "1" : "0",
  ];
  while (row.length > 4 && row.at(-1) === "") row.pop();
  return row.join(FIELD);
}

export function decodeEvent(id: string, raw: string): AuditEvent | null {
  const [code = "", at = "", logins = "", tenants = "", userId, method, scimAction, error, active] =
    raw.split(FIELD);
  const opt = (v: string | undefined) => (v ? v : undefined);
  const list = (v: string) => (v ? v.split(ITEM) : []);
  const p = auditEventSchema.safeParse({
    id,
    action: ACTIONS_BY_CODE[code] ?? code,
    at: Number(at),
    loginIds: list(logins),
    tenants: list(tenants),
    userId: opt(userId),
    method: opt(method),
    scimAction: opt(scimAction),
    error: opt(error),
    active: active === "1" ? true : active === "0" ? false : undefined,
  });
  return p.success ? p.data : null;
}

/** The hash holding an event: its day, and a bucket from its ID. */
export function bucketOf(id: string, at: number): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return `${Math.floor(at / DAY_MS)}:${h % BUCKETS}`;
}
