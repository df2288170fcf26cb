/**
 * A crash in the middle of a webhook batch: the bot (a real process, `node
 * dist/cli.js start`) is killed with SIGKILL while it registers 1,000 hires.
 * Whatever it had stored stays, and the HRIS's retry registers the rest:
 * every hire exactly once, none lost.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis, scanKeys } from "../../src/redis/client.js";
import { FakeDescope } from "../fakes/descope.js";
import { webhookHeaders } from "../fakes/hris.js";
import { FakeSlack } from "../fakes/slack.js";
import { REDIS_URL } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const SECRET = "webhook-secret-0123456789abcdef";
const prefix = `{scimwatch-crash-${randomUUID().slice(0, 8)}}`;
const descope = new FakeDescope();
const slack = new FakeSlack();
const redis = createRedis(REDIS_URL);

beforeAll(async () => {
  descope.tenants.push({ id: "T-acme", name: "Acme" });
  await Promise.all([descope.start(), slack.start()]);
});
afterAll(async () => {
  const keys = await scanKeys(redis, `${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await Promise.all([descope.stop(), slack.stop()]);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startBot(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "start", "--role", "bot"], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-signing-secret-0123456789",
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      REDIS_URL,
      SCIMWATCH_REDIS_PREFIX: prefix,
      DESCOPE_PROJECT_ID: descope.projectId,
      DESCOPE_MANAGEMENT_KEY: descope.managementKey,
      DESCOPE_BASE_URL: descope.url,
      SCIMWATCH_WEBHOOK_SECRET: SECRET,
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("scimwatch started")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`bot exited (${code}): ${out.slice(-400)}`)));
  });
  return child;
}

function post(port: number, body: string, key: string) {
  return fetch(`http://127.0.0.1:${port}/hooks/hires`, {
    method: "POST",
    body,
    headers: webhookHeaders(SECRET, body, { key }),
  });
}

const stored = async () => (await scanKeys(redis, `${prefix}:hire:*`)).length;

/** Stored hires whose checklist batch does not exist. */
async function withoutBatch(): Promise<string[]> {
  const out: string[] = [];
  for (const k of await scanKeys(redis, `${prefix}:hire:*`)) {
    const batchId = (JSON.parse((await redis.get(k)) ?? "{}") as { batchId?: string }).batchId;
    if (!batchId || !(await redis.exists(`${prefix}:batch:${batchId}`))) out.push(k);
  }
  return out;
}

describe("a crash in the middle of a webhook batch", () => {
  it("keeps what was stored, and the retry registers the rest: every hire once", async () => {
    const emails = Array.from({ length: 1000 }, (_, i) => `hire${i}@acme.com`);
    const body = JSON.stringify({ tenant: "Acme", hires: emails.map((email) => ({ email })) });
    const port = await freePort();
    const bot = await startBot(port);
    const first = post(port, body, randomUUID()).catch(() => null);
    // Killed as soon as the batch is under way, before it can finish.
    const until = Date.now() + 20_000;
    while ((await stored()) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    bot.kill("SIGKILL");
    await new Promise((r) => bot.once("exit", r));
    expect(await first).toBeNull(); // no 200 came back: the HRIS will retry
    const before = await stored();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(1000);
    // Every hire stored before the crash has its checklist batch (the next evaluation posts it).
    expect(await withoutBatch()).toEqual([]);

    // A new process; the HRIS sends the same batch again (its first try never got an answer).
    const again = await startBot(port);
    try {
      const r = await post(port, body, randomUUID());
      expect(r.status).toBe(200);
      const json = (await r.json()) as { registered: number; rejected: { reason: string }[] };
      expect(json.registered).toBe(1000 - before);
      expect(json.rejected).toHaveLength(before);
      expect(await stored()).toBe(1000);
      expect(await withoutBatch()).toEqual([]);
      const open = await redis.zcard(`${prefix}:hires:open`);
      expect(open).toBe(1000);
    } finally {
      again.kill("SIGTERM");
      await new Promise((r) => again.once("exit", r));
    }
  }, 90_000);
});
