/**
 * Builds the Bolt app in Socket Mode (SLACK_APP_TOKEN set) or HTTP mode
 * (Bolt's HTTP receiver on PORT, /slack/events, signature verification on),
 * with the health routes (/healthz, /readyz, /healthz/tail).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type AppOptions, SocketModeReceiver } from "@slack/bolt";
import type { BotConfig } from "../config/bot.js";
import type { HealthChecks } from "../features/health/checks.js";
import { type ExtraRoute, HEALTH_PATHS, healthHandler, startHealthServer } from "../http/server.js";
import { boltLogger } from "../log/logger.js";
import { dispatcher } from "../net/dispatcher.js";
import { ackGate } from "./ack-first.js";
import type { SlackDeps } from "./deps.js";
import { registerListeners } from "./listeners/index.js";
import { slackTransport } from "./transport.js";
import { warmUp } from "./warm-up.js";

/** The Bolt options for a configuration: the receiver choice lives here. Pure. */
export function appOptions(cfg: BotConfig, logger: AppOptions["logger"]): AppOptions {
  // Every call to Slack, and Socket Mode's WebSocket, through the process's one
  // dispatcher (the environment's proxy, NO_PROXY exceptions).
  const clientOptions = slackTransport(cfg.SLACK_API_URL);
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
    const receiver = new SocketModeReceiver({
      appToken: cfg.SLACK_APP_TOKEN as string,
      dispatcher: dispatcher(),
      installerOptions: { clientOptions },
      ...(logger ? { logger } : {}),
    });
    return { ...common, receiver };
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
  /** The health answers of this bot (readiness includes Slack and Socket Mode). */
  checks: HealthChecks;
  /** Starts listening; resolves with the HTTP port (events in HTTP mode, health in Socket Mode). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export function createBot(
  cfg: BotConfig,
  deps: SlackDeps & { secrets: string[] },
  /** The health answers, given a way to ask whether the Slack token works. */
  makeChecks: (slackOk: () => Promise<boolean>, socketOk?: () => boolean) => HealthChecks,
  /** Routes served on the same port (the hires webhook). */
  routes: ExtraRoute[] = [],
): Bot {
  // One auth.test at a time, its answer kept and shared: /readyz trusts it 5 min when the token
  // works, 30 s when it does not (a load balancer probing never turns into a stream of calls to
  // Slack); the bot's own workspace (Slack Connect members of another organisation are told
  // apart from it) is kept from the first answer that named it.
  type Home = { teamId: string; enterpriseId?: string | undefined };
  let last: { ok: boolean; home: Home | null; at: number } = { ok: false, home: null, at: 0 };
  let asking: Promise<typeof last> | null = null;
  let app: App;
  const authTest = () => {
    asking ??= app.client.auth
      .test({ token: cfg.SLACK_BOT_TOKEN })
      .then((r) => ({
        ok: r.ok === true,
        home: r.team_id
          ? { teamId: r.team_id, ...(r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}) }
          : null,
      }))
      .catch(() => ({ ok: false, home: null }))
      .then((a) => {
        last = { ok: a.ok, home: a.home ?? last.home, at: Date.now() };
        asking = null;
        return last;
      });
    return asking;
  };
  // Socket Mode: whether the WebSocket to Slack is up (events of Bolt's receiver's client).
  let socketUp = false;
  const checks = makeChecks(
    async () => {
      const age = Date.now() - last.at;
      if (last.at > 0 && age < (last.ok ? 5 * 60_000 : 30_000)) return last.ok;
      return (await authTest()).ok;
    },
    cfg.mode === "socket" ? () => socketUp : undefined,
  );
  const health = healthHandler(checks);
  // With SCIMWATCH_ADMIN_PORT, health and metrics live on that port only (runtime.ts).
  const healthHere = cfg.SCIMWATCH_ADMIN_PORT === undefined;
  const homeTeam = async (): Promise<Home | null> => last.home ?? (await authTest()).home;
  const opts = appOptions(cfg, boltLogger(deps.log, deps.secrets));
  if (cfg.mode === "http") {
    opts.customRoutes = [
      ...(healthHere ? HEALTH_PATHS : []).map((path) => ({
        path,
        method: ["GET"],
        handler: (req: IncomingMessage, res: ServerResponse) => void health(req, res),
      })),
      ...routes.map((r) => ({
        path: r.path,
        method: [r.method],
        handler: (req: IncomingMessage, res: ServerResponse) => void r.handler(req, res),
      })),
    ];
  }
  app = new App(opts);
  if (cfg.mode === "socket") {
    type Emitter = { on(e: string, f: () => void): void };
    const client = (app as unknown as { receiver?: { client?: Emitter } }).receiver?.client;
    client?.on("connected", () => {
      socketUp = true;
    });
    for (const e of ["disconnected", "reconnecting"])
      client?.on(e, () => {
        socketUp = false;
      });
  }
  const acks = ackGate();
  registerListeners(app, { ...deps, homeTeam }, acks);
  app.error(async (e) => {
    deps.log.error({ err: e }, "unhandled Bolt error");
  });

  let healthServer: Server | undefined;
  return {
    app,
    checks,
    async start() {
      if (cfg.mode === "http") {
        const server = (await app.start({ port: cfg.PORT, host: cfg.HOST })) as Server;
        acks.watch(server);
        const port = (server.address() as AddressInfo).port;
        await warmUp({ port, host: cfg.HOST, signingSecret: cfg.SLACK_SIGNING_SECRET as string });
        return port;
      }
      await app.start();
      const h = await startHealthServer(cfg.PORT, cfg.HOST, checks, routes, healthHere);
      healthServer = h.server;
      return h.port;
    },
    async stop() {
      await app.stop();
      if (healthServer) await new Promise<void>((r) => healthServer?.close(() => r()));
    },
  };
}
