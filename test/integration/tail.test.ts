import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DescopeClient } from "../../src/descope/client.js";
import { indexedEvents } from "../../src/features/check/indexed-events.js";
import { CheckService } from "../../src/features/check/service.js";
import { runTail, type TailDeps } from "../../src/features/tail/tail.js";
import { createLogger } from "../../src/log/logger.js";
import { AuditIndex } from "../../src/redis/audit-index.js";
import { keyer } from "../../src/redis/client.js";
import { decodeEvent, encodeEvent } from "../../src/redis/event-codec.js";
import { RateBudget } from "../../src/redis/rate-budget.js";
import { auditPriority, SlidingWindowBudget } from "../../src/redis/sliding-window.js";
import { TailStateStore } from "../../src/redis/tail-state.js";
import { auditEvent, scimEvent, user } from "../fakes/builders.js";
import { FakeDescope } from "../fakes/descope.js";
import { FakeSlack } from "../fakes/slack.js";
import { generateEvents, seedVolume } from "../fakes/volume.js";
import { REDIS_URL } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const redis = new Redis(REDIS_URL);
const silent = createLogger({ level: "silent" });
let fake: FakeDescope;
let prefix: string;
let deps: TailDeps;
let index: AuditIndex;
let state: TailStateStore;
let client: DescopeClient;
const now = Date.now();

function makeClient(budget?: RateBudget) {
  return new DescopeClient({
    projectId: fake.projectId,
    managementKey: fake.managementKey,
    baseUrl: fake.url,
    timeoutMs: 1_000,
    maxRetryWaitMs: 1_500,
    backoffBaseMs: 20,
    ...(budget ? { beforeAuditSearch: (w: number | undefined) => budget.take(w ?? 60_000) } : {}),
  });
}

beforeEach(async () => {
  fake = new FakeDescope();
  await fake.start();
  prefix = `{sw-tail-${randomUUID().slice(0, 8)}}`;
  const key = keyer(prefix);
  index = new AuditIndex(redis, key, prefix);
  state = new TailStateStore(redis, key);
  client = makeClient();
  deps = { descope: client, index, state, redis, key, log: silent };
});
afterEach(async () => {
  await fake.stop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
});
afterAll(() => redis.quit());

const opts = { intervalSec: 60, backfillDays: 30 };
const auditBodies = () =>
  fake.calls.filter((c) => c.route === "audit").map((c) => c.body as Record<string, unknown>);

describe("audit tail: cursor, overlap and deduplication", () => {
  it("backfills with one search per 1000 events, across all tenants, oldest first", async () => {
    const events = generateEvents({ users: 900, tenants: 50, now, spanMs: 3 * 86_400_000 });
    seedVolume(fake, events);
    const r = await runTail(deps, opts);
    expect(r.status).toBe("ok");
    expect(r.calls).toBe(Math.ceil(events.length / 1000));
    const bodies = auditBodies();
    for (const [i, b] of bodies.entries()) {
      expect(b).toMatchObject({ size: 1000, page: i, oldestFirst: true });
      expect(b).not.toHaveProperty("externalIds");
      expect(b).not.toHaveProperty("tenants");
      expect(b.actions).toEqual([
        "SCIMEvent",
        "LoginFailed",
        "LoginSucceed",
        "UserCreated",
        "UserModified",
        "UserDeleted",
      ]);
      expect(b.from).toBeGreaterThanOrEqual(now - 30 * 86_400_000);
    }
    const kept = events.filter((e) => e.action !== "LoginSucceed").length;
    expect(r.stored).toBe(kept);
    expect(await index.count()).toBe(kept);
    // Successful sign-ins keep only the latest time per login ID.
    expect(await redis.hlen(`${prefix}:lastlogin`)).toBe(
      new Set(events.filter((e) => e.action === "LoginSucceed").map((e) => e.externalIds[0])).size,
    );
    expect((await state.get()).cursor).toBe(r.to);
  });

  it("pages on when Descope sends no total", async () => {
    const events = generateEvents({ users: 500, tenants: 3, now, spanMs: 86_400_000, perUser: 5 });
    seedVolume(fake, events);
    for (let i = 0; i < 3; i++) {
      const page = fake.audits
        .filter((a) => Number(a.occurred) >= now - 30 * 86_400_000)
        .sort((x, y) => Number(x.occurred) - Number(y.occurred))
        .slice(i * 1000, i * 1000 + 1000);
      fake.fail("audit", { status: 200, body: JSON.stringify({ audits: page }) });
    }
    const r = await runTail(deps, opts);
    expect(r.calls).toBe(3);
    expect(await index.count()).toBe(events.filter((e) => e.action !== "LoginSucceed").length);
  });

  it.each([
    ["capped at 1000", 1000 as const],
    ["absent", "absent" as const],
  ])(
    "reads every page when total is %s, and the cursor never passes an unread event",
    async (_label, total) => {
      fake.auditTotal = total;
      const events = generateEvents({
        users: 500,
        tenants: 3,
        now,
        spanMs: 86_400_000,
        perUser: 5,
      });
      seedVolume(fake, events);
      const r = await runTail(deps, opts);
      expect(r.status).toBe("ok");
      expect(r.calls).toBe(3);
      expect(await index.count()).toBe(events.filter((e) => e.action !== "LoginSucceed").length);
      expect((await state.get()).cursor).toBe(r.to);
    },
  );

  it("a failure after a capped first page leaves the cursor at the last event read", async () => {
    fake.auditTotal = 1000;
    const events = generateEvents({ users: 500, tenants: 3, now, spanMs: 86_400_000, perUser: 5 });
    seedVolume(fake, events);
    fake.fail(
      "audit",
      { pass: true },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const r = await runTail(deps, opts);
    expect(r.status).toBe("failed");
    const firstPage = fake.audits
      .map((a) => Number(a.occurred))
      .sort((x, y) => x - y)
      .slice(0, 1000);
    expect((await state.get()).cursor).toBe(firstPage.at(-1));
  });

  it("rows without an ID (empty or missing) are each stored once, under a key from their content", async () => {
    const rows = [
      scimEvent({ at: now - 50 * 60_000, loginId: "a@x.com", tenant: "T1" }),
      scimEvent({ at: now - 40 * 60_000, loginId: "b@x.com", tenant: "T1" }),
      auditEvent("LoginFailed", { at: now - 30 * 60_000, loginId: "c@x.com", tenant: "T1" }),
    ];
    rows[0] = { ...rows[0], ID: "" } as (typeof rows)[0];
    rows[1] = { ...rows[1], ID: "" } as (typeof rows)[1];
    delete rows[2]?.ID;
    fake.audits.push(...rows);
    const r1 = await runTail(deps, opts);
    expect(r1.stored).toBe(3);
    expect(await index.count()).toBe(3);
    expect(await index.ids()).not.toContain("");
    // Read again (a second run, overlapping): nothing new, nothing lost.
    await state.update({ cursor: now - 60 * 60_000 });
    const r2 = await runTail(deps, opts);
    expect(r2.stored).toBe(0);
    expect(await index.count()).toBe(3);
    const a = await index.eventsFor("A@X.com", Date.now());
    expect(a.map((e) => e.action)).toEqual(["SCIMEvent"]);
  });

  it("a lock left by a killed run blocks the next run only until its short TTL", async () => {
    fake.audits.push(scimEvent({ at: now - 60_000, loginId: "a@x.com", tenant: "T1" }));
    // What kill -9 leaves behind: another run's lock, never released.
    await redis.set(`${prefix}:tail:lock`, "dead-run", "PX", 600);
    expect((await runTail(deps, { ...opts, lockMs: 600 })).status).toBe("skipped");
    await new Promise((r) => setTimeout(r, 700));
    expect((await runTail(deps, { ...opts, lockMs: 600 })).status).toBe("ok");
  });

  it("a live run keeps renewing its short lock, so a second run stays out", async () => {
    fake.audits.push(scimEvent({ at: now - 60_000, loginId: "a@x.com", tenant: "T1" }));
    fake.fail("audit", { status: 200, delayMs: 1_500, body: '{"audits":[],"total":0}' });
    const first = runTail(deps, { ...opts, lockMs: 400 });
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await runTail(deps, { ...opts, lockMs: 400 })).status).toBe("skipped");
    expect((await first).status).toBe("ok");
    expect(await redis.exists(`${prefix}:tail:lock`)).toBe(0);
  });

  it("the default lock is short (30 s), not minutes", async () => {
    fake.fail("audit", { status: 200, delayMs: 300, body: '{"audits":[],"total":0}' });
    const run = runTail(deps, opts);
    await new Promise((r) => setTimeout(r, 150));
    const ttl = await redis.pttl(`${prefix}:tail:lock`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await run;
  });

  it("an index of an older layout makes the tail read again, once", async () => {
    // What an earlier version left: a cursor and one string key per event.
    await state.update({ cursor: now - 60_000, lastSuccessAt: now - 60_000, backfillDone: 1 });
    await redis.set(`${prefix}:ev:a-old-row`, '{"id":"a-old-row"}');
    expect(await index.ensureLayout(() => state.reset())).toBe(true);
    expect((await state.get()).cursor).toBeUndefined();
    expect(await index.ensureLayout(() => state.reset())).toBe(false);
    fake.audits.push(scimEvent({ at: now - 3_600_000, loginId: "a@x.com", tenant: "T1" }));
    const r = await runTail(deps, opts);
    expect(r.stored).toBe(1);
    expect(await index.count()).toBe(1);
  });

  it("re-reads an overlap for late writes and stores each event once", async () => {
    fake.audits.push(scimEvent({ at: now - 3_600_000, loginId: "a@x.com", tenant: "T1" }));
    await runTail(deps, opts);
    const cursor = (await state.get()).cursor as number;
    // A late write (it occurred 25 s before the cursor, but Descope wrote it only
    // after the first run read), one new event, and the old one again.
    fake.audits.push(
      scimEvent({ at: cursor - 25_000, loginId: "late@x.com", tenant: "T1" }),
      auditEvent("LoginFailed", { at: Date.now() + 5, loginId: "b@x.com", tenant: "T1" }),
    );
    await new Promise((r) => setTimeout(r, 20));
    const r2 = await runTail(deps, opts);
    const second = auditBodies().at(-1) as { from: number };
    expect(second.from).toBe(cursor - 30_000);
    expect(r2.stored).toBe(2);
    expect(await index.count()).toBe(3);
    const r3 = await runTail(deps, opts);
    expect(r3.stored).toBe(0);
    expect(await index.count()).toBe(3);
  });

  it("sustained traffic: each run reads its interval plus the late-write window, ≤ 1.2× the floor", async () => {
    // 1,200 events a minute, a run every 60 s, on an injected clock.
    let t = now - 10 * 60_000;
    fake.now = () => t;
    const clocked = { ...deps, now: () => t };
    let seq = 0;
    const traffic = (fromMs: number, toMs: number) => {
      for (let at = fromMs; at < toMs; at += 50) {
        fake.audits.push(
          scimEvent({
            at,
            loginId: `u${seq++ % 500}@x.com`,
            tenant: "T1",
            scimAction: "PatchUser",
          }),
        );
      }
    };
    traffic(t - 60_000, t);
    await runTail(clocked, opts);
    const costs: number[] = [];
    for (let i = 0; i < 5; i++) {
      traffic(t, t + 60_000);
      t += 60_000;
      costs.push((await runTail(clocked, opts)).calls);
    }
    // The floor: ⌈1,200 / 1000⌉ = 2 searches per run.
    for (const c of costs) expect(c).toBeLessThanOrEqual(2);
    expect(await index.count()).toBe(fake.audits.length);
  });

  it("a crash between pages loses nothing and duplicates nothing", async () => {
    const events = generateEvents({
      users: 1000,
      tenants: 10,
      now,
      spanMs: 86_400_000,
      perUser: 2,
    });
    seedVolume(fake, events);
    fake.fail(
      "audit",
      { pass: true },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const r1 = await runTail(deps, opts);
    expect(r1.status).toBe("failed");
    expect(r1.pages).toBe(1);
    const st = await state.get();
    // The cursor moved past page 1 only.
    expect(st.cursor).toBeLessThan(now);
    expect(st.lastError).toMatch(/HTTP 500/);
    const r2 = await runTail(deps, opts);
    expect(r2.status).toBe("ok");
    const kept = events.filter((e) => e.action !== "LoginSucceed");
    expect(await index.count()).toBe(kept.length);
    const ids = await index.ids();
    expect(new Set(ids)).toEqual(new Set(kept.map((e) => e.ID)));
  });

  it("survives a 429 storm: the run stops, the cursor stays, the next run catches up", async () => {
    fake.audits.push(scimEvent({ at: now - 60_000, loginId: "a@x.com", tenant: "T1" }));
    for (let i = 0; i < 8; i++)
      fake.fail("audit", { status: 429, headers: { "retry-after": "1" } });
    const r1 = await runTail(deps, opts);
    expect(r1.status).toBe("failed");
    expect(r1.error).toMatch(/rate-limiting/);
    expect((await state.get()).cursor).toBeUndefined();
    expect((await state.get()).lastSuccessAt).toBeUndefined();
    fake.fail("audit"); // nothing more queued beyond what is left
    let r: Awaited<ReturnType<typeof runTail>> = r1;
    for (let i = 0; i < 5 && r.status !== "ok"; i++) r = await runTail(deps, opts);
    expect(r.status).toBe("ok");
    expect(await index.count()).toBe(1);
  });

  it("only one run at a time: a concurrent run is skipped", async () => {
    fake.fail("audit", { status: 200, delayMs: 300, body: '{"audits":[],"total":0}' });
    const [a, b] = await Promise.all([runTail(deps, opts), runTail(deps, opts)]);
    expect([a.status, b.status].sort()).toEqual(["ok", "skipped"]);
    expect(fake.count("audit")).toBe(1);
  });
});

describe("checks from the index", () => {
  it("answer with zero audit searches while the tail is healthy", async () => {
    fake.tenants.push({ id: "T1", name: "Acme" });
    fake.audits.push(
      auditEvent("LoginFailed", {
        at: now - 600_000,
        loginId: "Contractor@Acme.com",
        tenant: "T1",
        errorMessage: "unknown user",
      }),
    );
    await runTail(deps, opts);
    const before = fake.count("audit");
    const checks = new CheckService({
      descope: client,
      events: indexedEvents({ descope: client, index, state, intervalSec: 60 }),
    });
    const d = await checks.check({ loginId: "contractor@acme.com", tenant: "Acme" });
    expect(d.verdict).toBe("sso_without_scim");
    expect(d.notes.join(" ")).toMatch(/Audit events as of .* \(from the shared audit index\)/);
    expect(fake.count("audit")).toBe(before);
  });

  it("find rows by user ID too, when they do not carry the login ID", async () => {
    fake.tenants.push({ id: "T1", name: "Acme" });
    fake.users.push(
      user({ loginId: "dan@acme.com", userId: "U-dan", tenantId: "T1", status: "disabled" }),
    );
    fake.audits.push({
      ...auditEvent("UserModified", {
        at: now - 60_000,
        loginId: "x",
        userId: "U-dan",
        tenant: "T1",
      }),
      externalIds: [],
    });
    await runTail(deps, opts);
    const checks = new CheckService({
      descope: client,
      events: indexedEvents({ descope: client, index, state, intervalSec: 60 }),
    });
    const d = await checks.check({ loginId: "dan@acme.com", tenant: "Acme" });
    expect(d.verdict).toBe("deprovisioned");
    expect(d.evidence.map((e) => e.text)).toContain("User modified in Descope");
  });

  it("search live through the budget when the tail is unhealthy, and fall back to the index when it is spent", async () => {
    fake.tenants.push({ id: "T1", name: "Acme" });
    fake.audits.push(
      auditEvent("LoginFailed", { at: now - 600_000, loginId: "c@acme.com", tenant: "T1" }),
    );
    await runTail(deps, opts);
    await state.update({ lastSuccessAt: now - 10 * 60_000 });
    const budget = new RateBudget(redis, "audit-search", `${prefix}:budget:audit`, 1);
    const limited = makeClient(budget);
    const checks = new CheckService({
      descope: limited,
      events: indexedEvents({ descope: limited, index, state, intervalSec: 60, budgetWaitMs: 200 }),
    });
    const before = fake.count("audit");
    const live = await checks.check({ loginId: "c@acme.com", tenant: "Acme" });
    expect(fake.count("audit")).toBe(before + 1);
    expect(live.eventsAsOf).not.toBeNull();
    const t0 = Date.now();
    const fallback = await checks.check({ loginId: "c@acme.com", tenant: "Acme" });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(fake.count("audit")).toBe(before + 1);
    expect(fallback.verdict).toBe("sso_without_scim");
    expect(fallback.notes.join(" ")).toMatch(/Audit events as of/);
  });
});

describe("the audit budget: a sliding window kept in Redis", () => {
  it("never lets more than the limit into a window, across replicas, and says when the next unit frees", async () => {
    const mk = () => {
      const r = new Redis(REDIS_URL);
      return {
        r,
        b: new SlidingWindowBudget(r, "audit", `${prefix}:budget:w`, 10, {
          windowMs: 1_500,
          marginMs: 100,
        }),
      };
    };
    const replicas = [mk(), mk(), mk()];
    const granted: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        (replicas[i % 3] as { b: SlidingWindowBudget }).b
          .take(5_000)
          .then(() => granted.push(Date.now() - t0)),
      ),
    );
    for (const x of replicas) x.r.disconnect();
    granted.sort((a, b) => a - b);
    // Any window of 1.5 s holds at most 10 grants.
    for (let i = 10; i < granted.length; i++) {
      expect((granted[i] as number) - (granted[i - 10] as number)).toBeGreaterThanOrEqual(1_500);
    }
    expect(granted).toHaveLength(25);
  });

  it("live checks leave the tail its reserve", async () => {
    const b = new SlidingWindowBudget(redis, "audit", `${prefix}:budget:r`, 10);
    let checks = 0;
    for (let i = 0; i < 10; i++)
      await b.take(0, "low").then(
        () => checks++,
        () => {},
      );
    expect(checks).toBe(8);
    await b.take(0, "high");
    await b.take(0, "high");
    await expect(b.take(0, "high")).rejects.toThrow(/budget is spent/);
  });
});

describe("checks never starve the tail on a cold start", () => {
  it("a backfill under a steady stream of checks completes on the budget's schedule; checks say when they can answer", async () => {
    const events = generateEvents({ users: 4000, tenants: 20, now, spanMs: 5 * 86_400_000 });
    seedVolume(fake, events);
    const pages = Math.ceil(events.length / 1000);
    // 10 searches per 2.1 s window stand in for 10 per minute.
    const budget = new SlidingWindowBudget(redis, "audit", `${prefix}:budget:cold`, 10, {
      windowMs: 2_000,
      marginMs: 100,
    });
    const client2 = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      beforeAuditSearch: (w, priority) => budget.take(w ?? 10_000, auditPriority(priority)),
    });
    const checks = new CheckService({
      descope: client2,
      events: indexedEvents({ descope: client2, index, state, intervalSec: 1, budgetWaitMs: 300 }),
    });
    const t0 = Date.now();
    let done = 0;
    const tail = (async () => {
      for (;;) {
        const r = await runTail(
          { ...deps, descope: client2 },
          { intervalSec: 1, backfillDays: 30, budgetWaitMs: 2_500 },
        );
        if (r.status === "ok") {
          done = Date.now() - t0;
          return done;
        }
      }
    })();
    const outcomes: string[] = [];
    while (!done) {
      await new Promise((r) => setTimeout(r, 100));
      await checks.check({ loginId: "user7@tenant7.example" }).then(
        (d) => outcomes.push(d.verdict),
        (e: Error) => outcomes.push(e.message),
      );
    }
    await tail;
    // ⌈pages / 10⌉ windows of 2.1 s, plus one interval of slack.
    expect(done).toBeLessThanOrEqual(Math.ceil(pages / 10) * 2_100 + 1_000);
    expect(outcomes.length).toBeGreaterThan(3);
    const waiting = outcomes.filter((o) =>
      /reading Descope's audit log for the first time/.test(o),
    );
    expect(waiting.length).toBeGreaterThan(0);
    for (const w of waiting) expect(w).toMatch(/checks can answer in about \d+ s/);
    expect(await index.count()).toBe(events.filter((e) => e.action !== "LoginSucceed").length);
  }, 30_000);
});

describe("rate budget", () => {
  it("never lets more than the per-minute budget through, across clients", async () => {
    const a = new RateBudget(redis, "audit", `${prefix}:budget:x`, 600);
    const b = new RateBudget(redis, "audit", `${prefix}:budget:x`, 600);
    let ok = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).take(0).then(
          () => ok++,
          () => {},
        ),
      ),
    );
    expect(Date.now() - t0).toBeLessThan(1_000);
    // 600/min spaced into 1-second windows of 9: far fewer than 40 pass at once.
    expect(ok).toBe(9);
  });
});

describe("two worker processes", () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = new FakeSlack();
    await slack.start();
  });
  afterAll(() => slack.stop());

  async function workers(n: number, env: Record<string, string>, ms: number) {
    const logs: string[] = [];
    const procs = Array.from({ length: n }, () => {
      const p = spawn(process.execPath, [CLI, "start", "--role", "worker"], {
        cwd: tmpdir(),
        env: {
          PATH: process.env.PATH ?? "",
          SLACK_BOT_TOKEN: "xoxb-test-token",
          SLACK_SIGNING_SECRET: "test-signing-secret-0123456789",
          SLACK_API_URL: slack.apiUrl,
          REDIS_URL,
          SCIMWATCH_REDIS_PREFIX: prefix,
          DESCOPE_PROJECT_ID: fake.projectId,
          DESCOPE_MANAGEMENT_KEY: fake.managementKey,
          DESCOPE_BASE_URL: fake.url,
          PORT: "0",
          ...env,
        },
      });
      p.stdout.pipe(
        new Writable({
          write: (c, _e, cb) => {
            logs.push(String(c));
            cb();
          },
        }),
      );
      return p;
    });
    await new Promise((r) => setTimeout(r, ms));
    const codes = await Promise.all(
      procs.map(
        (p) =>
          new Promise<number | null>((r) => {
            p.on("exit", r);
            p.kill("SIGTERM");
          }),
      ),
    );
    return { logs: logs.join(""), codes };
  }

  it("run one tail per interval, store each event once, and keep to the shared budget", async () => {
    const events = generateEvents({ users: 300, tenants: 5, now, spanMs: 86_400_000 });
    seedVolume(fake, events);
    const { logs, codes } = await workers(
      2,
      { SCIMWATCH_TAIL_INTERVAL: "1", DESCOPE_AUDIT_RATE_PER_MIN: "10" },
      6_000,
    );
    expect(codes).toEqual([0, 0]);
    expect(logs.match(/"msg":"scimwatch started"/g)?.length).toBe(2);
    // One tail run per interval across both processes, and never more than the
    // budget (10 in any 60 s window) whatever the process count.
    expect(fake.count("audit")).toBeGreaterThanOrEqual(3);
    expect(fake.count("audit")).toBeLessThanOrEqual(7);
    expect(await index.count()).toBe(events.filter((e) => e.action !== "LoginSucceed").length);
  }, 20_000);

  it("with a generous budget still run one tail per interval across processes", async () => {
    fake.audits.push(scimEvent({ at: now - 60_000, loginId: "a@x.com", tenant: "T1" }));
    const t0 = Date.now();
    const { codes } = await workers(
      2,
      { SCIMWATCH_TAIL_INTERVAL: "1", DESCOPE_AUDIT_RATE_PER_MIN: "600" },
      // Long enough for two process start-ups on a loaded 2-core machine, then several intervals.
      8_000,
    );
    const seconds = (Date.now() - t0) / 1000;
    expect(codes).toEqual([0, 0]);
    // One per interval (plus the start-up run), not one per process per interval.
    expect(fake.count("audit")).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    expect(fake.count("audit")).toBeGreaterThanOrEqual(3);
  }, 20_000);
});

describe("the stored event form", () => {
  it.each([
    {
      id: "e1",
      action: "SCIMEvent",
      at: 1795930460123,
      loginIds: ["a@x.com", "A.B@x.com"],
      tenants: ["T1", "T2"],
      userId: "U1",
      method: "scim",
      scimAction: "CreateUser",
      error: "409: exists\u001fwith\u001eseparators",
      active: false,
    },
    {
      id: "e2",
      action: "LoginFailed",
      at: 1795930460124,
      loginIds: ["c@x.com"],
      tenants: [],
      error: "user not found",
    },
    { id: "e3", action: "UserModified", at: 1795930460125, loginIds: [], tenants: ["T9"] },
    {
      id: "e4",
      action: "SomethingNew",
      at: 1795930460126,
      loginIds: ["d@x.com"],
      tenants: ["T1"],
      active: true,
    },
  ])("round-trips $action", (e) => {
    const back = decodeEvent(e.id, encodeEvent(e));
    expect(back).toEqual({
      ...e,
      ...(e.error ? { error: e.error.split("\u001f").join(" ").split("\u001e").join(" ") } : {}),
    });
  });

  it("refuses what is not a stored event", () => {
    expect(decodeEvent("x", "")).toBeNull();
    expect(decodeEvent("x", "S\u001fnot-a-time\u001f\u001f")).toBeNull();
  });
});
