/** `scimwatch doctor`: checks every setting and connection; exit 0 only when all are OK. */
import { webApi } from "@slack/bolt";
import { botEnvSchema, receiverMode, slackApiUrlOf } from "../config/bot.js";
import { isDescopeError } from "../descope/errors.js";
import { descopeClientFromConfig } from "../descope/from-env.js";
import { createRedis } from "../store/redis.js";
import type { Io } from "./io.js";

interface Result {
  name: string;
  ok: boolean;
  detail: string;
}

export async function runDoctor(_argv: string[], io: Io): Promise<number> {
  const results: Result[] = [];
  const env = Object.fromEntries(
    Object.entries(io.env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = botEnvSchema.safeParse(env);
  const bad = new Set<string>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (bad.has(name)) continue;
      bad.add(name);
      results.push({
        name,
        ok: false,
        detail:
          env[name] === undefined
            ? "not set: see .env.example"
            : "malformed: see .env.example for its form",
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
          DESCOPE_BASE_URL: env.DESCOPE_BASE_URL,
        },
        { maxAttempts: 2, timeoutMs: 5_000, maxRetryWaitMs: 2_000 },
      );
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
        detail: isDescopeError(e) ? e.message : `unexpected error: ${(e as Error).message}`,
      });
    }
  }

  const redisUrl = cfg?.REDIS_URL ?? (bad.has("REDIS_URL") ? undefined : "redis://127.0.0.1:6379");
  if (redisUrl) {
    const shownUrl = redisUrl.replace(/\/\/[^@]*@/, "//***@");
    const redis = createRedis(redisUrl);
    redis.on("error", () => {});
    try {
      const pong = await Promise.race([
        redis.ping(),
        new Promise<string>((_, r) =>
          setTimeout(() => r(new Error("no answer within 3 s")), 3_000),
        ),
      ]);
      results.push({
        name: "Redis",
        ok: pong === "PONG",
        detail: `${shownUrl} answers`,
      });
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
    const slackApiUrl = slackApiUrlOf(env.SLACK_API_URL);
    const client = new webApi.WebClient(env.SLACK_BOT_TOKEN, {
      ...(slackApiUrl ? { slackApiUrl } : {}),
      retryConfig: { retries: 0 },
      timeout: 5_000,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {},
        setLevel() {},
        getLevel: () => webApi.LogLevel.ERROR,
        setName() {},
      },
    });
    try {
      const r = await client.auth.test();
      results.push({
        name: "Slack",
        ok: true,
        detail: `bot token works (team ${r.team ?? r.team_id ?? "?"}, bot user ${r.user ?? r.user_id ?? "?"})`,
      });
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error ?? (e as Error).message;
      results.push({
        name: "Slack",
        ok: false,
        detail: `auth.test failed (${code}): reinstall the app and copy the Bot User OAuth Token into SLACK_BOT_TOKEN`,
      });
    }
  }

  for (const r of results) io.stdout(`${r.ok ? "OK  " : "FAIL"}  ${r.name}: ${r.detail}\n`);
  const failed = results.filter((r) => !r.ok).length;
  io.stdout(failed ? `\n${failed} problem(s) found.\n` : "\nAll good.\n");
  return failed ? 1 : 0;
}
