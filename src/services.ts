/**
 * The one wiring point: every adapter and store is built here, once, from
 * the configuration. Use cases and listeners take the part they need;
 * runtime.ts only starts and stops what this builds.
 */
import { webApi } from "@slack/bolt";
import type { BotConfig } from "./config/bot.js";
import { secretsOf, slackApiUrlOf } from "./config/bot.js";
import { EntraHttp } from "./connectors/entra-http.js";
import type { Debounce } from "./core/episodes.js";
import { hireId } from "./core/hires/model.js";
import { DEFAULT_THRESHOLDS, type HealthThresholds } from "./core/tenant-health.js";
import type { DescopeClient } from "./descope/client.js";
import { descopeClientFromConfig } from "./descope/from-env.js";
import { evaluateAll } from "./features/after-read.js";
import { indexedEvents } from "./features/check/indexed-events.js";
import { CheckService } from "./features/check/service.js";
import { autoExpect } from "./features/hires/auto-expect.js";
import { idpJobReader, idpSideReader } from "./features/idp-side.js";
import { Outbox } from "./features/notify/outbox.js";
import { dependencyState, followRedis } from "./log/dependency.js";
import { boltLogger, createLogger, type Logger } from "./log/logger.js";
import { Metrics } from "./log/metrics.js";
import { type EgressPolicy, egressFromSetting } from "./net/egress.js";
import { AnswerStore } from "./redis/answers.js";
import { AuditIndex } from "./redis/audit-index.js";
import type { RedisClient } from "./redis/client.js";
import { createRedis, type Keyer, keyer } from "./redis/client.js";
import { ConnectionStore } from "./redis/connections.js";
import { descopeBudgets } from "./redis/descope-budgets.js";
import { HireStore } from "./redis/hire-store.js";
import { redisKeys } from "./redis/keys.js";
import { LinkStore } from "./redis/links.js";
import { OnceStore } from "./redis/once-store.js";
import { SecretBox } from "./redis/secret-box.js";
import { SlidingWindowBudget } from "./redis/sliding-window.js";
import { TailStateStore } from "./redis/tail-state.js";
import { TenantHealthStore } from "./redis/tenant-health-store.js";
import { WebhookSecretStore } from "./redis/webhook-secrets.js";
import { SlackNotifier, slackClientOptions } from "./slack/notifier.js";

export interface Services {
  /** Registers new members of the app's assigned groups as expected hires (/scim autoexpect on). */
  autoExpect: () => Promise<number>;
  /** The IdP's own word on a tenant's provisioning job (Entra quarantine), for tenant-health alerts. */
  idpJob: (tenantId: string) => Promise<string | null>;
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
  notifier: SlackNotifier;
  /** Exactly-once records (alerts, checklists, webhook idempotency). */
  once: OnceStore;
  /** The one way messages leave (features/notify/outbox.ts). */
  outbox: Outbox;
  checks: CheckService;
  /** What a connected IdP says about a person (features/idp-side.ts). */
  idpSide: ReturnType<typeof idpSideReader>;
  /** Evaluates open hires now (all, or these). */
  evaluate: (ids?: string[]) => ReturnType<typeof evaluateAll>;
  settings: {
    supportChannels: ReadonlySet<string>;
    adminUsers: ReadonlySet<string>;
    graceMinutes: number;
    alertChannel?: string | undefined;
    intervalSec: number;
    backfillDays: number;
    lateWriteSec: number;
    blindAfterRuns: number;
    startLeadHours: number | undefined;
    thresholds: HealthThresholds;
    debounce: Debounce;
  };
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
  const redisDep = dependencyState("redis", log);
  followRedis(redis, redisDep);
  const prefix = cfg.SCIMWATCH_REDIS_PREFIX;
  const key = keyer(prefix);

  const metrics = new Metrics();
  const budgets = descopeBudgets(redis, key, cfg);
  const auditBudget = budgets.audit;
  const descope = descopeClientFromConfig(cfg, {
    ...budgets.hooks(metrics),
    onCall: (op, outcome) => metrics.descopeCalls.inc({ op, outcome }),
    cacheTtlMs: 30_000,
  });
  const index = new AuditIndex(redis, key, prefix);
  const tailState = new TailStateStore(redis, key);
  const links = new LinkStore(redis, key);
  const hires = new HireStore(redis, key);
  const slackApiUrl = slackApiUrlOf(cfg.SLACK_API_URL);
  const notifier = new SlackNotifier(
    new webApi.WebClient(cfg.SLACK_BOT_TOKEN, {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      ...slackClientOptions(opts.slackDeadlineMs),
      logger: boltLogger(log, secrets),
    }),
    { redis, key, ...(opts.slackDeadlineMs ? { deadlineMs: opts.slackDeadlineMs } : {}) },
  );
  const once = new OnceStore(redis, key);
  const outbox = new Outbox({
    once,
    notifier,
    links,
    hires,
    log,
    alertChannel: cfg.SCIMWATCH_ALERT_CHANNEL,
    metrics,
    now,
  });
  const settings = {
    supportChannels: cfg.SCIMWATCH_SUPPORT_CHANNELS,
    adminUsers: cfg.SCIMWATCH_ADMIN_USERS,
    graceMinutes: cfg.SCIMWATCH_GRACE_MINUTES,
    alertChannel: cfg.SCIMWATCH_ALERT_CHANNEL,
    intervalSec: cfg.SCIMWATCH_TAIL_INTERVAL,
    backfillDays: cfg.SCIMWATCH_BACKFILL_DAYS,
    lateWriteSec: cfg.SCIMWATCH_LATE_WRITE_SEC,
    blindAfterRuns: cfg.SCIMWATCH_BLIND_AFTER_RUNS,
    startLeadHours: cfg.SCIMWATCH_START_LEAD_HOURS,
    debounce: {
      settleMs: cfg.SCIMWATCH_RECOVERY_SETTLE_MIN * 60_000,
      cooldownMs: cfg.SCIMWATCH_RELAPSE_COOLDOWN_MIN * 60_000,
    },
    thresholds: {
      ...DEFAULT_THRESHOLDS,
      failingMinCalls: cfg.SCIMWATCH_FAILING_MIN_CALLS,
      failingRatio: cfg.SCIMWATCH_FAILING_RATIO,
      stoppedMinMs: cfg.SCIMWATCH_STOPPED_AFTER_HOURS * 3_600_000,
      massMin: cfg.SCIMWATCH_MASS_DEACTIVATION_MIN,
      massRatio: cfg.SCIMWATCH_MASS_DEACTIVATION_RATIO,
    },
  };
  const connections = new ConnectionStore(redis, key);
  // Graph's reports service allows 5 requests per 10 s per app and Entra tenant: one shared budget each.
  const reportBudgets = new Map<string, SlidingWindowBudget>();
  const entra =
    cfg.ENTRA_CLIENT_ID && cfg.ENTRA_CLIENT_SECRET
      ? new EntraHttp({
          clientId: cfg.ENTRA_CLIENT_ID,
          clientSecret: cfg.ENTRA_CLIENT_SECRET,
          loginUrl: cfg.ENTRA_LOGIN_URL,
          graphUrl: cfg.GRAPH_API_URL,
          redirectUri: cfg.ENTRA_REDIRECT_URI,
          beforeReports: async (tenant) => {
            let b = reportBudgets.get(tenant);
            if (!b) {
              b = new SlidingWindowBudget(
                redis,
                "graph-reports",
                redisKeys(key).graphReportsBudget(tenant),
                5,
                {
                  windowMs: 10_000,
                  marginMs: 500,
                  reserve: 0,
                },
              );
              reportBudgets.set(tenant, b);
            }
            // A check does not wait long for logs: past 2 s it answers without them.
            await b.take(2_000, "high");
          },
        })
      : null;
  // Secrets at rest (Okta tokens) need SCIMWATCH_SECRETS_KEY; without it none are stored.
  const secretBox = cfg.SCIMWATCH_SECRETS_KEY
    ? new SecretBox(cfg.SCIMWATCH_SECRETS_KEY, cfg.SCIMWATCH_SECRETS_OLD_KEYS)
    : null;
  const egress = egressFromSetting(cfg.SCIMWATCH_ALLOW_LOOPBACK_IDP);
  const idpSide = idpSideReader({ connections, entra, secrets: secretBox, egress, log, now });
  // Nobody waits on the evaluation: it leaves the budget's reserve to checks and registrations.
  const background = descope.background();
  /** Evaluates the hires, then asks the IdP about them where a connector proves more. */
  const evaluate = (ids?: string[]) =>
    evaluateAll(
      {
        descope: background,
        index,
        hires,
        links,
        once,
        outbox,
        connections,
        log,
        now,
        idpSide,
        settings,
      },
      ids,
    );
  const checks = new CheckService({
    descope,
    now,
    events: indexedEvents({ descope, index, state: tailState, intervalSec: settings.intervalSec }),
    graceMinutes: settings.graceMinutes,
    expectedAssignment: async (tenantId, loginId) =>
      (await hires.get(hireId(tenantId, loginId)))?.assignedAt ?? null,
    idpSide,
  });

  return {
    autoExpect: () =>
      autoExpect({
        connections,
        entra,
        secrets: secretBox,
        egress,
        descope: background,
        hires,
        links,
        outbox,
        log,
        now,
        evaluate,
        graceMinutes: settings.graceMinutes,
        alertChannel: settings.alertChannel,
      }),
    idpJob: idpJobReader({ connections, entra, secrets: secretBox, egress, now }),
    secretBox,
    webhookKeys: new WebhookSecretStore(redis, key, secretBox),
    egress,
    connections,
    entra,
    metrics,
    auditBudget,
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
    index,
    tailState,
    links,
    hires,
    answers: new AnswerStore(redis, key),
    tenantHealth: new TenantHealthStore(redis, key),
    notifier,
    once,
    outbox,
    checks,
    idpSide,
    evaluate,
    settings,
  };
}
