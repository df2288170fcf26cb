/**
 * The bot on real Redis topologies started on this machine (test/redis-topologies.ts):
 * a 3-master Redis Cluster and a Sentinel set (master + replica + sentinel). On
 * each: the tail, a check from the index, a hire that arrives and an alert sent
 * once. On Sentinel, the master is killed in the middle of a tail run: the
 * sentinel promotes the replica, and nothing registered is lost, the bot goes
 * on, and no alert is repeated. Every data node requires an ACL user (in
 * REDIS_URL) and the sentinel its own password (REDIS_SENTINEL_PASSWORD).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyer, scanKeys } from "../../src/redis/client.js";
import { TailStateStore } from "../../src/redis/tail-state.js";
import { ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { webhookHeaders } from "../fakes/hris.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";
import {
  ACL_PASSWORD,
  type ClusterTopology,
  SENTINEL_PASSWORD,
  type SentinelTopology,
  startCluster,
  startSentinel,
  startTlsAclServer,
} from "../redis-topologies.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;

/** `scimwatch doctor`'s Redis lines, with these Redis settings and nothing else. */
async function doctorRedis(env: Record<string, string>): Promise<string> {
  const out = await promisify(execFile)(process.execPath, [CLI, "doctor"], {
    env: { PATH: process.env.PATH, ...env },
  }).catch((e: { stdout: string }) => e);
  return out.stdout
    .split("\n")
    .filter((l) => /Redis/.test(l))
    .join("\n");
}

const MIN = 60_000;

function clock() {
  let t = Date.now();
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.settings["T-acme"] = { JITDisabled: true };
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

const alertsIn = (h: Harness) =>
  h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS");
const allText = (args: Record<string, unknown>) =>
  `${args.text}\n${textsOf(args.blocks).join("\n")}`;
const answer = async (h: Harness, rid: string) =>
  allText((await h.slack.waitFor(() => h.slack.respondedTo(rid)[0])).body);

/** Polls an async probe until it gives a value. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(env: Record<string, string>, c: ReturnType<typeof clock>) {
  const h = await startHarness(
    { SCIMWATCH_ALERT_CHANNEL: "CALERTS", SCIMWATCH_GRACE_MINUTES: "15", ...env },
    seed,
    { now: c.now },
  );
  h.descope.now = c.now;
  return h;
}

/** The IdP pushes this person into Acme, a minute ago. */
function arrives(h: Harness, c: ReturnType<typeof clock>, loginId: string) {
  h.descope.users.push(
    user({
      loginId,
      tenantId: "T-acme",
      tenantName: "Acme Corp",
      roles: ["member"],
      createdAt: c.now() - MIN,
    }),
  );
  h.descope.audits.push(scimEvent({ at: c.now() - MIN, loginId, tenant: "T-acme" }));
}

/** The same story on any topology: register, tail, tick, check from the index, alert once. */
async function story(h: Harness, c: ReturnType<typeof clock>) {
  expect(
    await answer(h, (await h.command("expect jane@acme.com raj@acme.com Acme Corp at=-20m")).rid),
  ).toMatch(/Registered 2/);
  await h.runtime.tailOnce();
  c.advance(10 * MIN);
  arrives(h, c, "jane@acme.com");
  await h.runtime.tailOnce();
  const ticked = allText(h.slack.callsTo("chat.update").at(-1)?.args ?? {});
  expect(ticked).toMatch(/\*jane@acme.com\*\n☑ Assigned in the IdP · ☑ Provisioned to Descope/);

  const searches = h.descope.count("audit");
  const check = await answer(h, (await h.command("check jane@acme.com Acme Corp")).rid);
  expect(check).toMatch(/jane@acme.com/);
  expect(check).toMatch(/from the shared audit index/);
  expect(h.descope.count("audit")).toBe(searches);

  c.advance(50 * MIN);
  await h.runtime.tailOnce();
  await Promise.all([h.runtime.evaluate(), h.runtime.evaluate()]);
  expect(alertsIn(h)).toHaveLength(1);
  expect(allText(alertsIn(h)[0]?.args ?? {})).toContain("Missing new hire: raj@acme.com");
}

describe("on a 3-master Redis Cluster", () => {
  let topo: ClusterTopology;
  beforeAll(async () => {
    topo = await startCluster();
  }, 30_000);
  afterAll(async () => {
    await topo?.stop();
  });

  it("tails, checks from the index, ticks a hire that arrives and alerts once", async () => {
    const c = clock();
    const h = await start({ REDIS_MODE: "cluster", REDIS_URL: topo.url }, c);
    try {
      await story(h, c);
      // Every key of this bot sits in one slot: the braced prefix.
      const slots = new Set<number>();
      for (const node of (h.redis as import("ioredis").Cluster).nodes("master")) {
        const keys = await node.keys(`${h.prefix}*`);
        if (keys.length) slots.add(Number(await node.cluster("KEYSLOT", keys[0] as string)));
      }
      expect(slots.size).toBe(1);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it("runs BullMQ's scheduled tail on the cluster (every key and script in the prefix's slot)", async () => {
    const h = await startHarness(
      { REDIS_MODE: "cluster", REDIS_URL: topo.url, SCIMWATCH_TAIL_INTERVAL: "1" },
      seed,
      { role: "all" },
    );
    try {
      h.descope.audits.push(
        scimEvent({ at: Date.now() - MIN, loginId: "kim@acme.com", tenant: "T-acme" }),
      );
      const state = new TailStateStore(h.redis, keyer(h.prefix));
      const done = await eventually(async () => {
        const st = await state.get();
        return st.lastSuccessAt ? st : undefined;
      }, 20_000);
      expect(done.lastSuccessAt).toBeGreaterThan(0);
      expect(await h.runtime.index.count()).toBe(1);
      // The run came through BullMQ: its job scheduler and completed jobs, under the prefix.
      const bullKeys = await scanKeys(h.redis, `${h.prefix}:scimwatch:*`);
      expect(bullKeys.some((k) => k.endsWith(":repeat"))).toBe(true);
      expect(bullKeys.some((k) => k.endsWith(":completed"))).toBe(true);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it("doctor reaches the cluster", async () => {
    const out = await doctorRedis({ REDIS_MODE: "cluster", REDIS_URL: topo.url });
    expect(out).toMatch(/^OK +Redis: .*answers/m);
    expect(out).not.toContain(ACL_PASSWORD);
  }, 20_000);

  it("refuses an unbraced prefix in cluster mode, saying why", async () => {
    const { loadBotConfig } = await import("../../src/config/bot.js");
    expect(() =>
      loadBotConfig({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "a-signing-secret-of-some-length",
        DESCOPE_PROJECT_ID: "P1",
        DESCOPE_MANAGEMENT_KEY: "K1",
        REDIS_MODE: "cluster",
        REDIS_URL: topo.url,
        SCIMWATCH_REDIS_PREFIX: "scimwatch",
      }),
    ).toThrow(/braced hash tag/);
  });
});

describe("on Sentinel (master, replica, sentinel)", () => {
  let topo: SentinelTopology;
  const sentinelEnv = () => ({
    REDIS_MODE: "sentinel",
    REDIS_URL: topo.url,
    REDIS_SENTINEL_MASTER: topo.master,
    REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
  });
  beforeAll(async () => {
    topo = await startSentinel();
  }, 30_000);
  afterAll(async () => {
    await topo?.stop();
  });

  it("doctor reaches the master through the sentinel", async () => {
    const out = await doctorRedis(sentinelEnv());
    expect(out).toMatch(/^OK +Redis: .*\(sentinel\) answers/m);
    expect(out).not.toContain(ACL_PASSWORD);
  }, 20_000);

  it("while no replica acknowledges, a registration answers 503 and stores nothing, and no alert is sent; healed, both go through once", async () => {
    const c = clock();
    const h = await start(
      {
        ...sentinelEnv(),
        SCIMWATCH_WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
      },
      c,
    );
    try {
      // A hire registered while the replica was in sync, due in 5 minutes.
      expect(
        await answer(h, (await h.command("expect late@acme.com Acme Corp at=-50m")).rid),
      ).toMatch(/Registered 1/);
      await topo.cutReplication();
      c.advance(10 * MIN);
      const body = JSON.stringify({ tenant: "Acme Corp", hires: [{ email: "new@acme.com" }] });
      const register = () =>
        fetch(`${h.url}/hooks/hires`, {
          method: "POST",
          body,
          headers: webhookHeaders("webhook-secret-0123456789abcdef", body, {
            ts: Math.floor(c.now() / 1000),
          }),
        });
      const r = await register();
      expect(r.status).toBe(503);
      expect((await h.runtime.hires.openIds()).length).toBe(1);
      // The overdue alert's claim is not durable: not sent.
      await h.runtime.evaluate();
      expect(alertsIn(h)).toHaveLength(0);

      await topo.healReplication();
      const again = await register();
      expect(again.status).toBe(200);
      expect((await again.json()) as unknown).toMatchObject({ registered: 1 });
      await h.runtime.evaluate();
      await h.runtime.evaluate();
      expect(alertsIn(h)).toHaveLength(1);
    } finally {
      await topo.healReplication().catch(() => {});
      await h.stop();
    }
  }, 60_000);

  it("survives a failover in the middle of a tail run: nothing lost, the bot goes on, no alert repeated", async () => {
    const c = clock();
    const h = await start(
      {
        ...sentinelEnv(),
      },
      c,
    );
    try {
      await story(h, c);
      await answer(
        h,
        (await h.command("link Acme Corp", { channel: "CCUST", user: "UADMIN" })).rid,
      );
      // Writes that must survive a failover waited for the replica (WAIT), on the master.
      const stats = await (h.redis as import("ioredis").Redis).info("commandstats");
      expect(stats).toMatch(/cmdstat_wait:calls=[1-9]/);
      const open = (await h.runtime.hires.openIds()).length;
      expect(open).toBe(2);
      const state = new TailStateStore(h.redis, keyer(h.prefix));
      const cursor = (await state.get()).cursor ?? 0;
      expect(cursor).toBeGreaterThan(0);
      const before = await topo.masterPort();

      // raj is pushed at last; the master dies while the tail run that reads him waits on Descope.
      c.advance(5 * MIN);
      arrives(h, c, "raj@acme.com");
      h.descope.fail("audit", { pass: true, delayMs: 300 });
      const run = h.runtime.tailOnce().catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 100));
      const promoted = await topo.failover();
      expect(promoted).not.toBe(before);
      await run;
      // The operator brings the old master back: it rejoins as the new master's replica.
      // (Until then no write is acknowledged by a replica, and no alert is sent: see above.)
      await topo.rejoin();

      // The bot goes on against the new master (a run that failed mid-way is simply run again).
      await eventually(async () => {
        try {
          await h.runtime.tailOnce();
          return true;
        } catch {
          return undefined;
        }
      }, 15_000);
      // Nothing registered is lost: both hires, the link, the cursor, the alert's record.
      expect((await h.runtime.hires.openIds()).length).toBe(open);
      expect(((await state.get()).cursor ?? 0) >= cursor).toBe(true);
      await Promise.all([h.runtime.evaluate(), h.runtime.evaluate()]);
      expect(alertsIn(h)).toHaveLength(1);
      const linked = await answer(
        h,
        (await h.command("check jane@acme.com", { channel: "CCUST" })).rid,
      );
      expect(linked).toMatch(/jane@acme.com/);
      expect(linked).toMatch(/Acme Corp/);
      // raj, read across the failover, resolves the one alert instead of raising another.
      const resolved = h.slack.callsTo("chat.update").filter((u) => u.args.channel === "CALERTS");
      expect(resolved.length).toBeGreaterThanOrEqual(1);
      expect(String(resolved.at(-1)?.args.text)).toMatch(/Resolved — raj@acme.com provisioned/);
      expect(alertsIn(h)).toHaveLength(1);
    } finally {
      await h.stop();
    }
  }, 90_000);
});

describe("over TLS with an ACL user", () => {
  let server: Awaited<ReturnType<typeof startTlsAclServer>>;
  beforeAll(async () => {
    server = await startTlsAclServer();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("connects with rediss:// and user:password@, and never shows the password", async () => {
    const ok = await doctorRedis({ REDIS_URL: server.url, NODE_EXTRA_CA_CERTS: server.caFile });
    expect(ok).toMatch(/^OK +Redis: rediss:\/\/\*\*\*@localhost:\d+ answers/m);
    expect(ok).not.toContain(server.password);
    // A wrong password is refused by the server, and said so, still masked.
    const wrong = server.url.replace(server.password, "not-the-password");
    const bad = await doctorRedis({ REDIS_URL: wrong, NODE_EXTRA_CA_CERTS: server.caFile });
    expect(bad).toMatch(/^FAIL +Redis: cannot reach rediss:\/\/\*\*\*@localhost/m);
    expect(bad).not.toContain("not-the-password");
  }, 30_000);
});
