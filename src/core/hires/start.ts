/**
 * Start dates, decided once: how a typed date becomes a time, and when the
 * "starts soon and still cannot sign in" alert is due. Pure.
 */
import type { Hire } from "./model.js";

const DAY = 86_400_000;

/**
 * "2026-12-07" (that day, 09:00 UTC: a working morning when no time is given)
 * or a full ISO-8601 time with a zone. Undefined when malformed.
 */
export function parseStartDate(v: string): number | undefined {
  const s = v.trim();
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (d) {
    const t = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), 9);
    return new Date(t).toISOString().startsWith(s) ? t : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s))
    return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** When the start alert is due: `leadHours` before the start, or (default) one working day before (Mon → Fri). */
export function startAlertAt(start: number, leadHours?: number): number {
  if (leadHours !== undefined) return start - leadHours * 3_600_000;
  let t = start - DAY;
  for (let day = new Date(t).getUTCDay(); day === 0 || day === 6; day = new Date(t).getUTCDay())
    t -= DAY;
  return t;
}

/** Is the start near while they still cannot work (not provisioned, or provisioned without roles)? */
export function startAlertDue(h: Hire, now: number, leadHours?: number): boolean {
  if (h.startDate === null || h.dismissed || h.deprovisioned) return false;
  if (now < startAlertAt(h.startDate, leadHours)) return false;
  if (now > h.startDate + 2 * DAY) return false;
  return !h.items.provisioned.at || !h.items.roles.at;
}
