/** Wires the adapters together for a running process (the thin shell). */
import type { Server } from "node:http";
import { webApi } from "@slack/bolt";
import type { BotConfig } from "./config/bot.js";
import { secretsOf, slackApiUrlOf } from "./config/bot.js";
import { hireId } from "./core/hires/model.js";
import { DescopeError, retryHint } from "./descope/errors.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import { indexedEvents } from "./features/check/indexed-events.js";
import { CheckService } from "./features/check/service.js";
import { healthChecks } from "./features/health/checks.js";
import { startHealthServer } from "./features/health/server.js";
import { afterRead } from "./features/hires/after-read.js";
import { evaluateHires } from "./features/hires/evaluator.js";
import { failedSigninCandidates } from "./features/hires/unknown-signins.js";
import { sendWeeklyDigests } from "./features/hires/weekly-digest.js";
import { runTail } from "./features/tail/tail.js";
import { type Jobs, startJobs, TAIL_SCHEDULER_ID } from "./jobs/queues.js";
import { dependencyState, followRedis } from "./log/dependency.js";
import { boltLogger, createLogger, type Logger } from "./log/logger.js";
import { AnswerStore } from "./redis/answers.js";
import { AuditIndex } from "./redis/audit-index.js";
import { createRedis, keyer } from "./redis/client.js";
import { HireStore } from "./redis/hire-store.js";
import { LinkStore } from "./redis/links.js";
import { BudgetExhaustedError, RateBudget } from "./redis/rate-budget.js";
import { SlidingWindowBudget } from "./redis/sliding-window.js";
import { TailStateStore } from "./redis/tail-state.js";
import { type Bot, createBot } from "./slack/app.js";
import { SlackNotifier, slackClientOptions } from "./slack/notifier.js";

export type Role = "all" | "bot" | "worker";

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
  /** Evaluates open hires now. */
  evaluate(ids?: string[]): ReturnType<typeof evaluateHires>;
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
  const now = opts.now ?? Date.now;
  const secrets = secretsOf(cfg);
  const log = opts.log ?? createLogger({ level: cfg.LOG_LEVEL, secrets });
  const redis = createRedis(cfg.REDIS_URL);
  const redisDep = dependencyState("redis", log);
  followRedis(redis, redisDep);
  const startedAt = Date.now();
  const prefix = cfg.SCIMWATCH_REDIS_PREFIX;
  const key = keyer(prefix);

  const auditBudget = new SlidingWindowBudget(
    redis,
    "audit-search",
    key("budget", "audit-window"),
    cfg.DESCOPE_AUDIT_RATE_PER_MIN,
  );
  const mgmtBudget = new RateBudget(
    redis,
    "user-management",
    key("budget", "mgmt"),
    cfg.DESCOPE_MGMT_RATE_PER_MIN,
    "burst",
  );
  const descope = descopeClientFromConfig(cfg, {
    beforeAuditSearch: (maxWaitMs, priority) => auditBudget.take(maxWaitMs ?? 65_000, priority),
    beforeManagementCall: () =>
      mgmtBudget.take(10_000).catch((e: unknown) => {
        if (!(e instanceof BudgetExhaustedError)) throw e;
        const sec = Math.ceil(e.retryInMs / 1000);
        throw new DescopeError(
          "descope_rate_limited",
          `scimwatch's budget for Descope management calls (DESCOPE_MGMT_RATE_PER_MIN) is spent; ${retryHint(sec, Date.now())}`,
          sec,
        );
      }),
    cacheTtlMs: 30_000,
  });
  const index = new AuditIndex(redis, key, prefix);
  const state = new TailStateStore(redis, key);
  const links = new LinkStore(redis, key);
  const hires = new HireStore(redis, key);
  const intervalSec = cfg.SCIMWATCH_TAIL_INTERVAL;
  const slackApiUrl = slackApiUrlOf(cfg.SLACK_API_URL);
  const notifier = new SlackNotifier(
    new webApi.WebClient(cfg.SLACK_BOT_TOKEN, {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      ...slackClientOptions(opts.slackDeadlineMs),
      logger: boltLogger(log, secrets),
    }),
    { redis, key, ...(opts.slackDeadlineMs ? { deadlineMs: opts.slackDeadlineMs } : {}) },
  );
  const alertChannel = cfg.SCIMWATCH_ALERT_CHANNEL;
  const graceMinutes = cfg.SCIMWATCH_GRACE_MINUTES;

  const evaluate = (ids?: string[]) =>
    evaluateHires(
      { hires, index, descope, notifier, links, log, now, graceMinutes, alertChannel },
      ids,
    );

  /** One audit read; the failed sign-ins it saw wait in Redis for the notify step. */
  const tailRun = () =>
    runTail(
      {
        descope,
        index,
        state,
        redis,
        key,
        log,
        now,
        onEvents: async (events) => {
          await hires.pushSigninCandidates(failedSigninCandidates(events, now()));
        },
      },
      {
        intervalSec,
        backfillDays: cfg.SCIMWATCH_BACKFILL_DAYS,
        overlapMs: cfg.SCIMWATCH_LATE_WRITE_SEC * 1000,
      },
    );

  /** Everything that talks to Slack after a read: sign-in alerts, then the hires. */
  const notifyOnce = () =>
    afterRead({
      descope,
      hires,
      links,
      notifier,
      log,
      now,
      alertChannel,
      evaluate: () => evaluate(),
    });

  const tailOnce = async () => {
    const r = await tailRun();
    if (r.status !== "skipped") await notifyOnce();
    return r;
  };

  let jobs: Jobs | undefined;
  /** The scheduled tail: read, then hand the Slack side to the notify queue, never waiting on it. */
  const scheduledTail = async () => {
    const r = await tailRun();
    if (r.status !== "skipped")
      await jobs
        ?.notify()
        .catch((e: unknown) =>
          log.warn({ kind: "notify", err: e }, "could not queue the notify step"),
        );
    return r;
  };

  const weeklyDigest = () =>
    sendWeeklyDigests({ descope, index, links, hires, notifier, log, alertChannel, now });

  const checksFor = (slackOk?: () => Promise<boolean>) =>
    healthChecks({
      redis,
      state,
      intervalSec,
      now,
      startedAt,
      details: cfg.SCIMWATCH_HEALTH_DETAILS,
      ...(slackOk ? { slackOk } : {}),
      ...(role !== "bot"
        ? { missingSchedulers: () => jobs?.missingSchedulers() ?? Promise.resolve([]) }
        : {}),
    });

  const bot =
    role === "worker"
      ? null
      : createBot(
          cfg,
          {
            log,
            descope,
            checks: new CheckService({
              descope,
              now,
              events: indexedEvents({ descope, index, state, intervalSec }),
              graceMinutes,
              expectedAssignment: async (tenantId, loginId) =>
                (await hires.get(hireId(tenantId, loginId)))?.assignedAt ?? null,
            }),
            links,
            answers: new AnswerStore(redis, key),
            index,
            tailState: state,
            hireDeps: {
              hires,
              notifier,
              descope,
              links,
              log,
              graceMinutes,
              adminUsers: cfg.SCIMWATCH_ADMIN_USERS,
              alertChannel,
              now,
              evaluate,
            },
            secrets,
          },
          checksFor,
        );

  let bullConn: ReturnType<typeof createRedis> | undefined;
  let healthServer: Server | undefined;

  return {
    bot,
    log,
    index,
    hires,
    tailOnce,
    notifyOnce,
    jobs: () => jobs,
    evaluate,
    weeklyDigest,
    async start() {
      let port = 0;
      if (bot) {
        // Before Slack's first requests: the license handshake every Descope
        // call needs anyway, and one read of the tail's state, so the first
        // burst of commands finds these paths (and their connections) warm.
        await Promise.all([descope.rateLimitTier(), state.get().catch(() => null)]);
        port = await bot.start();
      }
      if (role !== "bot") {
        if (await index.ensureLayout(() => state.reset())) {
          log.warn(
            { kind: "tail" },
            "the audit index in Redis has an older layout: the tail reads Descope's audit log again into the new one (old keys expire within 30 days)",
          );
        }
        bullConn = createRedis(cfg.REDIS_URL, { forBullmq: true });
        followRedis(bullConn, redisDep);
        jobs = await startJobs({
          connection: bullConn,
          prefix,
          log,
          redisDep,
          onNotify: notifyOnce,
          watchdogMs: Math.min(30_000, intervalSec * 1000),
          schedules: [
            { id: TAIL_SCHEDULER_ID, repeat: { every: intervalSec * 1000 }, run: scheduledTail },
            { id: "weekly-digest", repeat: { pattern: "0 9 * * 1", tz: "UTC" }, run: weeklyDigest },
          ],
        });
      }
      if (!bot) {
        const h = await startHealthServer(cfg.PORT, cfg.HOST, checksFor());
        healthServer = h.server;
        port = h.port;
      }
      log.info({ mode: cfg.mode, role, port, tailIntervalSec: intervalSec }, "scimwatch started");
      return port;
    },
    async stop() {
      if (jobs)
        await jobs.close().catch((e: unknown) => log.warn({ err: e }, "closing the workers"));
      if (bot) await bot.stop().catch((e: unknown) => log.warn({ err: e }, "stopping Bolt"));
      if (healthServer) await new Promise<void>((r) => healthServer?.close(() => r()));
      bullConn?.disconnect();
      hires.close();
      redis.disconnect();
      log.info("scimwatch stopped");
    },
  };
}
