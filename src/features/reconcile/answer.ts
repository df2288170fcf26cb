/**
 * The end of a reconciliation: the answer in its Slack message, the whole
 * list as a CSV in its thread, and the orphan alert (once per person per
 * episode) to the tenant's alert channel; then the staged people go.
 */
import type { Reconciliation } from "../../core/reconcile/classify.js";
import type { ReconcileRun } from "../../core/reconcile/run-record.js";
import type { OrphanRecord } from "../../redis/reconcile-store.js";
import { csvOf, orphanAlert, resultMessage } from "../../render/reconcile.js";
import type { ReconcileDeps } from "./job.js";

/** The answer, the CSV, the orphan alert; then the staged people go. */
export async function finish(deps: ReconcileDeps, run: ReconcileRun, result: Reconciliation) {
  await deps.reconciles.saveRun(run);
  if (run.channel && run.ts) {
    await deps.outbox.send([
      {
        kind: "reconcile_result",
        to: { channel: run.channel },
        edit: { ts: run.ts },
        message: resultMessage(run, result),
      },
      {
        key: `reconcile-file:${run.tenantId}:${run.runId}`,
        kind: "reconcile_file",
        to: { channel: run.channel },
        thread: run.ts,
        message: { text: `Reconciliation of ${run.tenantName}`, blocks: [] },
        file: {
          filename: `reconcile-${run.tenantName.replace(/[^\w.-]+/g, "_")}-${new Date(run.finishedAt ?? deps.now()).toISOString().slice(0, 10)}.csv`,
          title: `Reconciliation of ${run.tenantName}`,
          content: csvOf(result.rows),
        },
      },
    ]);
  }
  await alertOrphans(deps, run, result);
  await deps.reconciles.clearStaged(run.tenantId);
}

/**
 * Orphans are alerted once per person per episode: an episode ends when a
 * later run finds them no longer orphaned. Not recorded when the alert could
 * not be sent (the next run tries again).
 */
async function alertOrphans(deps: ReconcileDeps, run: ReconcileRun, result: Reconciliation) {
  if (!run.idp) return;
  const rows = result.rows.filter((r) => r.category === "orphaned");
  const before = await deps.reconciles.orphans(run.tenantId);
  const now = new Map<string, OrphanRecord>();
  for (const r of rows) {
    const k = r.loginId.toLowerCase();
    now.set(k, before.get(k) ?? { since: run.finishedAt ?? deps.now(), alerted: false });
  }
  await deps.reconciles.saveOrphans(run.tenantId, now);
  const fresh = rows.filter((r) => !now.get(r.loginId.toLowerCase())?.alerted);
  if (!fresh.length) return;
  const [o] = await deps.outbox.send([
    {
      key: `reconcile-orphans:${run.tenantId}:${run.runId}`,
      kind: "reconcile_orphaned",
      to: { tenantId: run.tenantId, ...(run.channel ? { fallback: run.channel } : {}) },
      message: orphanAlert(run, fresh),
      recent: {
        tenantId: run.tenantId,
        text: `${fresh.length} orphaned in ${run.tenantName} (still enabled in Descope)`,
      },
    },
  ]);
  if (o && ["sent", "found", "done"].includes(o.status))
    await deps.reconciles.markAlerted(
      run.tenantId,
      fresh.map((r) => r.loginId.toLowerCase()),
      now,
    );
}
