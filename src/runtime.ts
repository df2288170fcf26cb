/** Wires the adapters together for a running process (the thin shell). */
import { CheckService } from "./check/service.js";
import type { BotConfig } from "./config/bot.js";
import { secretsOf } from "./config/bot.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import { createLogger, type Logger } from "./log/logger.js";
import { type Bot, createBot } from "./slack/app.js";
import { AnswerStore } from "./store/answers.js";
import { LinkStore } from "./store/links.js";
import { createRedis, keyer } from "./store/redis.js";

export interface Runtime {
  bot: Bot;
  log: Logger;
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createRuntime(cfg: BotConfig, opts: { log?: Logger } = {}): Runtime {
  const secrets = secretsOf(cfg);
  const log = opts.log ?? createLogger({ level: cfg.LOG_LEVEL, secrets });
  const redis = createRedis(cfg.REDIS_URL);
  redis.on("error", (e) => log.warn({ err: e }, "redis connection problem"));
  const key = keyer(cfg.SCIMWATCH_REDIS_PREFIX);
  const descope = descopeClientFromConfig(cfg);
  const checks = new CheckService({ descope });
  const bot = createBot(cfg, {
    log,
    descope,
    checks,
    links: new LinkStore(redis, key),
    answers: new AnswerStore(redis, key),
    redis,
    secrets,
  });
  return {
    bot,
    log,
    async start() {
      const port = await bot.start();
      log.info({ mode: cfg.mode, port }, "scimwatch started");
      return port;
    },
    async stop() {
      await bot.stop().catch((e: unknown) => log.warn({ err: e }, "stopping Bolt"));
      redis.disconnect();
      log.info("scimwatch stopped");
    },
  };
}
