/**
 * A tenant's provisioning health, decided once: is its IdP pushing, failing,
 * silent for longer than it ever is, or deactivating people en masse? From
 * the audit index alone (no audit search). `/scim activity`, the weekly
 * digest and the alerts all ask this function. Pure.
 */

import { type AuditEvent, classifyScim } from "./diagnosis/facts.js";

export type TenantState = "ok" | "quiet" | "failing" | "stopped" | "mass_deactivation";

/** The states that alert, once per episode. */
export const ALERTING: ReadonlySet<TenantState> = new Set([
  "failing",
  "stopped",
  "mass_deactivation",
]);

export interface HealthThresholds {
  /** failing: at least this many SCIM calls in the window… */
  failingMinCalls: number;
  /** …of which at least this share failed. */
  failingRatio: number;
  failingWindowMs: number;
  /** stopped: the tenant pushed on at least this many of the last 7 days… */
  regularDays: number;
  /** …and has been silent for longer than this, and than 1.5× its longest gap in 14 days. */
  stoppedMinMs: number;
  /** mass deactivation: at least this many people deactivated or deleted in the window… */
  massMin: number;
  /** …and at least this share of the tenant's SCIM-managed users. */
  massRatio: number;
  massWindowMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back the health looks (the index keeps 30 days). */
export const HEALTH_HISTORY_MS = 14 * DAY;

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  failingMinCalls: 5,
  failingRatio: 0.8,
  failingWindowMs: HOUR,
  regularDays: 3,
  stoppedMinMs: 24 * HOUR,
  massMin: 10,
  massRatio: 0.2,
  massWindowMs: HOUR,
};

/** What a failed SCIM call most likely means, from the error Descope recorded. */
export type ErrorCause = "auth" | "conflict" | "mapping" | "other";

export function errorCause(error: string): ErrorCause {
  const e = error.toLowerCase();
  if (/\b40[13]\b|unauthori[sz]ed|forbidden|token|expired|revoked|access key|credential/.test(e))
    return "auth";
  if (/\b409\b|conflict|already exists|duplicate/.test(e)) return "conflict";
  if (/\b400\b|invalid|attribute|required|schema|mapping|bad request/.test(e)) return "mapping";
  return "other";
}

export interface TenantHealth {
  state: TenantState;
  /** Identifies this episode the same way in every process: the alert's exactly-once key. */
  episode: string | null;
  /** When the episode began (the first error of the streak, the last push, the first deactivation). */
  since: number | null;
  window: { calls: number; errors: number };
  errors: Array<{ cause: ErrorCause; error: string; count: number }>;
  lastPushAt: number | null;
  lastOkAt: number | null;
  pushDays: number;
  /** stopped: how long it has been silent, and what is normal for it. */
  silentForMs: number | null;
  normalGapMs: number | null;
  /** stopped because hires are overdue while nothing was pushed since they were assigned. */
  overdueHires: number;
  /** People deactivated or deleted in the window; `deleted`: of them, the ones deleted (gone from user searches). */
  deactivated: { count: number; deleted: number; examples: string[]; ofManaged: number | null };
}

interface HealthContext {
  /** The previous state and its episode (so a failing tenant stays failing until it pushes successfully). */
  previous?: { state: TenantState; episode: string | null } | null;
  /** The tenant's SCIM-managed users, when known (mass deactivation's denominator). */
  scimManagedUsers?: number | null;
  /** Expected hires past their window: when the earliest was assigned, and how many. */
  overdue?: { since: number; count: number } | null;
}

const dayOf = (ms: number) => Math.floor(ms / DAY);

export function tenantHealth(
  tenantId: string,
  events: AuditEvent[],
  now: number,
  ctx: HealthContext = {},
  t: HealthThresholds = DEFAULT_THRESHOLDS,
): TenantHealth {
  const scim = events
    .filter((e) => e.action === "SCIMEvent" && e.at <= now && e.at > now - HEALTH_HISTORY_MS)
    .sort((a, b) => a.at - b.at);
  const inWindow = scim.filter((e) => e.at > now - t.failingWindowMs);
  const errs = inWindow.filter((e) => e.error);
  const lastPushAt = scim.at(-1)?.at ?? null;
  const lastOkAt = scim.filter((e) => !e.error).at(-1)?.at ?? null;
  const pushDays = new Set(scim.filter((e) => e.at > now - 7 * DAY).map((e) => dayOf(e.at))).size;

  const byError = new Map<string, { cause: ErrorCause; error: string; count: number }>();
  for (const e of errs) {
    const key = (e.error ?? "").trim().slice(0, 200);
    const cur = byError.get(key) ?? { cause: errorCause(key), error: key, count: 0 };
    cur.count++;
    byError.set(key, cur);
  }
  const base = {
    window: { calls: inWindow.length, errors: errs.length },
    errors: [...byError.values()].sort((a, b) => b.count - a.count).slice(0, 5),
    lastPushAt,
    lastOkAt,
    pushDays,
    silentForMs: lastPushAt === null ? null : now - lastPushAt,
    normalGapMs: null as number | null,
    overdueHires: 0,
    deactivated: {
      count: 0,
      deleted: 0,
      examples: [] as string[],
      ofManaged: ctx.scimManagedUsers ?? null,
    },
  };

  // failing: most recent calls fail. Once failing, it stays so until two calls in a row succeed.
  const streakStart = (() => {
    let start: number | null = null;
    for (let i = scim.length - 1; i >= 0; i--) {
      const e = scim[i] as AuditEvent;
      if (!e.error) break;
      start = e.at;
    }
    return start;
  })();
  const lastTwoOk = scim.length >= 2 && scim.slice(-2).every((e) => !e.error);
  const wasFailing = ctx.previous?.state === "failing";
  const failingNow =
    inWindow.length >= t.failingMinCalls && errs.length / inWindow.length >= t.failingRatio;
  if ((failingNow && !lastTwoOk) || (wasFailing && !lastTwoOk && scim.at(-1)?.error)) {
    const since = streakStart ?? errs[0]?.at ?? now;
    const episode =
      wasFailing && ctx.previous?.episode ? ctx.previous.episode : `failing:${tenantId}:${since}`;
    return { ...base, state: "failing", episode, since };
  }

  // mass deactivation: many people removed within the window.
  const removed = new Map<string, number>();
  const deleted = new Set<string>();
  for (const e of scim.filter((x) => x.at > now - t.massWindowMs && !x.error)) {
    const k = classifyScim(e);
    if (k !== "deactivate" && k !== "delete") continue;
    for (const l of e.loginIds.length ? e.loginIds : [e.userId ?? e.id]) {
      if (!removed.has(l.toLowerCase())) removed.set(l.toLowerCase(), e.at);
      if (k === "delete") deleted.add(l.toLowerCase());
    }
  }
  const known = ctx.scimManagedUsers ?? null;
  const managed =
    known ?? new Set(scim.flatMap((e) => e.loginIds.map((l) => l.toLowerCase()))).size;
  const deactivated = {
    count: removed.size,
    deleted: deleted.size,
    examples: [...removed.keys()].slice(0, 5),
    ofManaged: managed || null,
  };
  if (massDeactivation(removed.size, known, managed, t)) {
    const first = Math.min(...removed.values());
    const episode =
      ctx.previous?.state === "mass_deactivation" && ctx.previous.episode
        ? ctx.previous.episode
        : `mass:${tenantId}:${Math.floor(first / t.massWindowMs)}`;
    return { ...base, deactivated, state: "mass_deactivation", episode, since: first };
  }

  // stopped: a tenant that pushes regularly is silent for longer than it ever is.
  if (lastPushAt !== null) {
    let longest = 0;
    for (let i = 1; i < scim.length; i++)
      longest = Math.max(longest, (scim[i] as AuditEvent).at - (scim[i - 1] as AuditEvent).at);
    const normalGapMs = Math.max(t.stoppedMinMs, 1.5 * longest);
    const silentFor = now - lastPushAt;
    const stale = pushDays >= t.regularDays && silentFor > normalGapMs;
    const overdue = ctx.overdue && ctx.overdue.since > lastPushAt ? ctx.overdue : null;
    if (stale || overdue) {
      return {
        ...base,
        deactivated,
        normalGapMs,
        overdueHires: overdue?.count ?? 0,
        state: "stopped",
        episode: `stopped:${tenantId}:${lastPushAt}`,
        since: lastPushAt,
      };
    }
    return { ...base, deactivated, normalGapMs, state: "ok", episode: null, since: null };
  }
  return { ...base, deactivated, state: "quiet", episode: null, since: null };
}

/**
 * Is this many people removed within the hour a mass deactivation? At least
 * `massMin` of them and `massRatio` of the tenant's SCIM-managed users. When
 * Descope told the tenant's real size (`known`), a small tenant losing most of
 * its people counts too: the minimum is then at most half its size (never
 * below 3), so a 5-person tenant losing everyone, or 3 of them, is alerted.
 */
export function massDeactivation(
  removed: number,
  known: number | null,
  managed: number,
  t: Pick<HealthThresholds, "massMin" | "massRatio">,
): boolean {
  const floor = known === null ? t.massMin : Math.max(3, Math.min(t.massMin, Math.ceil(known / 2)));
  return removed >= floor && removed >= t.massRatio * Math.max(managed, removed);
}

/** Did this tenant recover from an alerting state (it pushes successfully again)? */
export function recovered(previous: TenantState | undefined, next: TenantState): boolean {
  return (
    previous !== undefined &&
    ALERTING.has(previous) &&
    previous !== "mass_deactivation" &&
    !ALERTING.has(next)
  );
}
