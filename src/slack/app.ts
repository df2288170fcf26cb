/**
 * Builds the Bolt app in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode
 * (Bolt's HTTP receiver on PORT, /slack/events, signature verification on),
 * with /healthz and /readyz.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type AppOptions } from "@slack/bolt";
import type { Redis } from "ioredis";
import { type BotConfig, slackApiUrlOf } from "../config/bot.js";
import { boltLogger, type Logger } from "../log/logger.js";
import { type HandlerDeps, registerHandlers } from "./handlers.js";

export type HealthProbe = () => Promise<{ ok: boolean; details: Record<string, unknown> }>;

/** The Bolt options for a configuration: the receiver choice lives here. Pure. */
export function appOptions(cfg: BotConfig, logger: AppOptions["logger"]): AppOptions {
  const slackApiUrl = slackApiUrlOf(cfg.SLACK_API_URL);
  const clientOptions = slackApiUrl ? { slackApiUrl } : {};
  // A fixed authorization instead of `token`: Bolt would otherwise gate every
  // request on an auth.test made at start-up. An unusable token shows in
  // /readyz and `scimwatch doctor`; commands are still acknowledged.
  const botToken = cfg.SLACK_BOT_TOKEN;
  const common = {
    authorize: async () => ({ botToken }),
    clientOptions,
    ...(logger ? { logger } : {}),
  };
  if (cfg.mode === "socket") {
    return { ...common, socketMode: true, appToken: cfg.SLACK_APP_TOKEN };
  }
  return {
    ...common,
    signingSecret: cfg.SLACK_SIGNING_SECRET as string,
    endpoints: "/slack/events",
    processBeforeResponse: false,
  };
}

export interface Bot {
  app: App;
  /** Starts listening; resolves with the HTTP port (events in HTTP mode, health in Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function healthHandler(ready: HealthProbe) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
      return true;
    }
    if (path === "/readyz") {
      const r = await ready().catch((e: unknown) => ({ ok: false, details: { error: String(e) } }));
      res.writeHead(r.ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(r));
      return true;
    }
    return false;
  };
}

/** A bare HTTP server for /healthz and /readyz (Socket Mode and worker-only processes). */
export async function startHealthServer(
  port: number,
  ready: HealthProbe,
): Promise<{ server: Server; port: number }> {
  const health = healthHandler(ready);
  const server = createServer((req, res) => {
    void health(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, r));
  return { server, port: (server.address() as AddressInfo).port };
}

export function createBot(
  cfg: BotConfig,
  deps: Omit<HandlerDeps, "supportChannels" | "adminUsers"> & {
    redis: Redis;
    log: Logger;
    secrets: string[];
  },
  extraReady: HealthProbe = async () => ({ ok: true, details: {} }),
): Bot {
  let slackOk: { ok: boolean; at: number } = { ok: false, at: 0 };
  let app: App;
  const ready: HealthProbe = async () => {
    const redisOk = await Promise.race([
      deps.redis.ping().then(
        (r) => r === "PONG",
        () => false,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1_000)),
    ]);
    if (!slackOk.ok || Date.now() - slackOk.at > 5 * 60_000) {
      slackOk = await app.client.auth
        .test({ token: cfg.SLACK_BOT_TOKEN })
        .then((r) => ({ ok: r.ok === true, at: Date.now() }))
        .catch(() => ({ ok: false, at: Date.now() }));
    }
    const extra = await extraReady();
    return {
      ok: redisOk && slackOk.ok && extra.ok,
      details: {
        redis: redisOk ? "ok" : "unreachable",
        slack: slackOk.ok ? "ok" : "token not usable",
        ...extra.details,
      },
    };
  };
  const health = healthHandler(ready);

  const opts = appOptions(cfg, boltLogger(deps.log, deps.secrets));
  if (cfg.mode === "http") {
    opts.customRoutes = [
      { path: "/healthz", method: ["GET"], handler: (req, res) => void health(req, res) },
      { path: "/readyz", method: ["GET"], handler: (req, res) => void health(req, res) },
    ];
  }
  app = new App(opts);
  registerHandlers(app, {
    ...deps,
    supportChannels: cfg.SCIMWATCH_SUPPORT_CHANNELS,
    adminUsers: cfg.SCIMWATCH_ADMIN_USERS,
  });
  app.error(async (e) => {
    deps.log.error({ err: e }, "unhandled Bolt error");
  });

  let healthServer: Server | undefined;
  return {
    app,
    async start() {
      if (cfg.mode === "http") {
        const server = (await app.start(cfg.PORT)) as Server;
        return (server.address() as AddressInfo).port;
      }
      await app.start();
      const h = await startHealthServer(cfg.PORT, ready);
      healthServer = h.server;
      return h.port;
    },
    async stop() {
      await app.stop();
      if (healthServer) await new Promise<void>((r) => healthServer?.close(() => r()));
    },
  };
}
