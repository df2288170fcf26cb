/**
 * A tenant's SCIM activity from audit events, day by day, with its status
 * from the one tenant-health decision (core/tenant-health.ts). Pure.
 */
import { type AuditEvent, classifyScim } from "./diagnosis/facts.js";
import { jitRewrites } from "./diagnosis/notes.js";
import { type TenantState, tenantHealth } from "./tenant-health.js";

interface DayRow {
  day: string;
  created: number;
  updated: number;
  deactivated: number;
  errors: number;
}

type PushStatus = "active" | "failing" | "stopped" | "mass_deactivation" | "silent";

export interface ActivitySummary {
  tenantId: string;
  from: number;
  to: number;
  days: DayRow[];
  totals: Omit<DayRow, "day">;
  lastPush: number | null;
  lastSuccessfulPush: number | null;
  topErrors: Array<{ error: string; count: number; last: number }>;
  /** Login IDs that failed to sign in and were never pushed, most attempts first. */
  neverProvisioned: Array<{ loginId: string; attempts: number; last: number }>;
  /**
   * SCIM-pushed people modified right after an SSO sign-in (a JIT sign-in
   * rewriting what SCIM set); meaningful only while the tenant's JIT is on.
   */
  jitRewrites: Array<{ loginId: string; at: number }>;
  status: PushStatus;
}

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function summarizeActivity(
  tenantId: string,
  events: AuditEvent[],
  opts: {
    from: number;
    to: number;
    /** The tenant's health as the alerts see it (its stored state); decided here from the events otherwise. */
    health?: TenantState;
  },
): ActivitySummary {
  const days = new Map<string, DayRow>();
  for (let t = opts.from - (opts.from % DAY); t <= opts.to; t += DAY) {
    days.set(dayOf(t), { day: dayOf(t), created: 0, updated: 0, deactivated: 0, errors: 0 });
  }
  const inRange = events
    .filter((e) => e.at >= opts.from && e.at <= opts.to)
    .sort((a, b) => a.at - b.at);
  const scim = inRange.filter((e) => e.action === "SCIMEvent");
  const errors = new Map<string, { error: string; count: number; last: number }>();
  const pushed = new Set<string>();
  for (const e of inRange) {
    if (e.action === "UserCreated") for (const l of e.loginIds) pushed.add(l.toLowerCase());
  }
  for (const e of scim) {
    const row = days.get(dayOf(e.at));
    if (e.error) {
      if (row) row.errors++;
      const key = e.error.trim().slice(0, 200);
      const cur = errors.get(key) ?? { error: key, count: 0, last: 0 };
      cur.count++;
      cur.last = Math.max(cur.last, e.at);
      errors.set(key, cur);
      continue;
    }
    for (const l of e.loginIds) pushed.add(l.toLowerCase());
    const kind = classifyScim(e);
    if (!row) continue;
    if (kind === "create") row.created++;
    else if (kind === "update") row.updated++;
    else if (kind === "deactivate" || kind === "delete") row.deactivated++;
  }
  const failed = new Map<string, { loginId: string; attempts: number; last: number }>();
  for (const e of inRange) {
    if (e.action !== "LoginFailed") continue;
    for (const l of e.loginIds) {
      if (pushed.has(l.toLowerCase())) continue;
      const cur = failed.get(l.toLowerCase()) ?? { loginId: l, attempts: 0, last: 0 };
      cur.attempts++;
      cur.last = Math.max(cur.last, e.at);
      failed.set(l.toLowerCase(), cur);
    }
  }
  const rows = [...days.values()];
  const totals = rows.reduce(
    (t, r) => ({
      created: t.created + r.created,
      updated: t.updated + r.updated,
      deactivated: t.deactivated + r.deactivated,
      errors: t.errors + r.errors,
    }),
    { created: 0, updated: 0, deactivated: 0, errors: 0 },
  );
  const lastPush = scim.at(-1)?.at ?? null;
  const lastOk = scim.filter((e) => !e.error).at(-1)?.at ?? null;
  const health = opts.health ?? tenantHealth(tenantId, events, opts.to).state;
  const status: PushStatus =
    health === "ok" || health === "quiet" ? (scim.length ? "active" : "silent") : health;
  return {
    tenantId,
    from: opts.from,
    to: opts.to,
    days: rows,
    totals,
    lastPush,
    lastSuccessfulPush: lastOk,
    topErrors: [...errors.values()]
      .sort((a, b) => b.count - a.count || b.last - a.last)
      .slice(0, 5),
    neverProvisioned: [...failed.values()]
      .sort((a, b) => b.attempts - a.attempts || b.last - a.last)
      .slice(0, 10),
    jitRewrites: jitRewrites(inRange)
      .filter((m) => m.loginIds.some((l) => pushed.has(l.toLowerCase())))
      .map((m) => ({ loginId: m.loginIds[0] as string, at: m.at }))
      .slice(0, 10),
    status,
  };
}

const BARS = " ▁▂▃▄▅▆▇█";

/** One bar per day, scaled to the busiest day. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) =>
      max === 0 || v === 0 ? "·" : (BARS[Math.max(1, Math.round((v / max) * 8))] as string),
    )
    .join("");
}
