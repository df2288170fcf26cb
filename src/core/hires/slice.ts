/**
 * Which open hires are worth a Descope call in this evaluation, and which
 * are closed. Pure.
 *
 * A hire's user record can only have changed when something happened to them
 * (a new audit row in the index), when it was never read, or when it is about
 * to decide an alert (it fell due since it was last read). Those come first,
 * the hire falling due first; then, with what the run may still spend, the
 * ones read longest ago (a row the tail missed is caught within the refresh
 * period). Everything else keeps its last observation, so ten thousand open
 * hires cost a few searches per run, not a hundred.
 */
import * as z from "zod";
import type { Hire } from "./model.js";

/** The last time a hire's user record was read, and what the index held then. */
export const userCheckSchema = z.object({
  at: z.number(),
  /** A fingerprint of the hire's indexed events at that read. */
  seen: z.string(),
  /** The user's Descope ID when one was found (their rows may not carry the login ID). */
  userId: z.string().optional(),
});
export type UserCheck = z.infer<typeof userCheckSchema>;

export interface SliceCandidate {
  id: string;
  /** How many login IDs its look-up costs (the ID as registered and lower-cased). */
  cost: number;
  dueAt: number;
  /** Whether its overdue alert is still to decide (not alerted, not dismissed). */
  alertPending: boolean;
  check: UserCheck | null;
  /** The fingerprint of its indexed events now. */
  seen: string;
}

interface SliceOptions {
  /** Most login IDs looked up in one run. */
  maxIds: number;
  /** A user read this long ago is read again even when nothing happened. */
  refreshMs: number;
}

/** Why a hire's user is read now: 0 it may have changed or decides an alert, 1 refresh. */
function urgency(c: SliceCandidate, now: number, refreshMs: number): 0 | 1 | null {
  if (!c.check || c.check.seen !== c.seen) return 0;
  if (c.alertPending && c.dueAt <= now && c.check.at < c.dueAt) return 0;
  if (now - c.check.at >= refreshMs) return 1;
  return null;
}

/** The hires whose users this run loads, most urgent first, within `maxIds`. */
export function usersToLoad(candidates: SliceCandidate[], now: number, o: SliceOptions): string[] {
  const ranked = candidates
    .map((c) => ({ c, u: urgency(c, now, o.refreshMs) }))
    .filter((x): x is { c: SliceCandidate; u: 0 | 1 } => x.u !== null)
    .sort(
      (a, b) =>
        a.u - b.u ||
        (a.u === 0 ? a.c.dueAt - b.c.dueAt : (a.c.check?.at ?? 0) - (b.c.check?.at ?? 0)),
    );
  const out: string[] = [];
  let spent = 0;
  for (const { c } of ranked) {
    if (spent + c.cost > o.maxIds) break;
    spent += c.cost;
    out.push(c.id);
  }
  return out;
}

/**
 * An overdue alert may only go out on a user record read after the hire fell
 * due: a hire not read since could have arrived in the meantime.
 */
export function readSinceDue(check: UserCheck | null, dueAt: number): boolean {
  return Boolean(check && check.at >= dueAt);
}

/** The fingerprint of a hire's indexed events (changes whenever a row is added). */
export function eventsSeen(events: ReadonlyArray<{ id: string; at: number }>): string {
  let max = 0;
  for (const e of events) max = Math.max(max, e.at);
  return `${events.length}:${max}`;
}

/** How long scimwatch watches an expected hire who never completes. */
export const DEFAULT_HORIZON_DAYS = 30;

/**
 * When an open hire is closed: `horizonDays` after the latest of its
 * assignment, registration and start date. Descope keeps 30 days of audit
 * events, so past that nothing new can be proven about an old registration.
 */
export function closesAt(h: Hire, horizonDays: number): number {
  return Math.max(h.assignedAt, h.registeredAt, h.startDate ?? 0) + horizonDays * 86_400_000;
}
