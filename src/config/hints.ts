/**
 * What each setting should be set to, in one table: every message that names
 * a setting (start, check, doctor) says it the same way. Pure data.
 */
export const HINTS: Record<string, string> = {
  DESCOPE_PROJECT_ID: "the Descope project ID (Console › Project settings)",
  DESCOPE_MANAGEMENT_KEY: "a Descope management key (Console › Company › Management keys)",
  DESCOPE_BASE_URL: "an http(s) URL, e.g. https://api.descope.com",
  DESCOPE_TIMEOUT_MS: "milliseconds between 100 and 120000",
  DESCOPE_MAX_RETRY_WAIT_MS: "milliseconds between 0 and 600000",
  SLACK_BOT_TOKEN: "the app's Bot User OAuth Token (xoxb-…, OAuth & Permissions)",
  SLACK_APP_TOKEN:
    "an app-level token with connections:write (xapp-…, Basic Information) for Socket Mode",
  SLACK_SIGNING_SECRET: "the app's Signing Secret (Basic Information); required in HTTP mode",
  SLACK_API_URL: "an http(s) URL of a Slack Web API, e.g. https://slack.com/api/",
  PORT: "a port number (0–65535)",
  SCIMWATCH_ADMIN_PORT:
    "a port number (0–65535) for /healthz, /readyz, /healthz/tail and /metrics, apart from the public port",
  HOST: "the address to listen on, e.g. 0.0.0.0 (all interfaces) or 127.0.0.1",
  SCIMWATCH_SUPPORT_CHANNELS:
    "channel IDs (C…), comma-separated, not names like #support: the ID is at the bottom of the channel's About tab",
  SCIMWATCH_ADMIN_USERS:
    "Slack user IDs (U…), comma-separated, not names like @alice: a profile's ⋯ menu › Copy member ID",
  SCIMWATCH_AUDIT_HOOK_TOKEN:
    "a random token of at least 16 characters: the Bearer token of Descope's Audit Webhook connector",
  SCIMWATCH_KEY_WARN_DAYS:
    "days before a SCIM key expires to warn, comma-separated (default 14,7,1)",
  SCIMWATCH_RECONCILE_SCHEDULE:
    'when every connected tenant is reconciled: a 5-field cron pattern in UTC (default "0 6 * * 1", Mondays 06:00), or off',
  SCIMWATCH_EXTERNAL_MEMBERS:
    "read (default: members of another organisation in a shared channel see answers but change nothing), none, or full",
  SCIMWATCH_HEALTH_DETAILS: "true or false (default false)",
  SCIMWATCH_ALLOW_LOOPBACK_IDP:
    "true or false (default false): lets IdP URLs be loopback over http, for tests and development only",
  REDIS_MODE: "standalone, sentinel or cluster (default standalone)",
  REDIS_URL:
    "a redis:// or rediss:// URL; in sentinel or cluster mode, several, comma-separated (redis://h1:26379,redis://h2:26379)",
  REDIS_SENTINEL_MASTER:
    "the name of the master set the sentinels watch (sentinel monitor <name> …)",
  REDIS_SENTINEL_PASSWORD: "the sentinels' own password, when they require one",
  SCIMWATCH_REDIS_PREFIX: "a key prefix such as {scimwatch} (braces keep Redis Cluster happy)",
  SCIMWATCH_TAIL_INTERVAL: "seconds between audit-tail runs (1–3600, default 60)",
  SCIMWATCH_BACKFILL_DAYS: "days of audit events to read on the first run (0–30, default 30)",
  SCIMWATCH_TAIL_MAX_INTERVAL:
    "seconds: while Descope's audit stream pushes, the poll runs at least this often (1–86400, default 600)",
  SCIMWATCH_REREAD_WINDOW_SEC:
    "seconds the tail re-reads from time to time, for rows Descope makes searchable late (0–86400, default 900; 0: never)",
  SCIMWATCH_REREAD_EVERY_SEC:
    "how often, in seconds, that deeper re-read runs (60–86400, default 600)",
  SCIMWATCH_LATE_WRITE_SEC:
    "seconds each tail run re-reads before its cursor, for events written late (0–600, default 30)",
  SCIMWATCH_FAILING_MIN_CALLS: "SCIM calls in an hour before a tenant can be 'failing' (default 5)",
  SCIMWATCH_FAILING_RATIO: "share of failed SCIM calls in an hour that is 'failing' (default 0.8)",
  SCIMWATCH_STOPPED_AFTER_HOURS:
    "hours of silence (at least) before a regularly pushing tenant is 'stopped' (default 24)",
  SCIMWATCH_MASS_DEACTIVATION_MIN:
    "users deactivated within an hour that make a mass deactivation (default 10)",
  SCIMWATCH_MASS_DEACTIVATION_RATIO:
    "share of a tenant's SCIM-managed users deactivated within an hour (default 0.2)",
  SCIMWATCH_START_LEAD_HOURS:
    "hours before a hire's start date to alert if they still cannot sign in (default: one working day)",
  SCIMWATCH_WEBHOOK_SECRET:
    "a random secret of at least 16 characters that signs POST /hooks/hires",
  SCIMWATCH_BLIND_AFTER_RUNS:
    "failed tail runs in a row before scimwatch says it is blind (default 5)",
  SCIMWATCH_RECOVERY_SETTLE_MIN:
    "minutes a tenant (or scimwatch itself) must stay healthy before a recovery is said (0–1440, default 10)",
  SCIMWATCH_RELAPSE_COOLDOWN_MIN:
    "minutes after a recovery in which a relapse reopens the same alert instead of a new one (0–1440, default 60)",
  SCIMWATCH_SECRETS_KEY:
    "32 random bytes, base64 (openssl rand -base64 32): encrypts IdP tokens and webhook secrets at rest",
  SCIMWATCH_SECRETS_OLD_KEYS:
    "earlier SCIMWATCH_SECRETS_KEY values, comma-separated (each 32 random bytes, base64), kept while rotating",
  ENTRA_CLIENT_ID: "the Application (client) ID of scimwatch's multi-tenant Entra app",
  ENTRA_CLIENT_SECRET: "a client secret of scimwatch's Entra app",
  ENTRA_WRITE_CLIENT_ID:
    "the application (client) ID of scimwatch's second, write-capable Entra app (Synchronization.ReadWrite.All)",
  ENTRA_WRITE_CLIENT_SECRET: "a client secret of that write-capable Entra app",
  SCIMWATCH_APPROVERS:
    "Slack user IDs (U…), comma-separated, who may approve fix-it actions (never their own request); empty: actions are off",
  ENTRA_LOGIN_URL:
    "Entra's login URL (default https://login.microsoftonline.com; sovereign clouds differ)",
  GRAPH_API_URL: "Microsoft Graph's URL (default https://graph.microsoft.com)",
  ENTRA_REDIRECT_URI:
    "an https redirect URI registered on scimwatch's Entra app (Authentication › Web), e.g. https://scimwatch.example.com/entra/consented",
  DESCOPE_AUDIT_RATE_PER_MIN:
    "audit searches per minute for the whole project (default 10, Descope's limit)",
  DESCOPE_MGMT_RATE_PER_MIN:
    "other management calls per minute for the whole project (default 200, Descope's published user-search limit; a quarter is kept for checks and registrations)",
  LOG_LEVEL: "one of fatal, error, warn, info, debug, trace, silent",
};
