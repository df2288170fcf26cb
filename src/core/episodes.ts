/**
 * When a flapping problem (a tenant failing, then healthy, then failing; a
 * key refused every other read) is one episode, not a storm of alerts and
 * recoveries. Pure.
 *
 * - While an alert is open, a relapse (bad again, whatever the new streak's
 *   key) continues it: no new alert.
 * - A recovery counts only after `settleMs` of being good without a break.
 * - A relapse within `cooldownMs` of a recovery reopens the same alert
 *   instead of posting a new one.
 */
export interface Debounce {
  /** How long things must stay good before a recovery is said (SCIMWATCH_RECOVERY_SETTLE_MIN). */
  settleMs: number;
  /** How long after a recovery a relapse still continues the same episode (SCIMWATCH_RELAPSE_COOLDOWN_MIN). */
  cooldownMs: number;
}

export const DEFAULT_DEBOUNCE: Debounce = { settleMs: 10 * 60_000, cooldownMs: 60 * 60_000 };

export interface EpisodeState {
  /** An alert is open (posted, not recovered). */
  open: boolean;
  /** Since when things have been good while the alert is open, or null. */
  goodSince: number | null;
  /** When the last alert was closed by a recovery, or null. */
  closedAt: number | null;
}

export type EpisodeStep =
  /** Post a new alert. */
  | "alert"
  /** Still (or again) bad with the alert open: nothing to post. */
  | "continue"
  /** Bad again soon after a recovery: the closed alert is open again, nothing new posted. */
  | "reopen"
  /** Good, but not for long enough yet: keep the alert open, remember since when. */
  | "settling"
  /** Good for long enough: say it recovered, close the alert. */
  | "recover"
  /** Good, and no alert open: nothing to do. */
  | "quiet";

export function episodeStep(s: EpisodeState, bad: boolean, now: number, d: Debounce): EpisodeStep {
  if (bad) {
    if (s.open) return "continue";
    if (s.closedAt !== null && now - s.closedAt < d.cooldownMs) return "reopen";
    return "alert";
  }
  if (!s.open) return "quiet";
  const since = s.goodSince ?? now;
  return now - since >= d.settleMs ? "recover" : "settling";
}
