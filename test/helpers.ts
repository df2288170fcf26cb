/** Shared test wiring: a real bot (Bolt HTTP receiver) against the fake Descope and fake Slack. */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { loadBotConfig } from "../src/config/bot.js";
import { createLogger } from "../src/log/logger.js";
import { createRedis, type RedisClient, scanKeys } from "../src/redis/client.js";
import { createRuntime, type Role, type Runtime } from "../src/runtime.js";
import { FakeDescope } from "./fakes/descope.js";
import { FakeSlack, postSigned, slackSignature } from "./fakes/slack.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface Harness {
  descope: FakeDescope;
  slack: FakeSlack;
  runtime: Runtime;
  url: string;
  prefix: string;
  logs: string[];
  /** A connection to the same Redis (topology included) as the bot's. */
  redis: RedisClient;
  /** Sends `/scim <text>` and returns the HTTP ack and the response_url id. */
  command(
    text: string,
    opts?: { user?: string; channel?: string; team?: string; enterprise?: string },
  ): Promise<{ status: number; ack: Record<string, unknown>; rid: string; ms: number }>;
  click(
    actionId: string,
    value: string,
    opts?: { user?: string; channel?: string; selected?: boolean; team?: string },
  ): Promise<{ status: number; rid: string }>;
  event(event: Record<string, unknown>): Promise<number>;
  /** Posts any signed interactivity payload (view_submission, block_suggestion…); returns the ack body. */
  interaction(payload: Record<string, unknown>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  seed?: (d: FakeDescope) => void,
  opts: { role?: Role; now?: () => number; prefix?: string; slackDeadlineMs?: number } = {},
): Promise<Harness> {
  const descope = new FakeDescope();
  seed?.(descope);
  const slack = new FakeSlack();
  await Promise.all([descope.start(), slack.start()]);
  const prefix = opts.prefix ?? `{scimwatch-test-${randomUUID().slice(0, 8)}}`;
  const cfg = loadBotConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    REDIS_URL,
    SCIMWATCH_REDIS_PREFIX: prefix,
    DESCOPE_PROJECT_ID: descope.projectId,
    DESCOPE_MANAGEMENT_KEY: descope.managementKey,
    DESCOPE_BASE_URL: descope.url,
    DESCOPE_TIMEOUT_MS: "500",
    DESCOPE_MAX_RETRY_WAIT_MS: "1000",
    SCIMWATCH_SUPPORT_CHANNELS: "CSUPPORT",
    SCIMWATCH_ADMIN_USERS: "UADMIN",
    // Tests send many checks a minute; the budget itself is tested in tail.test.ts.
    DESCOPE_AUDIT_RATE_PER_MIN: "6000",
    DESCOPE_MGMT_RATE_PER_MIN: "60000",
    // The fake IdPs listen on loopback over http.
    SCIMWATCH_ALLOW_LOOPBACK_IDP: "true",
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({
    level: "debug",
    destination: sink,
    secrets: [cfg.SLACK_BOT_TOKEN, SIGNING_SECRET, descope.managementKey],
  });
  const runtime = createRuntime(cfg, {
    log,
    role: opts.role ?? "bot",
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.slackDeadlineMs ? { slackDeadlineMs: opts.slackDeadlineMs } : {}),
  });
  const port = await runtime.start();
  const url = `http://127.0.0.1:${port}`;
  const redis = createRedis(cfg);
  // Its connection problems (a failover under test) are the bot's to report, not this probe's.
  redis.on("error", () => {});
  let n = 0;
  return {
    descope,
    slack,
    runtime,
    url,
    prefix,
    logs,
    redis,
    async command(text, opts = {}) {
      const rid = `r${++n}`;
      const r = await postSigned(
        `${url}/slack/events`,
        {
          token: "legacy-verification-token",
          team_id: opts.team ?? "T0TEAM",
          ...(opts.enterprise ? { enterprise_id: opts.enterprise } : {}),
          team_domain: "acme",
          channel_id: opts.channel ?? "CSUPPORT",
          channel_name: "support",
          user_id: opts.user ?? "USUPPORT",
          user_name: "sam",
          command: "/scim",
          text,
          api_app_id: "A0APP",
          is_enterprise_install: "false",
          response_url: slack.responseUrl(rid),
          trigger_id: "123.456.abc",
        },
        SIGNING_SECRET,
      );
      return {
        status: r.status,
        ack: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {},
        rid,
        ms: r.ms,
      };
    },
    async click(actionId, value, opts = {}) {
      const rid = `r${++n}`;
      const payload = {
        type: "block_actions",
        team: { id: "T0TEAM", domain: "acme" },
        user: { id: opts.user ?? "USUPPORT", username: "sam", team_id: opts.team ?? "T0TEAM" },
        api_app_id: "A0APP",
        token: "legacy-verification-token",
        container: {
          type: "message",
          message_ts: "1.2",
          channel_id: opts.channel ?? "CSUPPORT",
          is_ephemeral: true,
        },
        trigger_id: "123.456.abc",
        channel: { id: opts.channel ?? "CSUPPORT", name: "support" },
        response_url: slack.responseUrl(rid),
        actions: [
          {
            action_id: actionId,
            block_id: "scim_check_actions",
            type: "button",
            value,
            action_ts: "1.3",
            text: { type: "plain_text", text: "x" },
          },
        ],
      };
      const r = await postSigned(
        `${url}/slack/events`,
        { payload: JSON.stringify(payload) },
        SIGNING_SECRET,
      );
      return { status: r.status, rid };
    },
    async interaction(payload) {
      const r = await postSigned(
        `${url}/slack/events`,
        {
          payload: JSON.stringify({
            team: { id: "T0TEAM" },
            api_app_id: "A0APP",
            token: "legacy",
            ...payload,
          }),
        },
        SIGNING_SECRET,
      );
      return { status: r.status, body: r.body };
    },
    async event(event) {
      const body = JSON.stringify({
        token: "legacy",
        team_id: "T0TEAM",
        api_app_id: "A0APP",
        type: "event_callback",
        event_id: `Ev${++n}`,
        event_time: Math.floor(Date.now() / 1000),
        event,
      });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`${url}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": slackSignature(SIGNING_SECRET, ts, body),
        },
        body,
      });
      return res.status;
    },
    async stop() {
      await runtime.stop();
      // Keys of one prefix share a slot, so one DEL serves a cluster too.
      const keys = await scanKeys(redis, `${prefix}*`).catch(() => []);
      if (keys.length) await redis.del(...keys).catch(() => 0);
      redis.disconnect();
      await Promise.all([descope.stop(), slack.stop()]);
    },
  };
}

/** Every mrkdwn/plain text string inside a Block Kit structure. */
/** The value of the button `actionId` among a message's blocks, or undefined. */
export function buttonValue(blocks: unknown, actionId: string): string | undefined {
  return ((blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)?.value;
}

export function textsOf(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== "text" || typeof x !== "string") walk(x);
    }
  };
  walk(blocks);
  return out;
}

/** Asserts the Block Kit limits a message must respect; returns problems found. */
export function blockKitProblems(msg: Record<string, unknown>, maxBlocks = 50): string[] {
  const problems: string[] = [];
  if (typeof msg.text !== "string" || !msg.text.trim()) problems.push("no plain text fallback");
  const blocks = (msg.blocks ?? []) as Array<Record<string, unknown>>;
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    const t = (b.text as { text?: string } | undefined)?.text;
    if (b.type === "section" && t && t.length > 3000) problems.push(`section text ${t.length}`);
    if (b.type === "header" && t && t.length > 150) problems.push(`header text ${t.length}`);
    if (b.type === "actions") {
      for (const e of b.elements as Array<Record<string, unknown>>) {
        if (e.type === "button" && ((e.text as { text: string }).text ?? "").length > 75)
          problems.push("button text");
        if (String(e.value ?? "").length > 2000) problems.push("button value");
      }
    }
  }
  return problems;
}

/** Only the mrkdwn strings (plain_text is never parsed for control sequences). */
export function mrkdwnTextsOf(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      for (const x of Object.values(o)) if (typeof x === "object") walk(x);
    }
  };
  walk(blocks);
  return out;
}

/**
 * The environment a CLI command needs to act as the harness's bot (its .env):
 * Slack, Descope and the same Redis keys, plus `extra`.
 */
export function botCliEnv(h: Harness, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: h.slack.apiUrl,
    REDIS_URL,
    SCIMWATCH_REDIS_PREFIX: h.prefix,
    DESCOPE_PROJECT_ID: h.descope.projectId,
    DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
    DESCOPE_BASE_URL: h.descope.url,
    ...extra,
  };
}

/**
 * Rewrites a stored fix-it request (as a stop or an hour gone by would leave
 * it), once Slack's ts is stored with it, as it is for a real request: a
 * rewrite read before that would wipe the ts.
 */
export async function patchAction(
  h: Harness,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const key = `${h.prefix}:action:${id}`;
  const until = Date.now() + 10_000;
  for (;;) {
    const rec = JSON.parse((await h.redis.get(key)) ?? "{}");
    if (rec.ts || Date.now() > until) {
      await h.redis.set(key, JSON.stringify({ ...rec, ...patch }));
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
