/**
 * Exactly-once delivery of a message whose claim is held: the one place that
 * decides "claim → (look for a message already sent) → send → confirm, or
 * release". A send that may have reached Slack (no answer in time, a crash
 * after Slack accepted it) leaves an attempt record; the next try looks for
 * the message by the key in its metadata before posting again.
 */

import type { HireStore } from "../../redis/hire-store.js";
import { type Notifier, sendFailure } from "../notifier.js";

/**
 * Runs `work` at most once for `name` across every process: claim → work →
 * confirm (kept `keepMs`), or release when it fails so a later run retries.
 * Returns whether it ran. A claim left by a crash expires after 5 minutes;
 * for a post whose outcome may be unknown, `work` uses deliverClaimed.
 */
export async function once(
  hires: HireStore,
  name: string,
  keepMs: number,
  work: () => Promise<void>,
): Promise<boolean> {
  if (!(await hires.claim(name))) return false;
  try {
    await work();
    await hires.confirm(name, keepMs);
    return true;
  } catch (e) {
    await hires.release(name).catch(() => {});
    throw e;
  }
}

/** The kind of an alert, from its exactly-once name (for the alerts-sent metric). */
export function alertKind(name: string): string {
  const [head = "", second = ""] = name.split(":");
  const kinds: Record<string, string> = {
    alert: "hire_overdue",
    remind: "hire_reminder",
    signin: "unknown_signin",
    idmismatch: "identifier_mismatch",
    "tenant-recovered": "tenant_recovered",
    blind: "blind",
    sight: "sight_restored",
    weekly: "weekly_digest",
    "idp-block": "hire_blocked",
    start: "hire_start_near",
  };
  if (head === "tenant-alert") return `tenant_${second === "mass" ? "mass_deactivation" : second}`;
  return kinds[head] ?? "other";
}

export async function deliverClaimed(
  deps: {
    hires: HireStore;
    notifier: Notifier;
    metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
  },
  name: string,
  channel: string,
  post: (onceKey: string) => Promise<string>,
  keepMs: number,
): Promise<{ ts: string; found: boolean }> {
  const prior = await deps.hires.attemptOf(name);
  if (prior !== null) {
    let ts: string | null;
    try {
      ts = await deps.notifier.findPosted(channel, name, prior - 60_000);
    } catch (e) {
      // Slack unreachable: try again later rather than risk a second copy.
      // Slack refusing the look-up (e.g. an install without the history
      // scopes) cannot be helped by waiting: send.
      if (sendFailure(e) !== "refused") {
        await deps.hires.release(name);
        throw e;
      }
      ts = null;
    }
    if (ts) {
      await deps.hires.confirm(name, keepMs);
      await deps.hires.clearAttempt(name);
      return { ts, found: true };
    }
  }
  await deps.hires.markAttempt(name, Date.now());
  try {
    const ts = await post(name);
    deps.metrics?.alerts.inc({ kind: alertKind(name) });
    await deps.hires.confirm(name, keepMs);
    await deps.hires.clearAttempt(name);
    return { ts, found: false };
  } catch (e) {
    await deps.hires.release(name);
    // Slack said no for sure: nothing to look for next time.
    if (sendFailure(e) !== "uncertain") await deps.hires.clearAttempt(name);
    throw e;
  }
}
