/** Starts and stops a running process: the bot, the workers, the health server. What it runs is built in services.ts. */
import type { Server } from "node:http";
import type { BotConfig } from "./config/bot.js";
import { healthChecks, redisAnswers } from "./features/health/checks.js";
import { evaluateAll } from "./features/hires/evaluate-all.js";
import { followUpInBackground } from "./features/hires/register.js";
import { metricSources } from "./features/metric-sources.js";
import { readCycle } from "./features/read-cycle.js";
import { executeReconcile, reconcileConnectedTenants } from "./features/reconcile/job.js";
import { watchScimKeys } from "./features/scim-keys/watch.js";
import type { runTail } from "./features/tail/tail.js";
import { sendWeeklyDigests } from "./features/tenant-health/weekly-digest.js";
import { httpRoutes } from "./http/routes.js";
import { startHealthServer } from "./http/server.js";
import { type Jobs, startJobs, TAIL_SCHEDULER_ID } from "./jobs/queues.js";
import { followRedis } from "./log/dependency.js";
import type { Logger } from "./log/logger.js";
import type { AuditIndex } from "./redis/audit-index.js";
import { createRedis } from "./redis/client.js";
import type { HireStore } from "./redis/hire-store.js";
import { redisKeys } from "./redis/keys.js";
import { buildServices } from "./services.js";
import { type Bot, createBot } from "./slack/app.js";

export type Role = "all" | "bot" | "worker";

/** How long a stop waits for a running job; the whole stop stays under 25 s (compose's grace period is 35 s). */
const STOP_JOBS_MS = 15_000;

export interface Runtime {
  bot: Bot | null;
  log: Logger;
  index: AuditIndex;
  hires: HireStore;
  /** One tail run, then the notify step inline (tests, the demo). */
  tailOnce(): ReturnType<typeof runTail>;
  /** The notify step: never-provisioned sign-ins, then the hires' evaluation. */
  notifyOnce(): Promise<void>;
  /** The BullMQ queues and workers, once started (role all or worker). */
  jobs(): Jobs | undefined;
  /** Sends the weekly digests now (once per tenant per week). */
  weeklyDigest(): Promise<number>;
  /** Reads every tenant's SCIM keys and warns about those that expire (null: another process is at it). */
  keyWatchOnce(): ReturnType<typeof watchScimKeys>;
  /** Starts every connected tenant's reconciliation now (what the weekly schedule does). */
  reconcileAll(): Promise<number>;
  /** Evaluates open hires now. */
  evaluate(ids?: string[]): ReturnType<typeof evaluateAll>;
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createRuntime(
  cfg: BotConfig,
  opts: {
    log?: Logger;
    role?: Role;
    now?: () => number;
    /** Longest one background Slack call may take (default 60 s; tests shorten it). */
    slackDeadlineMs?: number;
  } = {},
): Runtime {
  const role = opts.role ?? "all";
  const s = buildServices(cfg, opts);
  const { log, index, hires, tailState: state, now } = s;
  const intervalSec = s.settings.intervalSec;
  // The tail, the evaluation and tenant health run in the background: they leave the
  // management budget's reserve to checks and registrations.
  const cycle = readCycle({ ...s, descope: s.descope.background() });

  const tailOnce = async () => {
    const r = await cycle.read();
    if (r.status !== "skipped") await cycle.notify();
    return r;
  };

  let jobs: Jobs | undefined;
  /** The scheduled tail: read, then hand the Slack side to the notify queue, never waiting on it. */
  const scheduledTail = async () => {
    let r = await cycle.read();
    // Another run holds the lock. If it died (kill -9), its short lock lapses within one
    // interval: try once more then instead of at the next tick, so a crash costs at most
    // about one interval. A live run renews its lock, and this try is skipped too.
    if (r.status === "skipped" && r.lockTtlMs !== undefined && r.lockTtlMs < intervalSec * 1000) {
      await new Promise((res) => setTimeout(res, (r.lockTtlMs as number) + 50));
      r = await cycle.read();
    }
    if (r.status !== "skipped")
      await jobs
        ?.notify()
        .catch((e: unknown) =>
          log.warn({ kind: "notify", err: e }, "could not queue the notify step"),
        );
    return r;
  };

  // Every connected tenant's reconciliation: weekly (SCIMWATCH_RECONCILE_SCHEDULE) and on demand.
  const reconcileAll = () => reconcileConnectedTenants(s.reconcile);
  const weekly = s.settings.reconcileSchedule;
  const weeklyDigest = () => sendWeeklyDigests({ ...s, alertChannel: s.settings.alertChannel });
  // The SCIM key watch: daily and at start, within the management budget (background).
  const keyWatch = () =>
    watchScimKeys({
      ...s,
      descope: s.descope.background(),
      lockKey: redisKeys(s.key).scimKeysLock(),
      approvers: s.action.approvers,
    });

  const checksFor = (slackOk?: () => Promise<boolean>, socketOk?: () => boolean) =>
    healthChecks({
      redis: s.redis,
      state,
      intervalSec,
      now,
      startedAt: s.startedAt,
      details: cfg.SCIMWATCH_HEALTH_DETAILS,
      blindAfterRuns: s.settings.blindAfterRuns,
      metrics: () => s.metrics.text(),
      ...(socketOk ? { socketOk } : {}),
      ...(slackOk ? { slackOk } : {}),
      ...(role !== "bot"
        ? { missingSchedulers: () => jobs?.missingSchedulers() ?? Promise.resolve([]) }
        : {}),
    });

  // Webhook registrations answer once stored; their checklists and evaluation run here after.
  const registrationFollowUp = followUpInBackground({
    ...s,
    graceMinutes: s.settings.graceMinutes,
  });
  // Descope's audit stream: stored pushes ask for the notify step within a second — through the
  // notify queue (deduplicated across replicas) where workers run, else here, coalesced.
  let pushTimer: NodeJS.Timeout | undefined;
  const afterPush = async () => {
    if (jobs) return jobs.notify();
    pushTimer ??= setTimeout(() => {
      pushTimer = undefined;
      void cycle
        .notify()
        .catch((e: unknown) =>
          log.warn({ kind: "audit_push", err: e }, "notify after a push failed"),
        );
    }, 1_000);
  };
  const routes = httpRoutes(s, {
    afterPush,
    followUp: registrationFollowUp.schedule,
  });
  const bot = role === "worker" ? null : createBot(cfg, s, checksFor, routes);

  s.metrics.readFrom(metricSources(s, () => (jobs ? [jobs.queue, jobs.notifyQueue] : [])));

  let bullConn: ReturnType<typeof createRedis> | undefined;
  let healthServer: Server | undefined;
  let adminServer: Server | undefined;

  let stopping = false;
  let workersWaiting: Promise<void> | undefined;
  const startWorkers = async () => {
    if (await index.ensureLayout(() => state.reset())) {
      log.warn(
        { kind: "tail" },
        "the audit index in Redis has an older layout: the tail reads Descope's audit log again into the new one (old keys expire within 30 days)",
      );
    }
    bullConn = createRedis(cfg, { forBullmq: true });
    followRedis(bullConn, s.redisDep);
    jobs = await startJobs({
      connection: bullConn,
      prefix: s.prefix,
      log,
      redisDep: s.redisDep,
      onNotify: cycle.notify,
      watchdogMs: Math.min(30_000, intervalSec * 1000),
      schedules: [
        { id: TAIL_SCHEDULER_ID, repeat: { every: intervalSec * 1000 }, run: scheduledTail },
        { id: "weekly-digest", repeat: { pattern: "0 9 * * 1", tz: "UTC" }, run: weeklyDigest },
        { id: "scim-keys", repeat: { pattern: "0 7 * * *", tz: "UTC" }, run: keyWatch },
        ...(weekly
          ? [{ id: "reconcile-weekly", repeat: { pattern: weekly, tz: "UTC" }, run: reconcileAll }]
          : []),
      ],
      onReconcile: (tenantId, runId) => executeReconcile(s.reconcile, tenantId, runId),
    });
    // And once at start (one process at a time; the alerts are exactly once anyway).
    void keyWatch().catch((e: unknown) =>
      log.warn({ kind: "scim_keys", err: e }, "the SCIM key watch failed; it runs again tomorrow"),
    );
  };
  /** Polls Redis every 2 s; once it answers, starts the workers (creating the schedulers). */
  const startWorkersWhenRedis = async () => {
    while (!stopping) {
      await new Promise((r) => setTimeout(r, 2_000).unref());
      if (stopping || !(await redisAnswers(s.redis))) continue;
      try {
        bullConn?.disconnect();
        await startWorkers();
        log.info({ kind: "dependency", dependency: "redis" }, "workers and schedules started");
        return;
      } catch (e) {
        log.warn({ kind: "dependency", err: e }, "starting the workers failed; trying again");
      }
    }
  };

  return {
    bot,
    log,
    index,
    hires,
    tailOnce,
    notifyOnce: cycle.notify,
    jobs: () => jobs,
    evaluate: (ids) => evaluateAll(s, ids),
    weeklyDigest,
    keyWatchOnce: keyWatch,
    reconcileAll,
    async start() {
      let port = 0;
      if (bot) {
        // Before Slack's first requests: the license handshake every Descope
        // call needs anyway, and one read of the tail's state, so the first
        // burst of commands finds these paths (and their connections) warm.
        await Promise.all([s.descope.rateLimitTier(), state.get().catch(() => null)]);
        port = await bot.start();
      }
      if (role !== "bot") {
        // Redis down at start: the bot stays up (readiness says why, commands answer that
        // they cannot work) and the workers and their schedulers start when Redis answers.
        if (await redisAnswers(s.redis)) await startWorkers();
        else workersWaiting = startWorkersWhenRedis();
      }
      const adminPort = cfg.SCIMWATCH_ADMIN_PORT;
      const checks = bot ? bot.checks : checksFor();
      if (!bot) {
        const h = await startHealthServer(
          cfg.PORT,
          cfg.HOST,
          checks,
          routes,
          adminPort === undefined,
        );
        healthServer = h.server;
        port = h.port;
      }
      let admin: number | undefined;
      if (adminPort !== undefined) {
        const a = await startHealthServer(adminPort, cfg.HOST, checks);
        adminServer = a.server;
        admin = a.port;
      }
      log.info(
        {
          mode: cfg.mode,
          role,
          port,
          ...(admin !== undefined ? { adminPort: admin } : {}),
          tailIntervalSec: intervalSec,
        },
        "scimwatch started",
      );
      return port;
    },
    async stop() {
      stopping = true;
      clearTimeout(pushTimer);
      await workersWaiting;
      // Bounded: a worker waiting on the audit budget or Slack must not hold the
      // process past the orchestrator's grace period; what was cut short is said.
      const abandoned: string[] = [];
      const bounded = async (what: string, p: Promise<unknown>, ms: number) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<"late">((r) => {
          timer = setTimeout(() => r("late"), ms);
        });
        const outcome = await Promise.race([
          p.then(
            () => "done" as const,
            (e: unknown) => {
              log.warn({ kind: "shutdown", err: e }, `stopping ${what} failed`);
              return "done" as const;
            },
          ),
          late,
        ]);
        clearTimeout(timer);
        if (outcome === "late") abandoned.push(what);
      };
      await bounded(
        "the webhook's checklists (the next evaluation posts them)",
        registrationFollowUp.idle(),
        5_000,
      );
      if (jobs)
        await bounded(
          "the running job (a tail run resumes from its cursor)",
          jobs.close(),
          STOP_JOBS_MS,
        );
      if (bot) await bounded("Bolt's receiver", bot.stop(), 5_000);
      for (const [what, server] of [
        ["the health server", healthServer],
        ["the admin server", adminServer],
      ] as const)
        if (server) await bounded(what, new Promise<void>((r) => server.close(() => r())), 2_000);
      bullConn?.disconnect();
      await s.closeProducers();
      hires.close();
      s.redis.disconnect();
      if (abandoned.length)
        log.warn(
          { kind: "shutdown", abandoned },
          `stopped without waiting for: ${abandoned.join("; ")}`,
        );
      log.info("scimwatch stopped");
    },
  };
}
