/** `scimwatch doctor`: checks every setting and connection; exit 0 only when all are OK. */
import { botEnvSchema, receiverMode } from "../config/bot.js";
import { placeholdersIn, settingHint } from "../config/env.js";
import { maskRedisUrl, type RedisMode, redisPlan } from "../config/redis.js";
import { blindness } from "../core/own-health.js";
import { parseWarnDays } from "../core/scim-keys.js";
import { type DescopeError, isDescopeError } from "../descope/errors.js";
import { descopeClientFromConfig } from "../descope/from-env.js";
import { proxySettings } from "../net/dispatcher.js";
import { createRedis, keyer } from "../redis/client.js";
import { ConnectionStore } from "../redis/connections.js";
import { ScimKeyStore } from "../redis/scim-key-store.js";
import { TailStateStore, tailHealth } from "../redis/tail-state.js";
import { connectorResults, scimKeyResult } from "./doctor-idp.js";
import { type Result, slackResults } from "./doctor-slack.js";
import type { Io } from "./io.js";

/** What to do about a Descope failure, by what actually failed. */
function descopeAdvice(e: DescopeError, baseUrl: string, overridden: boolean): string {
  switch (e.code) {
    case "descope_unreachable":
      return e.status
        ? `${e.message.split(";")[0]}: Descope is having trouble; retry in a minute`
        : `could not reach Descope at ${baseUrl}: ${
            overridden
              ? "check DESCOPE_BASE_URL (unset it to use the default for your project)"
              : "check this machine's network, DNS and proxy"
          }`;
    case "descope_auth":
      return `${e.message.split(";")[0]}: check DESCOPE_PROJECT_ID and DESCOPE_MANAGEMENT_KEY (Console › Company › Management keys; a key may be expired or revoked)`;
    case "descope_bad_response":
      return `${baseUrl} answered, but not like Descope's management API: ${
        overridden ? "check DESCOPE_BASE_URL" : "retry in a minute"
      }`;
    case "descope_rate_limited":
      return e.message;
    default:
      return overridden
        ? `${e.message}: check DESCOPE_BASE_URL (it should be Descope's API host, e.g. https://api.descope.com)`
        : e.message;
  }
}

export async function runDoctor(_argv: string[], io: Io): Promise<number> {
  const results: Result[] = [];
  const env = Object.fromEntries(
    Object.entries(io.env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const bad = new Set<string>();
  // .env.example's placeholders (xoxb-..., xapp-...) are not settings.
  for (const name of placeholdersIn(env)) {
    bad.add(name);
    results.push({
      name,
      ok: false,
      detail: `still .env.example's placeholder: set it to ${settingHint(name) ?? "a real value"}${name === "SLACK_APP_TOKEN" ? ", or leave it empty for HTTP mode" : ""}`,
    });
    delete env[name];
  }
  const parsed = botEnvSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (bad.has(name)) continue;
      bad.add(name);
      results.push({
        name,
        ok: false,
        detail: `${env[name] === undefined ? "not set" : "malformed"}: set it to ${settingHint(name) ?? "the form .env.example shows"}`,
      });
    }
  }
  const mode = receiverMode({
    SLACK_APP_TOKEN: typeof env.SLACK_APP_TOKEN === "string" ? env.SLACK_APP_TOKEN : undefined,
  });
  if (mode === "http" && !env.SLACK_SIGNING_SECRET && !bad.has("SLACK_SIGNING_SECRET")) {
    results.push({
      name: "SLACK_SIGNING_SECRET",
      ok: false,
      detail:
        "not set: HTTP mode needs it to verify Slack's requests (or set SLACK_APP_TOKEN for Socket Mode)",
    });
  } else {
    results.push({
      name: "Slack mode",
      ok: true,
      detail:
        mode === "socket"
          ? "Socket Mode (SLACK_APP_TOKEN set)"
          : `HTTP mode on port ${env.PORT ?? 3000}, /slack/events`,
    });
  }
  const cfg = parsed.success ? parsed.data : null;

  if (env.DESCOPE_PROJECT_ID && env.DESCOPE_MANAGEMENT_KEY && !bad.has("DESCOPE_BASE_URL")) {
    try {
      const client = descopeClientFromConfig(
        {
          DESCOPE_PROJECT_ID: env.DESCOPE_PROJECT_ID,
          DESCOPE_MANAGEMENT_KEY: env.DESCOPE_MANAGEMENT_KEY,
          DESCOPE_BASE_URL: env.DESCOPE_BASE_URL ?? env.DESCOPE_BASE_URI,
        },
        { maxAttempts: 2, timeoutMs: 5_000, maxRetryWaitMs: 2_000 },
      );
      try {
        const tenants = await client.listTenants();
        results.push({
          name: "Descope",
          ok: true,
          detail: `credentials accepted at ${client.baseUrl} (${tenants.length} tenants)`,
        });
      } catch (e) {
        results.push({
          name: "Descope",
          ok: false,
          detail: isDescopeError(e)
            ? descopeAdvice(
                e,
                client.baseUrl,
                Boolean(env.DESCOPE_BASE_URL ?? env.DESCOPE_BASE_URI),
              )
            : `unexpected error: ${(e as Error).message}`,
        });
      }
    } catch (e) {
      results.push({
        name: "Descope",
        ok: false,
        detail: `unexpected error: ${(e as Error).message}`,
      });
    }
  }

  // The Redis actually configured, whatever else is wrong: never a default in its place.
  const redisUrl = bad.has("REDIS_URL") ? undefined : (env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const redisSettings = {
    // Read here, not from the parse: the rest of the environment may be incomplete.
    REDIS_MODE: (bad.has("REDIS_MODE")
      ? "standalone"
      : (env.REDIS_MODE ?? "standalone")) as RedisMode,
    REDIS_URL: redisUrl ?? "",
    REDIS_SENTINEL_MASTER: env.REDIS_SENTINEL_MASTER,
    REDIS_SENTINEL_PASSWORD: env.REDIS_SENTINEL_PASSWORD,
    SCIMWATCH_REDIS_PREFIX: env.SCIMWATCH_REDIS_PREFIX,
  };
  let redisProblem: string | undefined;
  try {
    if (redisUrl && !bad.has("REDIS_MODE")) redisPlan(redisSettings);
  } catch (e) {
    redisProblem = (e as Error).message;
    results.push({ name: "Redis settings", ok: false, detail: redisProblem });
  }
  if (redisUrl && !redisProblem && !bad.has("REDIS_MODE")) {
    const shownUrl = `${maskRedisUrl(redisUrl)}${redisSettings.REDIS_MODE === "standalone" ? "" : ` (${redisSettings.REDIS_MODE})`}`;
    const redis = createRedis(redisSettings);
    redis.on("error", () => {});
    try {
      const pong = await Promise.race([
        redis.ping(),
        new Promise<string>((_, r) =>
          setTimeout(() => r(new Error("no answer within 3 s")), 3_000).unref(),
        ),
      ]);
      results.push({
        name: "Redis",
        ok: pong === "PONG",
        detail: `${shownUrl} answers`,
      });
      const policy = await redis
        .config("GET", "maxmemory-policy")
        .then((r) => (Array.isArray(r) ? String(r[1] ?? "") : ""))
        .catch(() => "");
      if (policy && policy !== "noeviction") {
        results.push({
          name: "Redis eviction",
          ok: true,
          warn: true,
          detail: `maxmemory-policy is ${policy}: under memory pressure Redis may drop BullMQ's jobs and schedulers and scimwatch's records; set it to noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, or your provider's parameter group)`,
        });
      }
      // The audit tail, as the workers left it in Redis: behind, or blind.
      const prefix = env.SCIMWATCH_REDIS_PREFIX ?? "{scimwatch}";
      const interval = Number(env.SCIMWATCH_TAIL_INTERVAL ?? 60) || 60;
      const state = await new TailStateStore(redis, keyer(prefix)).get().catch(() => null);
      if (state) {
        const now = Date.now();
        const b = blindness(state, Number(env.SCIMWATCH_BLIND_AFTER_RUNS ?? 5) || 5);
        const h = tailHealth(state, now, interval);
        if (b.blind || (h.lastSuccessAt !== null && !h.healthy))
          results.push({
            name: "Audit tail",
            ok: true,
            warn: true,
            detail: b.blind
              ? `blind: ${b.reason === "key_refused" ? "Descope refused the management key" : `${b.failedRuns} reads failed in a row`} (last error: ${state.lastError ?? "unknown"})`
              : `behind: the last successful read was ${Math.round((now - (h.lastSuccessAt ?? now)) / 60_000)} minutes ago (interval ${interval} s); is a worker (--role worker or all) running?`,
          });
        else if (h.lastSuccessAt === null)
          results.push({
            name: "Audit tail",
            ok: true,
            warn: true,
            detail:
              "no audit read recorded yet in this Redis: start scimwatch (role all or worker)",
          });
      }
      const conns = await new ConnectionStore(redis, keyer(prefix)).all().catch(() => null);
      if (conns) results.push(...connectorResults(conns, env));
      const keys = await new ScimKeyStore(redis, keyer(prefix)).all().catch(() => null);
      if (keys)
        results.push(scimKeyResult(keys, Date.now(), parseWarnDays(env.SCIMWATCH_KEY_WARN_DAYS)));
    } catch (e) {
      results.push({
        name: "Redis",
        ok: false,
        detail: `cannot reach ${shownUrl} (${(e as Error).message}): start Redis or fix REDIS_URL`,
      });
    } finally {
      redis.disconnect();
    }
  }

  if (env.SLACK_BOT_TOKEN && !bad.has("SLACK_BOT_TOKEN")) {
    const channels = [
      ...(cfg?.SCIMWATCH_ALERT_CHANNEL
        ? [{ id: cfg.SCIMWATCH_ALERT_CHANNEL, role: "alert channel" }]
        : []),
      ...[...(cfg?.SCIMWATCH_SUPPORT_CHANNELS ?? [])].map((id) => ({
        id,
        role: "support channel",
      })),
    ];
    results.push(
      ...(await slackResults({
        SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN,
        SLACK_APP_TOKEN: bad.has("SLACK_APP_TOKEN") ? undefined : env.SLACK_APP_TOKEN,
        SLACK_API_URL: env.SLACK_API_URL,
        channels,
      })),
    );
  }

  // Where calls go: through the environment's proxy (every adapter, Slack included), or direct.
  const proxy = proxySettings(io.env);
  if (proxy.httpsProxy || proxy.httpProxy)
    results.push({
      name: "Proxy",
      ok: true,
      detail: `calls go through ${proxy.httpsProxy ?? proxy.httpProxy} (CONNECT)${proxy.noProxy ? `, except NO_PROXY: ${proxy.noProxy}` : ""}`,
    });
  if (cfg && cfg.SCIMWATCH_SUPPORT_CHANNELS.size === 0 && cfg.SCIMWATCH_ADMIN_USERS.size === 0) {
    results.push({
      name: "Access",
      ok: true,
      warn: true,
      detail:
        "SCIMWATCH_SUPPORT_CHANNELS and SCIMWATCH_ADMIN_USERS are both empty: every /scim command will be refused; set at least one (channel IDs C…, user IDs U…)",
    });
  }
  if (cfg && !cfg.SCIMWATCH_ALERT_CHANNEL) {
    results.push({
      name: "Alerts",
      ok: true,
      warn: true,
      detail:
        "SCIMWATCH_ALERT_CHANNEL is not set: alerts for tenants without a linked channel (/scim link, /scim alerts) go nowhere; set it to a channel ID (C…)",
    });
  }

  for (const r of results)
    io.stdout(`${r.ok ? (r.warn ? "WARN" : "OK  ") : "FAIL"}  ${r.name}: ${r.detail}\n`);
  const failed = results.filter((r) => !r.ok).length;
  const warned = results.filter((r) => r.warn).length;
  io.stdout(
    failed
      ? `\n${failed} problem(s) found.\n`
      : warned
        ? `\nWorks, with ${warned} warning(s).\n`
        : "\nAll good.\n",
  );
  return failed ? 1 : 0;
}
