/**
 * `scimwatch doctor`'s Slack lines: the bot token and its scopes against the
 * shipped manifest, the app-level token (Socket Mode), and the bot's
 * membership of the channels it must post in or read (alerts, support). Every
 * call is read-only and uses only the manifest's scopes.
 */
import { readFileSync } from "node:fs";
import { webApi } from "@slack/bolt";
import { packageFile } from "../config/package-file.js";
import { slackTransport } from "../slack/transport.js";

export interface Result {
  name: string;
  ok: boolean;
  /** Works, but worth fixing: printed as WARN, does not fail the exit code. */
  warn?: boolean;
  detail: string;
}

const QUIET = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName() {},
};

/** The bot scopes the shipped manifest asks for. Pure over the manifest's text. */
export function manifestBotScopes(manifest: string): string[] {
  const lines = manifest.split("\n");
  const start = lines.findIndex((l) => /^\s*bot:\s*$/.test(l));
  if (start < 0) return [];
  const indent = (lines[start] as string).search(/\S/);
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (line.search(/\S/) <= indent) break;
    const m = /^\s*-\s*([\w:.]+)\s*$/.exec(line);
    if (m) out.push(m[1] as string);
  }
  return out;
}

function client(token: string, apiUrl: string | undefined) {
  return new webApi.WebClient(token, {
    ...slackTransport(apiUrl),
    retryConfig: { retries: 0 },
    timeout: 5_000,
    logger: QUIET,
  });
}

const slackError = (e: unknown) => (e as { data?: { error?: string } }).data?.error;

/** What to do about a Slack auth.test failure, by what actually failed. */
function slackAdvice(e: unknown, apiUrl: string | undefined): string {
  const code = slackError(e);
  if (
    code &&
    ["invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired"].includes(
      code,
    )
  )
    return `auth.test failed (${code}): reinstall the app and copy the Bot User OAuth Token into SLACK_BOT_TOKEN`;
  if (code) return `auth.test failed (${code}): see https://api.slack.com/methods/auth.test#errors`;
  const message = (e as Error).message ?? "network error";
  return `could not reach Slack${apiUrl ? ` at ${apiUrl}` : ""} (${message}): check this machine's network, and HTTPS_PROXY / NO_PROXY if a proxy is needed${apiUrl ? ", and SLACK_API_URL" : ""}; the token itself was not checked`;
}

export async function slackResults(env: {
  SLACK_BOT_TOKEN: string;
  SLACK_APP_TOKEN?: string | undefined;
  SLACK_API_URL?: string | undefined;
  channels: Array<{ id: string; role: string }>;
}): Promise<Result[]> {
  const results: Result[] = [];
  const bot = client(env.SLACK_BOT_TOKEN, env.SLACK_API_URL);
  try {
    const r = await bot.auth.test();
    results.push({
      name: "Slack",
      ok: true,
      detail: `bot token works (team ${r.team ?? r.team_id ?? "?"}, bot user ${r.user ?? r.user_id ?? "?"})`,
    });
    const granted = (r.response_metadata as { scopes?: string[] } | undefined)?.scopes;
    if (granted) {
      const wanted = manifestBotScopes(readFileSync(packageFile("manifest.yml"), "utf8"));
      const missing = wanted.filter((s) => !granted.includes(s));
      results.push(
        missing.length
          ? {
              name: "Slack scopes",
              ok: false,
              detail: `the bot token lacks ${missing.join(", ")}: add them under OAuth & Permissions › Bot Token Scopes (or paste \`scimwatch manifest\` into the app's manifest), reinstall the app, and copy the new token into SLACK_BOT_TOKEN`,
            }
          : {
              name: "Slack scopes",
              ok: true,
              detail: `the manifest's ${wanted.length} bot scopes are granted`,
            },
      );
    }
  } catch (e) {
    results.push({ name: "Slack", ok: false, detail: slackAdvice(e, env.SLACK_API_URL) });
    return results;
  }

  if (env.SLACK_APP_TOKEN) {
    try {
      await client(env.SLACK_APP_TOKEN, env.SLACK_API_URL).apiCall("apps.connections.open");
      results.push({
        name: "Socket Mode",
        ok: true,
        detail: "the app-level token opens a connection",
      });
    } catch (e) {
      const code = slackError(e);
      results.push({
        name: "Socket Mode",
        ok: false,
        detail: code
          ? `apps.connections.open failed (${code}): create an app-level token with connections:write (Basic Information › App-Level Tokens) and copy it into SLACK_APP_TOKEN, or leave it empty for HTTP mode`
          : `could not reach Slack (${(e as Error).message}): check the network and proxy settings`,
      });
    }
  }

  // Membership, read with the history scope the manifest already asks for.
  for (const { id, role } of env.channels) {
    try {
      await bot.conversations.history({ channel: id, limit: 1 });
      results.push({ name: `Channel ${id}`, ok: true, detail: `the bot is in the ${role}` });
    } catch (e) {
      const code = slackError(e);
      results.push({
        name: `Channel ${id}`,
        ok: false,
        detail:
          code === "not_in_channel" || code === "channel_not_found"
            ? `the bot is not in the ${role} (${code}): run /invite @scimwatch in that channel`
            : `could not read the ${role} (${code ?? (e as Error).message})`,
      });
    }
  }
  return results;
}
