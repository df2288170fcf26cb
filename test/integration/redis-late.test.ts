/**
 * Started while Redis is down, the bot stays up: /readyz answers 503
 * "redis: unreachable", a command gets a clear failure (not Slack's
 * dispatch_failed), one JSON line names Redis and the masked REDIS_URL; when
 * Redis comes, scimwatch recovers by itself (no restart) and its schedules are
 * created. A real redis-server started after the bot, on a port of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDescope } from "../fakes/descope.js";
import { deadProxyUrl } from "../fakes/proxy.js";
import { FakeSlack, postSigned } from "../fakes/slack.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const SECRET = "test-signing-secret-0123456789";
const descope = new FakeDescope();
const slack = new FakeSlack();
let bot: ChildProcess | undefined;
let redisServer: ChildProcess | undefined;

beforeAll(async () => {
  descope.tenants.push({ id: "T1", name: "Acme" });
  await Promise.all([descope.start(), slack.start()]);
});
afterAll(async () => {
  bot?.kill("SIGKILL");
  redisServer?.kill("SIGKILL");
  await Promise.all([descope.stop(), slack.stop()]);
});

async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("Redis down at start", () => {
  it("stays up, says so, and recovers when Redis comes", { timeout: 40_000 }, async () => {
    const redisPort = Number(new URL(await deadProxyUrl()).port);
    const prefix = `{late-${Date.now()}}`;
    bot = spawn(process.execPath, [CLI, "start"], {
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH ?? "",
        PORT: "0",
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        REDIS_URL: `redis://:hunter2-redis-pw@127.0.0.1:${redisPort}`,
        SCIMWATCH_REDIS_PREFIX: prefix,
        SCIMWATCH_ADMIN_USERS: "UADMIN",
        DESCOPE_PROJECT_ID: descope.projectId,
        DESCOPE_MANAGEMENT_KEY: descope.managementKey,
        DESCOPE_BASE_URL: descope.url,
      },
    });
    let out = "";
    bot.stdout?.on("data", (c: Buffer) => {
      out += String(c);
    });
    bot.stderr?.on("data", (c: Buffer) => {
      out += String(c);
    });
    const port = await until(() => {
      const m = /"port":(\d+).*"msg":"scimwatch started"/.exec(out);
      return m ? Number(m[1]) : undefined;
    }, 15_000);
    const base = `http://127.0.0.1:${port}`;

    // Not ready, and why.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { reason: string; details: { redis: string } };
    expect(body.reason).toBe("redis: unreachable");
    expect(body.details.redis).toBe("unreachable");

    // One JSON line names Redis and where, with the password masked.
    const lines = out
      .split("\n")
      .filter((l) => l.includes('"dependency":"redis"') && l.includes('"state":"down"'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string) as { msg: string; at: string };
    expect(line.msg).toMatch(/^Redis unreachable at redis:\/\/\*\*\*@127\.0\.0\.1:\d+/);
    expect(out).not.toContain("hunter2-redis-pw");
    expect(out).not.toMatch(/max retries per request/);

    // A command is answered, with what failed.
    const res = await postSigned(
      `${base}/slack/events`,
      {
        command: "/scim",
        text: "pending",
        user_id: "UADMIN",
        channel_id: "C1",
        team_id: "T0TEAM",
        response_url: slack.responseUrl("late-1"),
        trigger_id: "t",
      },
      SECRET,
    );
    expect(res.status).toBe(200);
    const said = await slack.waitFor(() => slack.respondedTo("late-1")[0], 10_000);
    expect(JSON.stringify(said.body), JSON.stringify(said.body)).toMatch(/Redis/);

    // Redis comes: ready again without a restart, and the schedules exist.
    redisServer = spawn(
      "redis-server",
      [
        "--port",
        String(redisPort),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--requirepass",
        "hunter2-redis-pw",
      ],
      { stdio: "ignore" },
    );
    await until(
      async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined),
      20_000,
    );
    const redis = new Redis(`redis://:hunter2-redis-pw@127.0.0.1:${redisPort}`);
    try {
      const schedulers = await until(async () => {
        const keys = await redis.keys(`${prefix}*repeat*`);
        return keys.length > 0 ? keys : undefined;
      }, 10_000);
      expect(schedulers.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
    expect(out).toMatch(/"msg":"Redis reachable again"/);
    expect(bot.exitCode).toBeNull();
  });
});
