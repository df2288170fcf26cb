/**
 * After each tail run (and on registration): look at every open hire, tick
 * what really happened (observe.ts: only what can have changed is read from
 * Descope), update checklists in place only when they changed,
 * alert each overdue hire exactly once (a digest when many fall due
 * together), and mark alerts resolved when the hire arrives late.
 */

import {
  alertOwed,
  type HireView,
  reminderOwed,
  resolutionOwed,
  view,
} from "../../core/hires/evaluate.js";
import type { Hire } from "../../core/hires/model.js";
import { readSinceDue } from "../../core/hires/slice.js";
import type { LinkStore } from "../../redis/links.js";
import {
  alertMessage,
  checklistMessage,
  digestMessage,
  reminderMessage,
  resolvedAlertMessage,
} from "../../render/hires.js";
import type { Notifier } from "../notifier.js";
import { alertChannels } from "./alert-channel.js";
import { deliverClaimed, once } from "./deliver.js";
import { type ObserveDeps, observeHires } from "./observe.js";

export interface EvaluatorDeps extends ObserveDeps {
  notifier: Notifier;
  links: LinkStore;
  alertChannel?: string | undefined;
  now: () => number;
  /** Counts the alerts posted (for /metrics). */
  metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
  /** How many alerts falling due together in one channel make a digest. */
  digestThreshold?: number;
}

export interface EvalResult {
  evaluated: number;
  changed: number;
  checklistsUpdated: number;
  alerts: number;
  digests: number;
  resolved: number;
  /** Hires whose user record was read this run. */
  loaded: number;
  /** Hires closed past their horizon this run. */
  closed: number;
  /** Hires chosen for a read that a refused or failed search left for the next run. */
  deferred: number;
}

const ALERT_KEEP_MS = 30 * 86_400_000;

export async function evaluateHires(deps: EvaluatorDeps, onlyIds?: string[]): Promise<EvalResult> {
  const now = deps.now();
  const result: EvalResult = {
    evaluated: 0,
    changed: 0,
    checklistsUpdated: 0,
    alerts: 0,
    digests: 0,
    resolved: 0,
    loaded: 0,
    closed: 0,
    deferred: 0,
  };
  const ids = onlyIds ?? (await deps.hires.openIds());
  const all = await deps.hires.getMany(ids);
  if (!all.length) return result;

  const seen = await observeHires(deps, all, now);
  Object.assign(result, seen.counts);
  const { views, touchedBatches, checkOf } = seen;

  // Checklists: one message per batch, edited in place only when it changed.
  for (const batchId of touchedBatches) {
    try {
      if (await refreshChecklist(deps, batchId, now)) result.checklistsUpdated++;
    } catch (e) {
      deps.log.warn({ kind: "checklist", batchId, err: e }, "checklist update failed");
    }
  }

  // Late arrivals: the alert says "resolved".
  for (const [id, v] of views) {
    if (!resolutionOwed(v)) continue;
    const alert = v.hire.alert as NonNullable<Hire["alert"]>;
    try {
      const ran = await once(deps.hires, `resolve:${id}`, ALERT_KEEP_MS, async () => {
        await deps.notifier.update(alert.channel, alert.ts, resolvedAlertMessage(v));
        await deps.hires.update(id, (h) =>
          h.alert ? { ...h, alert: { ...h.alert, resolvedAt: now } } : null,
        );
      });
      if (ran) result.resolved++;
    } catch (e) {
      deps.log.warn({ kind: "alert_resolve", err: e }, "could not mark an alert resolved");
    }
  }

  // Snoozed alerts whose hour is up: remind in the alert's thread.
  for (const [id, v] of views) {
    if (!reminderOwed(v, now)) continue;
    const alert = v.hire.alert as NonNullable<Hire["alert"]>;
    const claim = `remind:${id}:${v.hire.snoozedUntil}`;
    if (!(await deps.hires.claim(claim))) continue;
    try {
      await deliverClaimed(
        deps,
        claim,
        alert.channel,
        (key) => deps.notifier.post(alert.channel, reminderMessage(v.hire), alert.ts, key),
        ALERT_KEEP_MS,
      );
      await deps.hires.update(id, (h) => ({ ...h, snoozedUntil: null }));
    } catch (e) {
      deps.log.warn({ kind: "alert_remind", err: e }, "could not send a reminder");
    }
  }

  // Overdue hires: each alerted exactly once. Claim first, then send, then record.
  // Only on a user record read since the hire fell due (the others are read first next run).
  const owed = [...views].filter(
    ([id, v]) => alertOwed(v, now) && readSinceDue(checkOf(id), v.dueAt),
  );
  const byChannel = new Map<string, Array<[string, HireView]>>();
  const channelFor = owed.length
    ? await alertChannels(deps.links, deps.alertChannel)
    : () => undefined;
  for (const [id, v] of owed) {
    if (!(await deps.hires.claim(`alert:${id}`))) continue;
    const channel = channelFor(v.hire.tenantId) ?? v.hire.channelId;
    const list = byChannel.get(channel) ?? [];
    list.push([id, v]);
    byChannel.set(channel, list);
  }
  for (const [channel, list] of byChannel) {
    let threadTs: string | undefined;
    if (list.length >= (deps.digestThreshold ?? 3)) {
      try {
        const tenants = [...new Set(list.map(([, v]) => v.hire.tenantName))].join(", ");
        threadTs = await deps.notifier.post(
          channel,
          digestMessage(
            list.map(([, v]) => v),
            tenants,
          ),
          undefined,
          `digest:${now}`,
        );
        result.digests++;
      } catch (e) {
        deps.log.warn(
          { kind: "alert_digest", err: e },
          "could not post the digest; alerting one by one",
        );
      }
    }
    for (const [id, v] of list) {
      try {
        const { ts, found } = await deliverClaimed(
          deps,
          `alert:${id}`,
          channel,
          (key) => deps.notifier.post(channel, alertMessage(v, id), threadTs, key),
          ALERT_KEEP_MS,
        );
        await deps.hires.update(id, (h) => ({
          ...h,
          alert: { channel, ts, at: now, resolvedAt: null },
        }));
        if (found) {
          deps.log.info(
            { kind: "alert", tenant: v.hire.tenantId, channel },
            "alert found already posted",
          );
          continue;
        }
        await deps.hires.pushRecentAlert({
          at: now,
          tenantId: v.hire.tenantId,
          text: `${v.hire.loginId} missing in ${v.hire.tenantName}`,
        });
        result.alerts++;
        deps.log.info(
          { kind: "alert", tenant: v.hire.tenantId, channel, digest: Boolean(threadTs) },
          "overdue hire alerted",
        );
      } catch (e) {
        deps.log.warn(
          { kind: "alert", err: e },
          "could not send an alert; will retry after the next tail run",
        );
      }
    }
  }
  return result;
}

/** Re-renders a batch's checklist; posts it if it has no message yet. Returns whether Slack was called. */
export async function refreshChecklist(
  deps: Pick<EvaluatorDeps, "hires" | "notifier" | "graceMinutes">,
  batchId: string,
  now: number,
): Promise<boolean> {
  const batch = await deps.hires.getBatch(batchId);
  if (!batch) return false;
  // Only the hires that are this batch's: a batch saved before a crash mid-registration
  // lists people who were never stored, or who belong to an earlier registration.
  const records = (await deps.hires.getMany(batch.hireIds)).filter(
    (r) => r.hire.batchId === batch.id,
  );
  if (!records.length) return false;
  const msg = checklistMessage(
    batch.id,
    records.map((r) => view(r.hire, now, deps.graceMinutes)),
  );
  if (batch.ts && msg.fingerprint === batch.rendered) return false;
  if (batch.ts) await deps.notifier.update(batch.channelId, batch.ts, msg);
  else batch.ts = await deps.notifier.post(batch.channelId, msg);
  await deps.hires.saveBatch({ ...batch, rendered: msg.fingerprint });
  return true;
}
