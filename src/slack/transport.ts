/**
 * Where every Slack client of the process sends its calls, and how: the API
 * URL (SLACK_API_URL, for tests and proxies that rewrite it) and the process's
 * one undici dispatcher, so the Web API client, Socket Mode and `doctor` go
 * through the environment's proxy like every other adapter.
 */
import { slackApiUrlOf } from "../config/bot.js";
import { proxiedFetch } from "../net/dispatcher.js";

/** The WebClient options every Slack client shares. */
export function slackTransport(apiUrl: string | undefined): {
  slackApiUrl?: string;
  fetch: typeof fetch;
} {
  const slackApiUrl = slackApiUrlOf(apiUrl);
  return { ...(slackApiUrl ? { slackApiUrl } : {}), fetch: proxiedFetch };
}
