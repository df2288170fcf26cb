/**
 * After each tail run (and on registration): look at every open hire, tick
 * what really happened (observe.ts: only what can have changed is read from
 * Descope), update checklists in place only when they changed,
 * alert each overdue hire exactly once (a digest when many fall due
 * together), and mark alerts resolved when the hire arrives late.
 */

import { readSinceDue, type UserCheck } from "../../core/hires/slice.js";
import { alertOwed, type HireView, hireState } from "../../core/hires/state.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import { checklistMessage } from "../../render/hires.js";
import { alertRoutes, type Outbox, type Outgoing } from "../notify/outbox.js";
import { followUps, overdueMessages, type Recorder } from "./hire-messages.js";
import { type ObserveDeps, observeHires } from "./observe.js";

interface EvaluatorDeps extends ObserveDeps {
  outbox: Outbox;
  once: OnceStore;
  links: LinkStore;
  alertChannel?: string | undefined;
  now: () => number;
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

  const out: Outgoing[] = [];
  // Checklists: one message per batch, edited in place only when it changed.
  for (const batchId of touchedBatches) {
    const m = await checklistOutgoing(deps, batchId, now).catch((e: unknown) => {
      deps.log.warn({ kind: "checklist", batchId, err: e }, "checklist update failed");
      return null;
    });
    if (m) out.push(m);
  }
  out.push(...followUps(views, now, recorder(deps)));
  out.push(...(await overdueAlerts(deps, views, checkOf, now)));

  const outcomes = await deps.outbox.send(out);
  for (const [i, m] of out.entries()) {
    const o = outcomes[i];
    const fresh = o?.status === "sent";
    if (m.kind === "checklist" && fresh) result.checklistsUpdated++;
    if (m.kind === "hire_resolved" && fresh) result.resolved++;
    if (m.kind === "hire_digest" && fresh) result.digests++;
    if (m.kind === "hire_overdue" && fresh) {
      result.alerts++;
      deps.log.info({ kind: "alert", channel: o.channel }, "overdue hire alerted");
    }
    if (m.kind === "hire_overdue" && o?.status === "found")
      deps.log.info({ kind: "alert", channel: o.channel }, "alert found already posted");
  }
  return result;
}

/**
 * Overdue hires owed an alert, on a user record read since they fell due (the
 * others are read first next run), and not alerted yet; routed by the one rule.
 */
async function overdueAlerts(
  deps: Pick<EvaluatorDeps, "hires" | "once" | "links" | "alertChannel" | "digestThreshold">,
  views: Map<string, HireView>,
  checkOf: (id: string) => UserCheck | null,
  now: number,
): Promise<Outgoing[]> {
  const due = [...views].filter(
    ([id, v]) => alertOwed(v, now) && readSinceDue(checkOf(id), v.dueAt),
  );
  if (!due.length) return [];
  const done = await deps.once.sent(due.map(([id]) => `alert:${id}`));
  const routeOf = await alertRoutes(deps.links, deps.alertChannel);
  return overdueMessages(
    due.filter(([id]) => !done.has(`alert:${id}`)),
    (v) => routeOf(v.hire.tenantId) ?? v.hire.channelId,
    now,
    recorder(deps),
    deps.digestThreshold,
  );
}

/**
 * A batch's checklist as a message: posted once (its once-key finds it again
 * after a crash), then edited in place only when it changed; null when
 * nothing changed.
 */
export async function checklistOutgoing(
  deps: Pick<EvaluatorDeps, "hires" | "graceMinutes">,
  batchId: string,
  now: number,
): Promise<Outgoing | null> {
  const batch = await deps.hires.getBatch(batchId);
  if (!batch) return null;
  // Only the hires that are this batch's: a batch saved before a crash mid-registration
  // lists people who were never stored, or who belong to an earlier registration.
  const records = (await deps.hires.getMany(batch.hireIds)).filter(
    (r) => r.hire.batchId === batch.id,
  );
  if (!records.length) return null;
  const msg = checklistMessage(
    batch.id,
    records.map((r) => hireState(r.hire, now, deps.graceMinutes)),
  );
  if (batch.ts && msg.fingerprint === batch.rendered) return null;
  return {
    ...(batch.ts ? { edit: { ts: batch.ts } } : { key: `checklist:${batch.id}` }),
    kind: "checklist",
    to: { channel: batch.channelId },
    message: msg,
    afterSend: async ({ ts }) => {
      await deps.hires.saveBatch({ ...batch, ts, rendered: msg.fingerprint });
    },
  };
}

/** Re-renders a batch's checklist and sends it; returns whether Slack was called. */
export async function refreshChecklist(
  deps: Pick<EvaluatorDeps, "hires" | "graceMinutes" | "outbox">,
  batchId: string,
  now: number,
): Promise<boolean> {
  const m = await checklistOutgoing(deps, batchId, now);
  if (!m) return false;
  const [o] = await deps.outbox.send([m]);
  if (o?.status === "failed") throw o.error;
  return o?.status === "sent" || o?.status === "found";
}

/** Where the messages record what was sent: on the hire. */
function recorder(deps: Pick<EvaluatorDeps, "hires">): Recorder {
  return {
    alerted: async (id, alert) => {
      await deps.hires.update(id, (h) => ({ ...h, alert: { ...alert, resolvedAt: null } }));
    },
    resolved: async (id, at) => {
      await deps.hires.update(id, (h) =>
        h.alert ? { ...h, alert: { ...h.alert, resolvedAt: at } } : null,
      );
    },
    reminded: async (id) => {
      await deps.hires.update(id, (h) => ({ ...h, snoozedUntil: null }));
    },
  };
}
