/**
 * Reconciliation as a use case: a request (the command, the weekly
 * schedule) writes the run record and queues it; the job reads page by page
 * with the run's cursor in Redis, shows its progress in the Slack message,
 * answers with the counts, the CSV in the thread and, for people who left
 * the IdP but are still enabled in Descope, one alert per person per
 * episode. One run per tenant at a time; a stopped run resumes from the
 * last page read.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ConnectorError, type EntraHttp } from "../../connectors/entra-http.js";
import type { Reconciliation } from "../../core/reconcile/classify.js";
import type { ReconcileRun } from "../../core/reconcile/run-record.js";
import type { DescopeClient } from "../../descope/client.js";
import { DescopeError } from "../../descope/errors.js";
import type { Logger } from "../../log/logger.js";
import type { EgressPolicy } from "../../net/egress.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { RedisClient } from "../../redis/client.js";
import type { ConnectionStore } from "../../redis/connections.js";
import { acquireLock } from "../../redis/lock.js";
import type { ReconcileStore } from "../../redis/reconcile-store.js";
import type { SecretBox } from "../../redis/secret-box.js";
import { progressMessage } from "../../render/reconcile.js";
import { oktaHttpOf } from "../idp-side.js";
import type { Outbox } from "../notify/outbox.js";
import { finish } from "./answer.js";
import { newRun, runToEnd, type ScopeSource } from "./run.js";

export interface ReconcileDeps {
  descope: Pick<DescopeClient, "searchUsers">;
  reconciles: ReconcileStore;
  connections: ConnectionStore;
  entra: EntraHttp | null;
  secretBox: SecretBox | null;
  egress: EgressPolicy;
  outbox: Pick<Outbox, "send">;
  index: Pick<AuditIndex, "lastSignIns">;
  redis: RedisClient;
  log: Logger;
  now: () => number;
  graceMinutes: number;
  /** Queues a run for a worker (BullMQ). */
  enqueue: (tenantId: string, runId: string) => Promise<void>;
  /** How often the Slack message shows progress (ms). */
  progressEveryMs?: number;
}

/** A run that has not moved for this long is taken for dead: a new request may start over. */
const STALE_MS = 10 * 60_000;
const RETRIES = 5;

const running = (r: ReconcileRun | null, now: number): boolean =>
  r !== null && ["descope", "idp", "classify"].includes(r.phase) && now - r.updatedAt < STALE_MS;

/** The IdP side of a tenant: its stored connection as a source, or why it cannot be read. */
export async function scopeSourceOf(
  deps: Pick<ReconcileDeps, "connections" | "entra" | "secretBox" | "egress">,
  tenantId: string,
): Promise<{ source: ScopeSource; idpUnread?: string }> {
  const c = await deps.connections.get(tenantId);
  if (!c) return { source: null };
  if (c.idp === "azure") {
    if (!deps.entra)
      return {
        source: null,
        idpUnread:
          "Entra ID side unavailable: ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are not set on scimwatch",
      };
    return {
      source: {
        kind: "azure",
        http: deps.entra,
        entraTenant: c.entraTenant,
        spId: c.spId,
        appName: c.appName,
      },
    };
  }
  if (!deps.secretBox)
    return {
      source: null,
      idpUnread:
        "Okta side unavailable: SCIMWATCH_SECRETS_KEY is not set, so the stored token cannot be opened",
    };
  try {
    const http = oktaHttpOf(c, deps.secretBox, deps.egress);
    return { source: { kind: "okta", http, appId: c.appId, appName: c.appName } };
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    return { source: null, idpUnread: `Okta side unavailable: ${e.message}` };
  }
}

export type RequestOutcome =
  | { status: "started"; run: ReconcileRun }
  | { status: "running"; run: ReconcileRun };

/** Starts a tenant's run (posting its progress message in `channel`), unless one is running. */
export async function requestReconcile(
  deps: ReconcileDeps,
  o: {
    tenantId: string;
    tenantName: string;
    trigger: ReconcileRun["trigger"];
    requestedBy?: string | null;
    channel?: string | null;
    syncAll?: boolean;
  },
): Promise<RequestOutcome> {
  const prev = await deps.reconciles.run(o.tenantId);
  if (prev && running(prev, deps.now())) return { status: "running", run: prev };
  if (!(await deps.reconciles.claimStart(o.tenantId))) {
    const now = await deps.reconciles.run(o.tenantId);
    if (now) return { status: "running", run: now };
  }
  try {
    const { source, idpUnread } = await scopeSourceOf(deps, o.tenantId);
    let run = newRun({
      runId: randomUUID(),
      tenantId: o.tenantId,
      tenantName: o.tenantName,
      source,
      syncAll: o.syncAll ?? false,
      now: deps.now(),
      trigger: o.trigger,
      requestedBy: o.requestedBy ?? null,
      channel: o.channel ?? null,
      idpAbout: prev?.idpRead || null,
      idpUnread: idpUnread ?? null,
    });
    if (o.channel) {
      const [sent] = await deps.outbox.send([
        { kind: "reconcile_progress", to: { channel: o.channel }, message: progressMessage(run) },
      ]);
      if (sent && (sent.status === "sent" || sent.status === "found"))
        run = { ...run, ts: sent.ts };
    }
    await deps.reconciles.begin(run);
    try {
      await deps.enqueue(o.tenantId, run.runId);
    } catch (e) {
      // Not queued: said on the run (and its message), so the next request may start over.
      const failed: ReconcileRun = {
        ...run,
        phase: "failed",
        error: `could not queue the run (${(e as Error).message}): ask again in a minute`,
        updatedAt: deps.now(),
      };
      await deps.reconciles.saveRun(failed).catch(() => {});
      await show(deps, failed);
      throw e;
    }
    return { status: "started", run };
  } finally {
    await deps.reconciles.releaseStart(o.tenantId);
  }
}

/** What is retried after a wait: a spent limit, an unreachable service. */
function retryAfterOf(e: unknown): number | null {
  if (e instanceof ConnectorError && ["throttled", "unreachable"].includes(e.problem))
    return e.retryAfterSec ?? 10;
  if (e instanceof DescopeError && ["descope_rate_limited", "descope_unreachable"].includes(e.code))
    return e.retryAfterSec ?? 10;
  return null;
}

/** Edits the run's Slack message (no record: any number of times). */
async function show(deps: ReconcileDeps, r: ReconcileRun, msg = progressMessage(r)) {
  if (!r.channel || !r.ts) return;
  await deps.outbox
    .send([
      { kind: "reconcile_progress", to: { channel: r.channel }, edit: { ts: r.ts }, message: msg },
    ])
    .catch(() => {});
}

/**
 * The job: reads the run to its end (resuming where it stopped), answers, and
 * alerts new orphans. Returns what happened, for the log.
 */
export async function executeReconcile(
  deps: ReconcileDeps,
  tenantId: string,
  runId: string,
): Promise<string> {
  // A process that died holding the run lets go within the lock's time: wait that out once;
  // a live one renews it, and this job leaves the run to it.
  let lock = await acquireLock(deps.redis, deps.reconciles.lockKey(tenantId), 10_000);
  if ("heldMs" in lock) {
    await sleep(lock.heldMs + 250);
    lock = await acquireLock(deps.redis, deps.reconciles.lockKey(tenantId), 10_000);
  }
  if ("heldMs" in lock) return "busy";
  try {
    let run = await deps.reconciles.run(tenantId);
    if (!run || run.runId !== runId || !["descope", "idp", "classify"].includes(run.phase))
      return "stale";
    if (run.descopeRead > 0 || run.idpRead > 0) run = { ...run, resumed: run.resumed + 1 };
    const { source } = await scopeSourceOf(deps, tenantId);
    let lastShown = 0;
    const every = deps.progressEveryMs ?? 2_000;
    const progress = async (r: ReconcileRun) => {
      if (deps.now() - lastShown < every && r.phase === run?.phase) return;
      lastShown = deps.now();
      run = r;
      await show(deps, r);
    };
    let outcome: { run: ReconcileRun; result: Reconciliation } | undefined;
    for (let attempt = 0; !outcome; attempt++) {
      try {
        const current: ReconcileRun = (await deps.reconciles.run(tenantId)) ?? run;
        outcome = await runToEnd(
          {
            descope: deps.descope,
            lastSignIns: (ids) => deps.index.lastSignIns(ids),
            staging: deps.reconciles,
            now: deps.now,
            graceMinutes: deps.graceMinutes,
          },
          { ...current, resumed: run.resumed },
          source,
          progress,
        );
      } catch (e) {
        const wait = retryAfterOf(e);
        const what = e instanceof Error ? e.message : String(e);
        const latest = (await deps.reconciles.run(tenantId)) ?? run;
        if (wait !== null && attempt < RETRIES) {
          const sec = Math.min(120, Math.max(wait, 5 * 2 ** attempt));
          await show(deps, {
            ...latest,
            label: `Paused (${what}); resuming in ${sec} s from the last page read`,
          });
          await sleep(sec * 1000);
          continue;
        }
        if (!(e instanceof ConnectorError || e instanceof DescopeError))
          deps.log.error({ kind: "reconcile", tenantId, err: e }, "reconciliation failed");
        const failed: ReconcileRun = {
          ...latest,
          phase: "failed",
          error: `${what}. Nothing was changed; run the reconciliation again once this is fixed`,
          updatedAt: deps.now(),
        };
        await deps.reconciles.saveRun(failed);
        await show(deps, failed);
        return "failed";
      }
    }
    await finish(deps, outcome.run, outcome.result);
    return "done";
  } finally {
    await lock.release();
  }
}

/** The weekly run: every connected tenant (one queued run each; a running one is left alone). */
export async function reconcileConnectedTenants(deps: ReconcileDeps): Promise<number> {
  let started = 0;
  for (const c of await deps.connections.all()) {
    const r = await requestReconcile(deps, {
      tenantId: c.tenantId,
      tenantName: c.tenantName,
      trigger: "weekly",
    }).catch((e: unknown) => {
      deps.log.warn(
        { kind: "reconcile", tenantId: c.tenantId, err: e },
        "weekly reconciliation not started",
      );
      return null;
    });
    if (r?.status === "started") started++;
  }
  return started;
}
