/**
 * Found by trying to break it: an empty Redis, a failing or hanging Slack, a
 * Redis that goes away, a tail that cannot read. Real processes, a real
 * Redis of their own (started here), loopback fakes.
 */
import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { FakeDescope as Descope } from "../fakes/descope.js";
import { FakeSlack } from "../fakes/slack.js";
import { type Harness, REDIS_URL, SIGNING_SECRET, startHarness } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A throwaway redis-server on a free port (nothing kept on disk). */
async function ownRedis(port = 21000 + Math.floor(Math.random() * 20000)) {
  const proc = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  probe.on("error", () => {});
  for (let i = 0; i < 50; i++) {
    if (
      await probe.connect().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  probe.disconnect();
  const r = { proc, port, url, stop: () => stopProc(proc) };
  cleanups.push(r.stop);
  return r;
}

function stopProc(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once("exit", () => resolve());
    p.kill("SIGKILL");
  });
}

async function until<T>(what: string, f: () => Promise<T | false | undefined | null>, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const seed = (d: FakeDescope) => {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.settings["T-acme"] = { JITDisabled: true };
  d.sso["T-acme"] = { saml: ENTRA_SAML };
};

/** A seeded fake Descope and a fake Slack, started, stopped after the test. */
async function fakes() {
  const descope = new Descope();
  seed(descope);
  const slack = new FakeSlack();
  await Promise.all([descope.start(), slack.start()]);
  cleanups.push(
    () => descope.stop(),
    () => slack.stop(),
  );
  return { descope, slack };
}

/** `scimwatch start --role worker` as its own process, against these fakes. */
function spawnWorker(
  f: { descope: FakeDescope; slack: FakeSlack },
  env: Record<string, string>,
): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [CLI, "start", "--role", "worker"], {
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: f.slack.apiUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      DESCOPE_PROJECT_ID: f.descope.projectId,
      DESCOPE_MANAGEMENT_KEY: f.descope.managementKey,
      DESCOPE_BASE_URL: f.descope.url,
      SCIMWATCH_TAIL_INTERVAL: "1",
      ...env,
    },
  });
  cleanups.push(() => stopProc(child));
  return child;
}

async function worker(env: Record<string, string>, opts: { slackDeadlineMs?: number } = {}) {
  const h = await startHarness(
    {
      SCIMWATCH_TAIL_INTERVAL: "1",
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      ...env,
    },
    seed,
    { role: "all", ...opts },
  );
  cleanups.push(() => h.stop());
  return h;
}

const tailHealth = async (h: Harness) => {
  const r = await fetch(`${h.url}/healthz/tail`);
  return { status: r.status, body: (await r.json()) as { ok: boolean; reason?: string } };
};

describe("an empty Redis does not stop the bot for good", () => {
  it("after FLUSHALL the schedulers are recreated and the tail backfills, without a restart", async () => {
    const redis = await ownRedis();
    const h = await worker({ REDIS_URL: redis.url });
    await until(
      "a first tail run",
      async () => (await tailHealth(h)).status === 200 && h.descope.count("audit") > 0,
    );
    const admin = new Redis(redis.url);
    cleanups.push(() => admin.disconnect());
    await admin.flushall();
    const before = h.descope.count("audit");
    // Recreated without a restart: new tail runs, starting with a backfill (the cursor is gone).
    await until(
      "tail runs after FLUSHALL",
      async () => h.descope.count("audit") >= before + 2,
      15_000,
    );
    const bodies = h.descope.calls.filter((c) => c.route === "audit").slice(before);
    const from = Math.min(...bodies.map((c) => (c.body as { from: number }).from));
    expect(Date.now() - from).toBeGreaterThan(29 * 86_400_000);
    expect(h.logs.join("")).toMatch(/Redis lost the job schedulers/);
    await until(
      "/healthz/tail 200 again",
      async () => (await tailHealth(h)).status === 200,
      10_000,
    );
    expect(await h.runtime.jobs()?.missingSchedulers()).toEqual([]);
  }, 40_000);

  it("/healthz/tail answers 503 with the reason while no run succeeds; /readyz stays 200", async () => {
    const h = await worker({});
    h.descope.auditRatePerMin = 0;
    const bad = await until(
      "/healthz/tail 503",
      async () => {
        const t = await tailHealth(h);
        return t.status === 503 ? t : undefined;
      },
      12_000,
    );
    expect(bad.body.reason).toMatch(
      /no tail run has succeeded since this process started \d+ s ago \(more than 3 intervals of 1 s\)/,
    );
    // Descope's error text stays off the unauthenticated endpoint by default.
    expect(JSON.stringify(bad.body)).not.toMatch(/429|rate/i);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
  }, 30_000);
});

describe("Slack trouble never stalls the audit tail", () => {
  it("while every post hangs, the tail keeps its interval", async () => {
    const h = await worker({ SCIMWATCH_GRACE_MINUTES: "0" }, { slackDeadlineMs: 10_000 });
    // An overdue hire (Okta's window long past) and a hanging Slack.
    h.slack.postFaults.push(...Array.from({ length: 20 }, () => ({ delayMs: 7_000 })));
    const reg = await h.command("expect raj@acme.com Acme Corp idp=okta at=-2h");
    expect(reg.status).toBe(200);
    const start = h.descope.count("audit");
    await new Promise((r) => setTimeout(r, 4_500));
    // At a 1 s interval, at least 3 more reads happened while Slack hung.
    expect(h.descope.count("audit") - start).toBeGreaterThanOrEqual(3);
    expect(h.slack.callsTo("chat.postMessage").length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe("Redis down is one state, not a flood", () => {
  it("every line is JSON, one warning when Redis goes, one line when it is back, /readyz says redis: unreachable", async () => {
    const redis = await ownRedis();
    const child = spawnWorker(await fakes(), { REDIS_URL: redis.url });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += String(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      err += String(c);
    });
    const port = Number(
      (
        await until("start line", async () => /"port":(\d+).*"msg":"scimwatch started"/.exec(out))
      )[1],
    );
    await redis.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ details: { redis: "unreachable" } });
    const tail = await fetch(`http://127.0.0.1:${port}/healthz/tail`);
    expect(tail.status).toBe(503);
    expect(await tail.json()).toMatchObject({ reason: "redis: unreachable" });
    // Back on the same port.
    await ownRedis(redis.port);
    await until("reachable again", async () => /Redis reachable again/.test(out), 10_000);
    expect(err).toBe("");
    const lines = out.trim().split("\n");
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    // One line, naming Redis and where it is (credentials masked).
    expect(
      lines.filter((l) => /"msg":"Redis unreachable at redis:\/\/127\.0\.0\.1:\d+/.test(l)),
    ).toHaveLength(1);
  }, 40_000);
});

describe("a crash mid-run costs one lock period, not an interval", () => {
  it("the scheduled tail that finds a dead process's lock runs again as soon as the lock lapses", async () => {
    const prefix = `{scimwatch-test-lock-${Date.now().toString(36)}}`;
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => redis.disconnect());
    // What kill -9 mid-run leaves behind: a lock no one renews, lapsing in 2.5 s.
    await redis.set(`${prefix}:tail:lock`, "dead-run", "PX", 2_500);
    const started = Date.now();
    const h = await startHarness({ SCIMWATCH_TAIL_INTERVAL: "8" }, seed, { role: "all", prefix });
    cleanups.push(() => h.stop());
    await until("a first audit search", async () => h.descope.count("audit") > 0, 15_000);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(2_400);
    // Well before the next tick (8 s): the lock's lapse, not the schedule, decided.
    expect(waited).toBeLessThan(6_000);
  }, 30_000);
});

describe("a process killed mid-send holds nobody's messages for long (issue #22)", () => {
  it("its notify job is reclaimed within seconds, and the next process's alerts go out", async () => {
    const prefix = `{scimwatch-test-stall-${Date.now().toString(36)}}`;
    // Process A: a hire whose checklist post hangs in Slack (30 s), then kill -9.
    const fa = await fakes();
    const slackA = fa.slack;
    slackA.postFaults.push(...Array.from({ length: 5 }, () => ({ delayMs: 30_000 })));
    const a = await startHarness({}, seed, { prefix });
    // Its checklist is not posted yet (the bot was not in the channel): A's evaluation posts it.
    a.slack.notInChannels.add("CSUPPORT");
    cleanups.push(() => a.stop());
    const reg = await a.command("expect held@acme.com Acme Corp idp=okta", {
      user: "UADMIN",
      channel: "CSUPPORT",
    });
    await a.slack.waitFor(() => a.slack.respondedTo(reg.rid)[0]);
    const child = spawnWorker(fa, {
      REDIS_URL,
      SCIMWATCH_REDIS_PREFIX: prefix,
      DESCOPE_AUDIT_RATE_PER_MIN: "6000",
    });
    // A's notify job is in the middle of a post Slack holds for 30 s.
    await until(
      "A's post in flight",
      async () => slackA.callsTo("chat.postMessage").length > 0,
      15_000,
    );
    await stopProc(child);
    const killed = Date.now();
    // Process B: a stranger's failed sign-in to alert, on the same Redis.
    const b = await startHarness(
      { SCIMWATCH_TAIL_INTERVAL: "1", SCIMWATCH_ALERT_CHANNEL: "CALERTS" },
      (d) => {
        seed(d);
        d.audits.push({
          ID: "fail-1",
          action: "LoginFailed",
          occurred: String(Date.now()),
          externalIds: ["stranger@acme.com"],
          tenants: ["T-acme"],
          data: { error_message: "user not found" },
        });
      },
      { role: "all", prefix },
    );
    cleanups.push(() => b.stop());
    await until(
      "B's sign-in alert",
      async () =>
        b.slack
          .callsTo("chat.postMessage")
          .some((c) => /stranger@acme\.com tried to sign in/.test(String(c.args.text))),
      20_000,
    );
    // Seconds, not the minute BullMQ's default lock and stalled check took.
    expect(Date.now() - killed).toBeLessThan(12_000);
  }, 60_000);
});
