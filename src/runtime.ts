/** Wires the adapters together for a running process (the thin shell). */
import type { Server } from "node:http";
import { webApi } from "@slack/bolt";
import { BudgetExhaustedError, RateBudget } from "./budget/rate-budget.js";
import { CheckService } from "./check/service.js";
import type { BotConfig } from "./config/bot.js";
import { secretsOf, slackApiUrlOf } from "./config/bot.js";
import { DescopeError, retryHint } from "./descope/errors.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import type { AuditEvent } from "./diagnosis/facts.js";
import { evaluateHires } from "./hires/evaluator.js";
import { hireId } from "./hires/model.js";
import { HireStore } from "./hires/store.js";
import { alertUnknownSignins } from "./hires/unknown-signins.js";
import { sendWeeklyDigests } from "./hires/weekly-digest.js";
import { startWorker, TAIL_SCHEDULER_ID, type TailWorker } from "./jobs/tail-job.js";
import { boltLogger, createLogger, type Logger } from "./log/logger.js";
import { type Bot, createBot, type HealthProbe, startHealthServer } from "./slack/app.js";
import { Notifier } from "./slack/notifier.js";
import { AnswerStore } from "./store/answers.js";
import { LinkStore } from "./store/links.js";
import { createRedis, keyer } from "./store/redis.js";
import { AuditIndex } from "./tail/index-store.js";
import { indexedEvents } from "./tail/indexed-events.js";
import { TailStateStore, tailHealth } from "./tail/state.js";
import { runTail } from "./tail/tail.js";

export type Role = "all" | "bot" | "worker";

export interface Runtime {
  bot: Bot | null;
  log: Logger;
  index: AuditIndex;
  hires: HireStore;
  /** One tail run, then never-provisioned sign-ins and the hires' evaluation (tests, the demo). */
  tailOnce(): ReturnType<typeof runTail>;
  /** Sends the weekly digests now (once per tenant per week). */
  weeklyDigest(): Promise<number>;
  /** Evaluates open hires now. */
  evaluate(ids?: string[]): ReturnType<typeof evaluateHires>;
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createRuntime(
  cfg: BotConfig,
  opts: { log?: Logger; role?: Role; now?: () => number } = {},
): Runtime {
  const role = opts.role ?? "all";
  const now = opts.now ?? Date.now;
  const secrets = secretsOf(cfg);
  const log = opts.log ?? createLogger({ level: cfg.LOG_LEVEL, secrets });
  const redis = createRedis(cfg.REDIS_URL);
  redis.on("error", (e) => log.warn({ err: e }, "redis connection problem"));
  const prefix = cfg.SCIMWATCH_REDIS_PREFIX;
  const key = keyer(prefix);

  const auditBudget = new RateBudget(
    redis,
    "audit-search",
    key("budget", "audit"),
    cfg.DESCOPE_AUDIT_RATE_PER_MIN,
  );
  const mgmtBudget = new RateBudget(
    redis,
    "user-management",
    key("budget", "mgmt"),
    cfg.DESCOPE_MGMT_RATE_PER_MIN,
  );
  const descope = descopeClientFromConfig(cfg, {
    beforeAuditSearch: (maxWaitMs) => auditBudget.take(maxWaitMs ?? 65_000),
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
  const notifier = new Notifier(
    new webApi.WebClient(cfg.SLACK_BOT_TOKEN, {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      logger: boltLogger(log, secrets),
    }),
  );
  const alertChannel = cfg.SCIMWATCH_ALERT_CHANNEL;
  const graceMinutes = cfg.SCIMWATCH_GRACE_MINUTES;

  const evaluate = (ids?: string[]) =>
    evaluateHires(
      { hires, index, descope, notifier, links, log, now, graceMinutes, alertChannel },
      ids,
    );

  const tailOnce = async () => {
    const failedSignins: AuditEvent[] = [];
    const r = await runTail(
      {
        descope,
        index,
        state,
        redis,
        key,
        log,
        now,
        onEvents: async (events) => {
          failedSignins.push(...events.filter((e) => e.action === "LoginFailed"));
        },
      },
      { intervalSec, backfillDays: cfg.SCIMWATCH_BACKFILL_DAYS },
    );
    if (r.status === "skipped") return r;
    try {
      await alertUnknownSignins(
        { descope, hires, links, notifier, log, now, alertChannel },
        failedSignins,
      );
      const e = await evaluate();
      if (e.evaluated) log.info({ kind: "evaluation", ...e });
    } catch (e) {
      log.warn({ kind: "evaluation", err: e }, "evaluation failed; the next tail run retries");
    }
    return r;
  };

  const weeklyDigest = () =>
    sendWeeklyDigests({ descope, index, links, hires, notifier, log, alertChannel, now });

  const tailProbe: HealthProbe = async () => {
    const h = tailHealth(await state.get(), now(), intervalSec);
    // The tail's lag is reported, not gated on: checks fall back to live searches.
    return {
      ok: true,
      details: {
        tail: {
          healthy: h.healthy,
          lagSeconds: h.lagMs === null ? null : Math.round(h.lagMs / 1000),
          lastError: h.lastError,
        },
      },
    };
  };

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
            redis,
            secrets,
          },
          tailProbe,
        );

  let worker: TailWorker | undefined;
  let bullConn: ReturnType<typeof createRedis> | undefined;
  let healthServer: Server | undefined;

  return {
    bot,
    log,
    index,
    hires,
    tailOnce,
    evaluate,
    weeklyDigest,
    async start() {
      let port = 0;
      if (bot) port = await bot.start();
      if (role !== "bot") {
        bullConn = createRedis(cfg.REDIS_URL, { forBullmq: true });
        bullConn.on("error", (e) => log.warn({ err: e }, "redis (jobs) connection problem"));
        worker = await startWorker({
          connection: bullConn,
          prefix,
          log,
          schedules: [
            { id: TAIL_SCHEDULER_ID, repeat: { every: intervalSec * 1000 }, run: tailOnce },
            { id: "weekly-digest", repeat: { pattern: "0 9 * * 1", tz: "UTC" }, run: weeklyDigest },
          ],
        });
      }
      if (!bot) {
        const h = await startHealthServer(cfg.PORT, async () => {
          const redisOk = await redis.ping().then(
            (r) => r === "PONG",
            () => false,
          );
          const t = await tailProbe();
          return { ok: redisOk, details: { redis: redisOk ? "ok" : "unreachable", ...t.details } };
        });
        healthServer = h.server;
        port = h.port;
      }
      log.info({ mode: cfg.mode, role, port, tailIntervalSec: intervalSec }, "scimwatch started");
      return port;
    },
    async stop() {
      if (worker)
        await worker.close().catch((e: unknown) => log.warn({ err: e }, "closing the worker"));
      if (bot) await bot.stop().catch((e: unknown) => log.warn({ err: e }, "stopping Bolt"));
      if (healthServer) await new Promise<void>((r) => healthServer?.close(() => r()));
      bullConn?.disconnect();
      hires.close();
      redis.disconnect();
      log.info("scimwatch stopped");
    },
  };
}
