/** The bot's settings, validated at start. A bad setting stops the process with one line naming it. */
import * as z from "zod";
import { DEFAULT_GRACE_MINUTES } from "../core/window.js";
import { descopeEnvSchema, parseEnv } from "./env.js";
import { HINTS } from "./hints.js";
import { redisPasswords, redisPlan } from "./redis.js";

/** A comma-separated list of Slack IDs, each matching `id` (names like #support or @alice are refused). */
const slackIds = (id: RegExp, what: string) =>
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((ids) => ids.every((x) => id.test(x)), {
      message: `${what}, comma-separated (not names)`,
    })
    .transform((ids) => new Set(ids));

/** An http(s) URL (an ftp: or javascript: one is a mistake, never a setting). */
const webUrl = z.url({ protocol: /^https?$/ });

export const botEnvSchema = descopeEnvSchema.extend({
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xox[bp]-\S+$/),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-\S+$/)
    .optional(),
  SLACK_SIGNING_SECRET: z.string().trim().min(8).optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * A separate port for health and metrics (/healthz, /readyz, /healthz/tail,
   * /metrics): set, they leave the public port, which then serves only Slack's
   * requests and the hires webhook.
   */
  SCIMWATCH_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The interface the HTTP listener binds: every interface by default, so containers keep working. */
  HOST: z
    .string()
    .trim()
    .regex(/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/)
    .default("0.0.0.0"),
  /** Days before a SCIM key's expiry to warn, comma-separated (largest first after parsing). */
  SCIMWATCH_KEY_WARN_DAYS: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\s*,\s*\d{1,3})*$/)
    .default("14,7,1"),
  /** When every connected tenant is reconciled (a cron pattern, UTC), or "off". */
  SCIMWATCH_RECONCILE_SCHEDULE: z
    .string()
    .trim()
    .regex(/^(off|(\S+\s+){4}\S+)$/)
    .default("0 6 * * 1"),
  /** Slack Connect: what members of another organisation may do in a shared channel. */
  SCIMWATCH_EXTERNAL_MEMBERS: z.enum(["read", "none", "full"]).default("read"),
  /** Show error texts in the unauthenticated health endpoints. */
  SCIMWATCH_HEALTH_DETAILS: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** IdP URLs (an Okta org) may be loopback, over http: tests and development only. */
  SCIMWATCH_ALLOW_LOOPBACK_IDP: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** standalone (one server), sentinel (REDIS_URL lists the sentinels) or cluster (seed nodes). */
  REDIS_MODE: z.enum(["standalone", "sentinel", "cluster"]).default("standalone"),
  /** One redis:// or rediss:// URL, or several, comma-separated (sentinels, cluster seeds). */
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/[^\s,]+(\s*,\s*rediss?:\/\/[^\s,]+)*$/)
    .default("redis://127.0.0.1:6379"),
  REDIS_SENTINEL_MASTER: z.string().trim().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  SCIMWATCH_REDIS_PREFIX: z
    .string()
    .regex(/^\{[\w:.-]+\}$|^[\w:.-]+$/)
    .default("{scimwatch}"),
  SCIMWATCH_SUPPORT_CHANNELS: slackIds(/^[CG][A-Z0-9]+$/, "channel IDs (C…)"),
  SCIMWATCH_ADMIN_USERS: slackIds(/^[UW][A-Z0-9]+$/, "user IDs (U…)"),
  /** Who may approve fix-it actions (never their own request); none: actions are off. */
  SCIMWATCH_APPROVERS: slackIds(/^[UW][A-Z0-9]+$/, "user IDs (U…)"),
  SCIMWATCH_TAIL_INTERVAL: z.coerce.number().int().min(1).max(3600).default(60),
  SCIMWATCH_BACKFILL_DAYS: z.coerce.number().int().min(0).max(30).default(30),
  SCIMWATCH_LATE_WRITE_SEC: z.coerce.number().int().min(0).max(600).default(30),
  /** While Descope's audit stream flows, the poll runs at least this often (seconds). */
  SCIMWATCH_TAIL_MAX_INTERVAL: z.coerce.number().int().min(1).max(86_400).default(600),
  /** From time to time the tail re-reads this much (0: never), for rows Descope makes searchable late. */
  SCIMWATCH_REREAD_WINDOW_SEC: z.coerce.number().int().min(0).max(86_400).default(900),
  /** How often that deeper re-read runs. */
  SCIMWATCH_REREAD_EVERY_SEC: z.coerce.number().int().min(60).max(86_400).default(600),
  SCIMWATCH_GRACE_MINUTES: z.coerce.number().int().min(0).max(1440).default(DEFAULT_GRACE_MINUTES),
  SCIMWATCH_ALERT_CHANNEL: z
    .string()
    .trim()
    .regex(/^[CG][A-Z0-9]{2,}$/)
    .optional(),
  SCIMWATCH_FAILING_MIN_CALLS: z.coerce.number().int().min(1).max(10000).default(5),
  SCIMWATCH_FAILING_RATIO: z.coerce.number().min(0.01).max(1).default(0.8),
  SCIMWATCH_STOPPED_AFTER_HOURS: z.coerce.number().min(1).max(720).default(24),
  SCIMWATCH_MASS_DEACTIVATION_MIN: z.coerce.number().int().min(1).max(100000).default(10),
  SCIMWATCH_MASS_DEACTIVATION_RATIO: z.coerce.number().min(0).max(1).default(0.2),
  SCIMWATCH_START_LEAD_HOURS: z.coerce.number().min(0).max(720).optional(),
  SCIMWATCH_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** The bearer token Descope's Audit Webhook connector sends; unset: POST /hooks/descope-audit is off. */
  SCIMWATCH_AUDIT_HOOK_TOKEN: z.string().trim().min(16).optional(),
  SCIMWATCH_BLIND_AFTER_RUNS: z.coerce.number().int().min(1).max(1000).default(5),
  SCIMWATCH_RECOVERY_SETTLE_MIN: z.coerce.number().min(0).max(1440).default(10),
  SCIMWATCH_RELAPSE_COOLDOWN_MIN: z.coerce.number().min(0).max(1440).default(60),
  SCIMWATCH_SECRETS_KEY: z
    .string()
    .trim()
    .refine((s) => Buffer.from(s, "base64").length === 32, "32 random bytes, base64")
    .optional(),
  /** Earlier SCIMWATCH_SECRETS_KEY values, comma-separated: what they sealed still opens. */
  SCIMWATCH_SECRETS_OLD_KEYS: z
    .string()
    .trim()
    .refine(
      (s) => s === "" || s.split(",").every((k) => Buffer.from(k.trim(), "base64").length === 32),
      "32 random bytes, base64, each",
    )
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ENTRA_CLIENT_ID: z.string().trim().min(1).optional(),
  ENTRA_CLIENT_SECRET: z.string().trim().min(1).optional(),
  /** A second, write-capable Entra app (provision on demand, restart): opt-in, consented per tenant. */
  ENTRA_WRITE_CLIENT_ID: z.string().trim().min(1).optional(),
  ENTRA_WRITE_CLIENT_SECRET: z.string().trim().min(1).optional(),
  ENTRA_LOGIN_URL: webUrl.default("https://login.microsoftonline.com"),
  GRAPH_API_URL: webUrl.default("https://graph.microsoft.com"),
  ENTRA_REDIRECT_URI: webUrl.optional(),
  DESCOPE_AUDIT_RATE_PER_MIN: z.coerce.number().int().min(1).max(6000).default(10),
  // Descope publishes about 500 user-management requests per 60 s, and 200 per 60 s for
  // user search (older docs): the search is most of what scimwatch calls, so 200.
  DESCOPE_MGMT_RATE_PER_MIN: z.coerce.number().int().min(1).max(60000).default(200),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type BotConfig = z.output<typeof botEnvSchema> & { mode: "socket" | "http" };

/** Socket Mode when an app-level token is set (no public URL needed); HTTP mode otherwise. */
export function receiverMode(env: { SLACK_APP_TOKEN?: string | undefined }): "socket" | "http" {
  return env.SLACK_APP_TOKEN ? "socket" : "http";
}

export function loadBotConfig(env: NodeJS.ProcessEnv): BotConfig {
  const cfg = parseEnv(botEnvSchema, env, HINTS);
  redisPlan(cfg); // a ConfigError when the Redis settings cannot work together
  const mode = receiverMode(cfg);
  if (mode === "http" && !cfg.SLACK_SIGNING_SECRET) {
    parseEnv(botEnvSchema.required({ SLACK_SIGNING_SECRET: true }), env, {
      SLACK_SIGNING_SECRET: `${HINTS.SLACK_SIGNING_SECRET} (or set SLACK_APP_TOKEN for Socket Mode)`,
    });
  }
  return { ...cfg, mode };
}

/** Values never to print. */
export function secretsOf(cfg: Partial<BotConfig>): string[] {
  return [
    cfg.SLACK_BOT_TOKEN,
    cfg.SLACK_APP_TOKEN,
    cfg.SLACK_SIGNING_SECRET,
    cfg.DESCOPE_MANAGEMENT_KEY,
    cfg.ENTRA_CLIENT_SECRET,
    cfg.ENTRA_WRITE_CLIENT_SECRET,
    cfg.SCIMWATCH_SECRETS_KEY,
    ...(cfg.SCIMWATCH_SECRETS_OLD_KEYS ?? []),
    cfg.SCIMWATCH_WEBHOOK_SECRET,
    cfg.SCIMWATCH_AUDIT_HOOK_TOKEN,
    cfg.REDIS_SENTINEL_PASSWORD,
    ...redisPasswords(cfg.REDIS_URL ?? ""),
  ].filter((s): s is string => Boolean(s));
}

/** SLACK_API_URL as the Web API client wants it (with a trailing slash), or undefined. */
export function slackApiUrlOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}
