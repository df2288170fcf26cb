/** Wires the adapters together for a running process (the thin shell). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RateBudget } from "./budget/rate-budget.js";
import { CheckService } from "./check/service.js";
import type { BotConfig } from "./config/bot.js";
import { secretsOf } from "./config/bot.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import { startTailWorker, type TailWorker } from "./jobs/tail-job.js";
import { createLogger, type Logger } from "./log/logger.js";
import { type Bot, createBot, type HealthProbe, healthHandler } from "./slack/app.js";
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
  /** Runs one tail now (tests, the demo). */
  tailOnce(): ReturnType<typeof runTail>;
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createRuntime(cfg: BotConfig, opts: { log?: Logger; role?: Role } = {}): Runtime {
  const role = opts.role ?? "all";
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
    beforeManagementCall: () => mgmtBudget.take(10_000),
  });
  const index = new AuditIndex(redis, key, prefix);
  const state = new TailStateStore(redis, key);
  const intervalSec = cfg.SCIMWATCH_TAIL_INTERVAL;
  const tailOnce = () =>
    runTail(
      { descope, index, state, redis, key, log },
      { intervalSec, backfillDays: cfg.SCIMWATCH_BACKFILL_DAYS },
    );

  const tailProbe: HealthProbe = async () => {
    const h = tailHealth(await state.get(), Date.now(), intervalSec);
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
              events: indexedEvents({ descope, index, state, intervalSec }),
            }),
            links: new LinkStore(redis, key),
            answers: new AnswerStore(redis, key),
            index,
            tailState: state,
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
    tailOnce,
    async start() {
      let port = 0;
      if (bot) port = await bot.start();
      if (role !== "bot") {
        bullConn = createRedis(cfg.REDIS_URL, { forBullmq: true });
        bullConn.on("error", (e) => log.warn({ err: e }, "redis (jobs) connection problem"));
        worker = await startTailWorker({
          connection: bullConn,
          prefix,
          intervalSec,
          run: tailOnce,
          log,
        });
      }
      if (!bot) {
        const health = healthHandler(async () => {
          const redisOk = await redis.ping().then(
            (r) => r === "PONG",
            () => false,
          );
          const t = await tailProbe();
          return { ok: redisOk, details: { redis: redisOk ? "ok" : "unreachable", ...t.details } };
        });
        healthServer = createServer((req, res) => {
          void health(req, res).then((handled) => {
            if (!handled) {
              res.writeHead(404);
              res.end();
            }
          });
        });
        await new Promise<void>((r) => healthServer?.listen(cfg.PORT, r));
        port = (healthServer.address() as AddressInfo).port;
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
      redis.disconnect();
      log.info("scimwatch stopped");
    },
  };
}
