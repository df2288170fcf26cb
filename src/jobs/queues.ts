/**
 * BullMQ wiring. Two queues, each with its own worker, so that one never
 * waits on the other:
 * - `scimwatch`: periodic work from job schedulers (the audit tail every
 *   interval, the weekly digest), one job per period whatever the number of
 *   processes;
 * - `scimwatch-notify`: everything that talks to Slack after a tail run
 *   (evaluations, checklists, alerts), so a slow or failing Slack never stalls
 *   the audit tail.
 * Schedulers live in Redis: a watchdog recreates them when Redis lost them
 * (a restart without persistence, a failover to an empty replica, FLUSHALL,
 * eviction), without a restart of the bot.
 */
import { Queue, type RepeatOptions, Worker } from "bullmq";
import type { DependencyState } from "../log/dependency.js";
import type { Logger } from "../log/logger.js";
import type { RedisClient } from "../redis/client.js";

const QUEUE = "scimwatch";
const NOTIFY_QUEUE = "scimwatch-notify";
export const TAIL_SCHEDULER_ID = "audit-tail";
const NOTIFY_JOB = "notify";
/** Reconciliations: long reads, on their own queue so the tail never waits behind one. */
export const RECONCILE_QUEUE = "scimwatch-reconcile";
/** A reconcile job's lock: renewed while it runs; a killed process's run is taken up within ~15 s. */
const RECONCILE_LOCK_MS = 10_000;
/** How long a notify job's lock lasts without renewal (renewed every half of it). */
const NOTIFY_LOCK_MS = 4_000;

interface Schedule {
  /** Scheduler ID and job name. */
  id: string;
  repeat: Omit<RepeatOptions, "key">;
  run: () => Promise<unknown>;
}

export interface Jobs {
  queue: Queue;
  notifyQueue: Queue;
  /** Asks the notify worker to run (at most one waiting behind one running). */
  notify(): Promise<void>;
  /** Scheduler IDs that Redis no longer holds. */
  missingSchedulers(): Promise<string[]>;
  /** Recreates missing schedulers; returns the IDs recreated. */
  ensureSchedulers(): Promise<string[]>;
  close(): Promise<void>;
}

const KEEP = { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } };

/** A queue whose errors are reported as the dependency's state, never thrown to stderr. */
function quietQueue(
  name: string,
  connection: RedisClient,
  prefix: string,
  redisDep: DependencyState,
): Queue {
  const q = new Queue(name, { connection, prefix });
  q.on("error", (e) => redisDep.down(e));
  return q;
}

export async function startJobs(opts: {
  connection: RedisClient;
  /** BullMQ prefix, braced for Redis Cluster, e.g. {scimwatch}. */
  prefix: string;
  schedules: Schedule[];
  /** What the notify worker does. */
  onNotify: () => Promise<unknown>;
  /** What the reconcile worker does with one queued run. */
  onReconcile?: (tenantId: string, runId: string) => Promise<unknown>;
  log: Logger;
  redisDep: DependencyState;
  /** How often the watchdog looks for lost schedulers (ms). Default 30 s. */
  watchdogMs?: number;
}): Promise<Jobs> {
  const { connection, prefix, log, redisDep } = opts;
  const queue = quietQueue(QUEUE, connection, prefix, redisDep);
  const notifyQueue = quietQueue(NOTIFY_QUEUE, connection, prefix, redisDep);

  const upsert = (s: Schedule) =>
    queue.upsertJobScheduler(s.id, s.repeat, { name: s.id, opts: KEEP });
  for (const s of opts.schedules) await upsert(s);

  const byName = new Map(opts.schedules.map((s) => [s.id, s.run]));
  const workerError = (kind: string) => (err: Error) => {
    if (
      redisDep.state() === "down" ||
      /ECONNREFUSED|ETIMEDOUT|Connection is closed|ENOTFOUND/i.test(String(err?.message))
    ) {
      redisDep.down(err);
    } else log.warn({ kind, err }, "worker error");
  };
  const worker = new Worker(QUEUE, async (job) => byName.get(job.name)?.(), {
    connection,
    prefix,
    concurrency: 1,
  });
  worker.on("failed", (job, err) => log.warn({ kind: "job", job: job?.name, err }, "job failed"));
  worker.on("error", workerError("job"));
  // A short lock, renewed while the job runs: a process killed mid-job (or stopped past its
  // grace period) leaves a job that the others reclaim within seconds, not a minute; while it
  // is held, its de-duplication key keeps every other process from starting one.
  const notifyWorker = new Worker(NOTIFY_QUEUE, async () => opts.onNotify(), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: NOTIFY_LOCK_MS,
    stalledInterval: NOTIFY_LOCK_MS / 2,
    maxStalledCount: 5,
  });
  notifyWorker.on("failed", (job, err) =>
    log.warn({ kind: "notify", job: job?.name, err }, "notify job failed"),
  );
  notifyWorker.on("error", workerError("notify"));

  // Reconciliations: two at a time per process; a run whose process died is stalled, then
  // taken up again by any worker (it resumes from its last page in Redis).
  const reconcileWorker = opts.onReconcile
    ? new Worker(
        RECONCILE_QUEUE,
        async (job) => {
          const d = job.data as { tenantId?: string; runId?: string };
          if (d.tenantId && d.runId) return opts.onReconcile?.(d.tenantId, d.runId);
        },
        {
          connection,
          prefix,
          concurrency: 2,
          lockDuration: RECONCILE_LOCK_MS,
          stalledInterval: RECONCILE_LOCK_MS / 2,
          maxStalledCount: 20,
        },
      )
    : null;
  reconcileWorker?.on("failed", (job, err) =>
    log.warn({ kind: "reconcile", job: job?.id, err }, "reconcile job failed"),
  );
  reconcileWorker?.on("error", workerError("reconcile"));

  const jobs: Jobs = {
    queue,
    notifyQueue,
    async notify() {
      await notifyQueue.add(
        NOTIFY_JOB,
        {},
        { ...KEEP, deduplication: { id: NOTIFY_JOB, keepLastIfActive: true } },
      );
    },
    async missingSchedulers() {
      const missing: string[] = [];
      for (const s of opts.schedules) if (!(await queue.getJobScheduler(s.id))) missing.push(s.id);
      return missing;
    },
    async ensureSchedulers() {
      const missing = await jobs.missingSchedulers();
      for (const id of missing) {
        const s = opts.schedules.find((x) => x.id === id);
        if (s) await upsert(s);
      }
      if (missing.length) {
        log.warn(
          { kind: "jobs", recreated: missing },
          "Redis lost the job schedulers (restart without persistence, failover, FLUSHALL or eviction): recreated them; the tail backfills if its cursor is gone too",
        );
      }
      return missing;
    },
    async close() {
      clearInterval(watchdog);
      await Promise.all([worker.close(), notifyWorker.close(), reconcileWorker?.close()]);
      await Promise.all([queue.close(), notifyQueue.close()]);
    },
  };
  const watchdog = setInterval(() => {
    jobs.ensureSchedulers().catch((e: unknown) => redisDep.down(e));
  }, opts.watchdogMs ?? 30_000);
  watchdog.unref();
  return jobs;
}

/**
 * Queues reconciliations from any process (the bot's command, the weekly
 * schedule); its Redis connection is opened on first use and followed like the others.
 */
export function reconcileProducer(
  connect: () => RedisClient,
  prefix: string,
  redisDep: DependencyState,
) {
  let open: { conn: RedisClient; q: Queue } | undefined;
  return {
    async add(tenantId: string, runId: string): Promise<void> {
      if (!open) {
        const conn = connect();
        conn.on("error", (e) => redisDep.down(e));
        open = { conn, q: quietQueue(RECONCILE_QUEUE, conn, prefix, redisDep) };
      }
      await open.q.add(
        "reconcile",
        { tenantId, runId },
        { jobId: `run-${runId}`, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
      );
    },
    async close(): Promise<void> {
      if (!open) return;
      const { conn, q } = open;
      open = undefined;
      await q.close().catch(() => {});
      conn.disconnect();
    },
  };
}
