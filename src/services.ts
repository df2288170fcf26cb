/**
 * The one wiring point: every adapter and store is built here, once, from
 * the configuration. Use cases and listeners take the part they need;
 * runtime.ts only starts and stops what this builds.
 */
import { webApi } from "@slack/bolt";
import type { BotConfig } from "./config/bot.js";
import { secretsOf } from "./config/bot.js";
import { maskRedisUrl } from "./config/redis.js";
import { type Settings, settingsOf } from "./config/settings.js";
import { VERSION } from "./config/version.js";
import { EntraHttp } from "./connectors/entra-http.js";
import { hireId } from "./core/hires/model.js";
import type { DescopeClient } from "./descope/client.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import type { ActionDeps } from "./features/actions/run.js";
import { indexedEvents } from "./features/check/indexed-events.js";
import { CheckService } from "./features/check/service.js";
import { idpSideReader } from "./features/idp-side.js";
import type { LeaverDeps } from "./features/leavers/evaluate.js";
import { Outbox } from "./features/notify/outbox.js";
import type { ReconcileDeps } from "./features/reconcile/job.js";
import { reconcileProducer } from "./jobs/queues.js";
import { dependencyState, followRedis } from "./log/dependency.js";
import { boltLogger, createLogger, type Logger } from "./log/logger.js";
import { Metrics } from "./log/metrics.js";
import { type EgressPolicy, egressFromSetting } from "./net/egress.js";
import { observeHttpCalls } from "./net/http.js";
import { ActionStore } from "./redis/action-store.js";
import { AnswerStore } from "./redis/answers.js";
import { AuditIndex } from "./redis/audit-index.js";
import type { RedisClient } from "./redis/client.js";
import { createRedis, type Keyer, keyer } from "./redis/client.js";
import { ConnectionStore } from "./redis/connections.js";
import { descopeBudgets } from "./redis/descope-budgets.js";
import { HireStore } from "./redis/hire-store.js";
import { redisKeys } from "./redis/keys.js";
import { LeaverStore } from "./redis/leaver-store.js";
import { LinkStore } from "./redis/links.js";
import { OnceStore } from "./redis/once-store.js";
import { ReconcileStore } from "./redis/reconcile-store.js";
import { ScimKeyStore } from "./redis/scim-key-store.js";
import { SecretBox } from "./redis/secret-box.js";
import { SlidingWindowBudget } from "./redis/sliding-window.js";
import { TailStateStore } from "./redis/tail-state.js";
import { TenantHealthStore } from "./redis/tenant-health-store.js";
import { WebhookSecretStore } from "./redis/webhook-secrets.js";
import { SlackNotifier, slackClientOptions } from "./slack/notifier.js";
import { slackTransport } from "./slack/transport.js";

/** The adapters and stores, built once: no closures (use cases are functions that take them). */
export interface Services {
  /** Seals IdP tokens at rest (SCIMWATCH_SECRETS_KEY), or null when the key is not set. */
  secretBox: SecretBox | null;
  /** Per-tenant webhook secrets (/scim webhook <tenant>), sealed with the same key. */
  webhookKeys: WebhookSecretStore;
  /** Where IdP URLs typed in Slack may lead (https, public addresses; loopback for tests). */
  egress: EgressPolicy;
  connections: ConnectionStore;
  entra: EntraHttp | null;
  metrics: Metrics;
  auditBudget: SlidingWindowBudget;
  cfg: BotConfig;
  log: Logger;
  secrets: string[];
  redis: RedisClient;
  redisDep: ReturnType<typeof dependencyState>;
  key: Keyer;
  prefix: string;
  now: () => number;
  startedAt: number;
  descope: DescopeClient;
  index: AuditIndex;
  tailState: TailStateStore;
  links: LinkStore;
  hires: HireStore;
  answers: AnswerStore;
  tenantHealth: TenantHealthStore;
  /** Every tenant's SCIM keys as the key watch last read them, and the warnings given. */
  scimKeys: ScimKeyStore;
  notifier: SlackNotifier;
  /** Exactly-once records (alerts, checklists, webhook idempotency). */
  once: OnceStore;
  /** Reconciliation runs: their records, staged pages and orphans. */
  reconciles: ReconcileStore;
  leavers: LeaverStore;
  actions: ActionStore;
  /** Fix-it actions (requests, approvals, the write calls), with the write app when configured. */
  action: ActionDeps;
  /** What deciding about leavers needs (the command, the webhook, the after-read step). */
  leaver: LeaverDeps;
  /** What a reconciliation needs (the command, the job, the weekly run). */
  reconcile: ReconcileDeps;
  /** Closes what enqueueReconcile opened. */
  closeProducers: () => Promise<void>;
  /** The one way messages leave (features/notify/outbox.ts). */
  outbox: Outbox;
  checks: CheckService;
  settings: Settings;
}

/** Every Redis store, on one connection and prefix. */
function storesOf(redis: RedisClient, key: Keyer, prefix: string) {
  return {
    index: new AuditIndex(redis, key, prefix),
    tailState: new TailStateStore(redis, key),
    links: new LinkStore(redis, key),
    hires: new HireStore(redis, key),
    once: new OnceStore(redis, key),
    connections: new ConnectionStore(redis, key),
    answers: new AnswerStore(redis, key),
    tenantHealth: new TenantHealthStore(redis, key),
    scimKeys: new ScimKeyStore(redis, key),
    reconciles: new ReconcileStore(redis, key),
    leavers: new LeaverStore(redis, key),
    actions: new ActionStore(redis, key),
  };
}

/**
 * Graph's client, when Entra is configured. Its reports service allows 5
 * requests per 10 s per app and Entra tenant: one shared budget each; a check
 * does not wait long for logs (past 2 s it answers without them).
 */
function entraOf(cfg: BotConfig, redis: RedisClient, key: Keyer): EntraHttp | null {
  if (!cfg.ENTRA_CLIENT_ID || !cfg.ENTRA_CLIENT_SECRET) return null;
  const budgets = new Map<string, SlidingWindowBudget>();
  const budget = (tenant: string) => {
    const window = { windowMs: 10_000, marginMs: 500, reserve: 0 };
    const b =
      budgets.get(tenant) ??
      new SlidingWindowBudget(
        redis,
        "graph-reports",
        redisKeys(key).graphReportsBudget(tenant),
        5,
        window,
      );
    budgets.set(tenant, b);
    return b;
  };
  return new EntraHttp({
    clientId: cfg.ENTRA_CLIENT_ID,
    clientSecret: cfg.ENTRA_CLIENT_SECRET,
    loginUrl: cfg.ENTRA_LOGIN_URL,
    graphUrl: cfg.GRAPH_API_URL,
    redirectUri: cfg.ENTRA_REDIRECT_URI,
    beforeReports: (tenant) =>
      budget(tenant)
        .take(2_000, "high")
        .then(() => {}),
  });
}

/** The Slack notifier for background sends: bounded calls, paced per channel through Redis. */
function notifierOf(
  cfg: BotConfig,
  o: { log: Logger; secrets: string[]; redis: RedisClient; key: Keyer; deadlineMs?: number },
): SlackNotifier {
  const client = new webApi.WebClient(cfg.SLACK_BOT_TOKEN, {
    ...slackTransport(cfg.SLACK_API_URL),
    ...slackClientOptions(o.deadlineMs),
    logger: boltLogger(o.log, o.secrets),
  });
  return new SlackNotifier(client, {
    redis: o.redis,
    key: o.key,
    ...(o.deadlineMs ? { deadlineMs: o.deadlineMs } : {}),
  });
}

export function buildServices(
  cfg: BotConfig,
  opts: {
    log?: Logger;
    now?: () => number;
    /** Longest one background Slack call may take (default 60 s; tests shorten it). */
    slackDeadlineMs?: number;
  } = {},
): Services {
  const now = opts.now ?? Date.now;
  const secrets = secretsOf(cfg);
  const log = opts.log ?? createLogger({ level: cfg.LOG_LEVEL, secrets });
  const redis = createRedis(cfg);
  const redisDep = dependencyState("redis", log, maskRedisUrl(cfg.REDIS_URL));
  followRedis(redis, redisDep);
  const prefix = cfg.SCIMWATCH_REDIS_PREFIX;
  const key = keyer(prefix);
  const stores = storesOf(redis, key, prefix);
  const { index, tailState, links, hires, once, connections } = stores;
  const settings = settingsOf(cfg);

  const metrics = new Metrics({ version: VERSION });
  observeHttpCalls((service, outcome, ms) => metrics.idpCall(service, outcome, ms));
  const budgets = descopeBudgets(redis, key, cfg);
  const descope = descopeClientFromConfig(cfg, {
    ...budgets.hooks(metrics),
    onCall: (op, outcome, ms) => metrics.descopeCall(op, outcome, ms),
    cacheTtlMs: 30_000,
  });
  const deadlineMs = opts.slackDeadlineMs;
  const notifier = notifierOf(cfg, {
    log,
    secrets,
    redis,
    key,
    ...(deadlineMs ? { deadlineMs } : {}),
  });
  const alertChannel = settings.alertChannel;
  const outbox = new Outbox({ once, notifier, links, hires, log, alertChannel, metrics, now });
  const entra = entraOf(cfg, redis, key);
  // Secrets at rest (Okta tokens) need SCIMWATCH_SECRETS_KEY; without it none are stored.
  const secretBox = cfg.SCIMWATCH_SECRETS_KEY
    ? new SecretBox(cfg.SCIMWATCH_SECRETS_KEY, cfg.SCIMWATCH_SECRETS_OLD_KEYS)
    : null;
  const egress = egressFromSetting(cfg.SCIMWATCH_ALLOW_LOOPBACK_IDP);
  const idpSide = idpSideReader({ connections, entra, secretBox, egress, log, now });
  const checks = new CheckService({
    descope,
    now,
    events: indexedEvents({ descope, index, state: tailState, intervalSec: settings.intervalSec }),
    graceMinutes: settings.graceMinutes,
    expectedAssignment: async (tenantId, loginId) =>
      (await hires.get(hireId(tenantId, loginId)))?.assignedAt ?? null,
    idpSide,
  });

  const { add: enqueueReconcile, close: closeProducers } = reconcileProducer(
    () => createRedis(cfg, { forBullmq: true }),
    prefix,
    redisDep,
  );
  const reconcile: ReconcileDeps = {
    ...stores,
    // In the background: checks and registrations keep the management budget's reserve.
    descope: descope.background(),
    ...{ entra, secretBox, egress, outbox, redis, log, now },
    graceMinutes: settings.graceMinutes,
    enqueue: enqueueReconcile,
  };

  const leaver: LeaverDeps = {
    ...stores,
    descope: descope.background(),
    ...{ outbox, idpSide, log, now },
    graceMinutes: settings.graceMinutes,
  };

  const entraWrite =
    cfg.ENTRA_WRITE_CLIENT_ID && cfg.ENTRA_WRITE_CLIENT_SECRET
      ? new EntraHttp({
          clientId: cfg.ENTRA_WRITE_CLIENT_ID,
          clientSecret: cfg.ENTRA_WRITE_CLIENT_SECRET,
          loginUrl: cfg.ENTRA_LOGIN_URL,
          graphUrl: cfg.GRAPH_API_URL,
          redirectUri: cfg.ENTRA_REDIRECT_URI,
        })
      : null;
  const action: ActionDeps = {
    ...stores,
    ...{ entra, entraWrite, secretBox, egress, outbox, checks, log, now, metrics, descope },
    approvers: new Set(cfg.SCIMWATCH_APPROVERS),
  };

  return {
    ...stores,
    action,
    reconcile,
    leaver,
    closeProducers,
    secretBox,
    webhookKeys: new WebhookSecretStore(redis, key, secretBox),
    egress,
    entra,
    metrics,
    auditBudget: budgets.audit,
    cfg,
    log,
    secrets,
    redis,
    redisDep,
    key,
    prefix,
    now,
    startedAt: Date.now(),
    descope,
    notifier,
    outbox,
    checks,
    settings,
  };
}
