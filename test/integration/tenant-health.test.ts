/**
 * Tenant provisioning health and scimwatch's own health, end to end: the real
 * bot and workers' notify step, real Redis, the fake Descope's audit log and
 * the fake Slack. Each alert goes out once per episode, across processes and
 * restarts, and its recovery once in its thread.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { type Harness, REDIS_URL, startHarness, textsOf } from "../helpers.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.now();

function clock() {
  let t = START;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" }, { id: "T-quiet", name: "Quiet Inc" });
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
});

async function start(
  c: ReturnType<typeof clock>,
  prefix?: string,
  env: Record<string, string> = {},
) {
  const h = await startHarness(
    { SCIMWATCH_ALERT_CHANNEL: "CALERTS", SCIMWATCH_TAIL_INTERVAL: "60", ...env },
    seed,
    { now: c.now, ...(prefix ? { prefix } : {}) },
  );
  h.descope.now = c.now;
  harnesses.push(h);
  return h;
}

const posts = (h: Harness) =>
  h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS");
const text = (args: Record<string, unknown>) => `${args.text}\n${textsOf(args.blocks).join("\n")}`;

/** The IdP deactivates these people in Acme, over the last 10 minutes; two tail runs read it. Returns the mass alerts. */
async function deactivate(h: Harness, c: ReturnType<typeof clock>, logins: string[]) {
  for (const [i, loginId] of logins.entries())
    h.descope.audits.push(
      scimEvent({
        at: c.now() - 10 * MIN + i * 1000,
        loginId,
        tenant: "T-acme",
        scimAction: "UpdateUser",
        active: false,
      }),
    );
  await h.runtime.tailOnce();
  c.advance(MIN);
  await h.runtime.tailOnce();
  return posts(h).filter((p) => /Mass deactivation/.test(text(p.args)));
}

/** A week of ordinary pushes: a few calls on each of the last 5 days, the last one `lastAgo` ago. */
function history(d: FakeDescope, now: number, lastAgo = 30 * MIN) {
  for (let day = 5; day >= 1; day--)
    for (let i = 0; i < 3; i++)
      d.audits.push(
        scimEvent({
          at: now - lastAgo - day * DAY + i * HOUR,
          loginId: `u${day}${i}@acme.com`,
          tenant: "T-acme",
          scimAction: "UpdateUser",
        }),
      );
  d.audits.push(
    scimEvent({
      at: now - lastAgo,
      loginId: "last@acme.com",
      tenant: "T-acme",
      scimAction: "UpdateUser",
    }),
  );
}

describe("tenant provisioning health", () => {
  it("failing pushes: one alert with the cause and the fix, one recovery in its thread, across two processes and a restart", async () => {
    const c = clock();
    const prefix = `{scimwatch-test-${randomUUID().slice(0, 8)}}`;
    const a = await start(c, prefix);
    const b = await start(c, prefix);
    history(a.descope, c.now());
    history(b.descope, c.now());
    for (const h of [a, b])
      for (let i = 0; i < 6; i++)
        h.descope.audits.push(
          scimEvent({
            at: c.now() - 20 * MIN + i * MIN,
            loginId: `new${i}@acme.com`,
            tenant: "T-acme",
            error: "401 Unauthorized: access key expired",
          }),
        );
    c.advance(MIN);
    await Promise.all([a.runtime.tailOnce(), b.runtime.tailOnce()]);
    await a.runtime.tailOnce();
    const alerts = [...posts(a), ...posts(b)].filter((p) => /failing/i.test(text(p.args)));
    expect(alerts).toHaveLength(1);
    const alert = text(alerts[0]?.args ?? {});
    expect(alert).toMatch(/6 of 7/);
    expect(alert).toMatch(/access key expired/);
    expect(alert).toMatch(/restart provisioning/i);
    expect(alert).toMatch(/Provisioning logs/);
    // A restart: a fresh process on the same Redis says nothing new.
    await b.runtime.stop();
    harnesses = harnesses.filter((h) => h !== b);
    const b2 = await start(c, prefix);
    b2.descope.audits.push(...a.descope.audits);
    await b2.runtime.tailOnce();
    expect(posts(b2).map((p) => text(p.args))).toEqual([]);
    // Pushes succeed again: one recovery, in the alert's thread, and the alert says resolved.
    c.advance(5 * MIN);
    for (const h of [a, b2])
      for (let i = 0; i < 2; i++)
        h.descope.audits.push(
          scimEvent({ at: c.now() - MIN + i * 1000, loginId: `ok${i}@acme.com`, tenant: "T-acme" }),
        );
    c.advance(MIN);
    await a.runtime.tailOnce();
    await b2.runtime.tailOnce();
    const recoveredNow = () =>
      [...posts(a), ...posts(b2)].filter((p) => /Recovered/.test(text(p.args)));
    // Not yet: a recovery counts once the tenant stayed healthy for the settle time (10 min).
    expect(recoveredNow()).toHaveLength(0);
    c.advance(11 * MIN);
    await a.runtime.tailOnce();
    await b2.runtime.tailOnce();
    await a.runtime.tailOnce();
    const recoveries = recoveredNow();
    expect(recoveries).toHaveLength(1);
    const alertTs = [...a.slack.messages, ...b.slack.messages].find((m) =>
      /failed in the last hour/.test(String(m.text)),
    )?.ts;
    expect(alertTs).toBeDefined();
    expect(recoveries[0]?.args.thread_ts).toBe(alertTs);
    const edits = [a, b, b2]
      .flatMap((h) => h.slack.callsTo("chat.update"))
      .filter((u) => u.args.ts === alertTs);
    expect(edits.map((u) => text(u.args)).join("\n")).toMatch(/Resolved/);
    b.redis.disconnect();
    await Promise.all([b.descope.stop(), b.slack.stop()]);
  });

  it("a tenant that goes silent gets one 'stopped' alert naming Entra's quarantine; a quiet tenant gets none", async () => {
    const c = clock();
    const h = await start(c);
    history(h.descope, c.now(), 2 * DAY);
    // T-quiet pushed once, two weeks ago: quiet, never alerted.
    h.descope.audits.push(
      scimEvent({ at: c.now() - 13 * DAY, loginId: "q@quiet.com", tenant: "T-quiet" }),
    );
    await h.runtime.tailOnce();
    c.advance(MIN);
    await h.runtime.tailOnce();
    const stopped = posts(h).filter((p) => /stopped/i.test(text(p.args)));
    expect(stopped).toHaveLength(1);
    expect(text(stopped[0]?.args ?? {})).toMatch(/quarantine/i);
    expect(posts(h).filter((p) => /Quiet Inc/.test(text(p.args)))).toHaveLength(0);
    // The same decision everywhere: /scim activity and App Home say "stopped" too.
    const act = await h.command("activity Acme Corp", { user: "UADMIN", channel: "CSUPPORT" });
    const answer = await h.slack.waitFor(() => h.slack.respondedTo(act.rid)[0]);
    expect(text(answer.body as Record<string, unknown>)).toMatch(/then stopped/);
    expect(
      await h.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" }),
    ).toBe(200);
    const home = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    expect(JSON.stringify(home.args)).toMatch(/Provisioning problems.*Acme Corp.*stopped/);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('scimwatch_alerts_sent_total{kind="tenant_stopped"} 1');
    expect(metrics).toContain('scimwatch_tenants{state="stopped"} 1');
    expect(metrics).toContain('scimwatch_tenants{state="ok"} 1');
  });

  it("a mass deactivation gets one alert with the count and examples", async () => {
    const c = clock();
    const h = await start(c);
    history(h.descope, c.now());
    const mass = await deactivate(
      h,
      c,
      Array.from({ length: 12 }, (_, i) => `gone${i}@acme.com`),
    );
    expect(mass).toHaveLength(1);
    const t = text(mass[0]?.args ?? {});
    expect(t).toMatch(/12/);
    expect(t).toMatch(/gone\d@acme\.com/);
    expect(t).toMatch(/removing people from the group assigned to the app deprovisions them/i);
  });

  it("10 of 50 SCIM-managed users deactivated (20 %) is alerted: the deactivated are counted once", async () => {
    const c = clock();
    const h = await start(c);
    history(h.descope, c.now());
    for (let i = 0; i < 50; i++)
      h.descope.users.push(
        user({
          loginId: `p${i}@acme.com`,
          tenantId: "T-acme",
          scim: true,
          ...(i < 10 ? { status: "disabled" } : {}),
        }),
      );
    const mass = await deactivate(
      h,
      c,
      Array.from({ length: 10 }, (_, i) => `p${i}@acme.com`),
    );
    expect(mass).toHaveLength(1);
    expect(text(mass[0]?.args ?? {})).toMatch(/10/);
  });

  it("a 5-person tenant losing everyone is alerted", async () => {
    const c = clock();
    const h = await start(c);
    for (let i = 0; i < 5; i++)
      h.descope.users.push(
        user({ loginId: `s${i}@acme.com`, tenantId: "T-acme", scim: true, status: "disabled" }),
      );
    expect(
      await deactivate(
        h,
        c,
        Array.from({ length: 5 }, (_, i) => `s${i}@acme.com`),
      ),
    ).toHaveLength(1);
  });

  it("snooze and dismiss are refused from a channel without access, and work from the alert channel's admins", async () => {
    const c = clock();
    const h = await start(c);
    history(h.descope, c.now(), 2 * DAY);
    await h.runtime.tailOnce();
    const alert = posts(h).find((p) => /stopped/i.test(text(p.args)));
    const actions =
      (
        (alert?.args.blocks ?? []) as Array<{
          type: string;
          elements?: Array<{ action_id: string; value: string }>;
        }>
      ).find((b) => b.type === "actions")?.elements ?? [];
    const snooze = actions.find((e) => e.action_id === "tenant_snooze_1d");
    expect(snooze).toBeDefined();
    const denied = await h.click("tenant_snooze_1d", snooze?.value ?? "", {
      user: "UX",
      channel: "CRANDOM",
    });
    expect(denied.status).toBe(200);
    const refusal = await h.slack.waitFor(() => h.slack.respondedTo(denied.rid)[0]);
    expect(JSON.stringify(refusal.body)).toMatch(/not enabled in this channel/);
    const ok = await h.click("tenant_snooze_1d", snooze?.value ?? "", {
      user: "UADMIN",
      channel: "CALERTS",
    });
    const edited = await h.slack.waitFor(() => h.slack.respondedTo(ok.rid)[0]);
    expect(JSON.stringify(edited.body)).toMatch(/snoozed until/);
    expect((edited.body as { replace_original?: boolean }).replace_original).toBe(true);
  });
});

describe("scimwatch's own health", () => {
  it("a refused management key: one 'blind' alert, /readyz and /healthz/tail 503, one recovery", async () => {
    const c = clock();
    const h = await start(c);
    await h.runtime.tailOnce();
    for (let i = 0; i < 3; i++) {
      h.descope.fail("audit", { status: 401 });
      c.advance(MIN);
      await h.runtime.tailOnce();
    }
    const blind = posts(h).filter((p) => /blind/i.test(text(p.args)));
    expect(blind).toHaveLength(1);
    expect(text(blind[0]?.args ?? {})).toMatch(/DESCOPE_MANAGEMENT_KEY/);
    expect(h.logs.some((l) => /"level":"error".*blind/.test(l))).toBe(true);
    // Readiness is this instance's (issue #24): a refused key is every replica's, said in the
    // details and in /healthz/tail, never a 503 that takes every replica out at once.
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).toMatch(/management key refused/);
    expect((await fetch(`${h.url}/healthz/tail`)).status).toBe(503);
    // The key works again; the recovery is said once it held for the settle time (10 min).
    c.advance(MIN);
    await h.runtime.tailOnce();
    expect(posts(h).filter((p) => /audit log again/.test(text(p.args)))).toHaveLength(0);
    c.advance(11 * MIN);
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    const sight = posts(h).filter((p) => /reads Descope's audit log again/.test(text(p.args)));
    expect(sight).toHaveLength(1);
    expect(sight[0]?.args.thread_ts).toBe(
      h.slack.messages.find((m) => /blind/i.test(String(m.text)))?.ts,
    );
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
  });

  it("a key refused every other read is one 'blind' alert, not a storm; a relapse soon after its recovery reopens it", async () => {
    const c = clock();
    const h = await start(c);
    await h.runtime.tailOnce();
    for (let i = 0; i < 8; i++) {
      if (i % 2 === 0) h.descope.fail("audit", { status: 401 });
      c.advance(30_000);
      await h.runtime.tailOnce();
    }
    const said = () => posts(h).map((p) => text(p.args));
    expect(said().filter((t) => /blind/i.test(t))).toHaveLength(1);
    expect(said().filter((t) => /audit log again/.test(t))).toHaveLength(0);
    // It holds for the settle time: one recovery.
    c.advance(11 * MIN);
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    expect(said().filter((t) => /audit log again/.test(t))).toHaveLength(1);
    // Refused again 20 minutes later, within the cool-down: the same episode, no new alert.
    c.advance(20 * MIN);
    h.descope.fail("audit", { status: 401 });
    await h.runtime.tailOnce();
    expect(said().filter((t) => /blind/i.test(t))).toHaveLength(1);
    expect(h.logs.some((l) => /blind again/.test(l))).toBe(true);
  });

  it("a tenant flapping between failing and healthy gets one alert and no recovery until it settles", async () => {
    const c = clock();
    const h = await start(c);
    history(h.descope, c.now());
    let n = 0;
    const push = (ok: boolean, count: number) => {
      for (let i = 0; i < count; i++)
        h.descope.audits.push(
          scimEvent({
            at: c.now() - 30_000 + i * 1000,
            loginId: `f${n++}@acme.com`,
            tenant: "T-acme",
            ...(ok ? {} : { error: "401 Unauthorized: access key expired" }),
          }),
        );
    };
    for (let round = 0; round < 5; round++) {
      push(false, 6);
      c.advance(MIN);
      await h.runtime.tailOnce();
      push(true, 2);
      c.advance(MIN);
      await h.runtime.tailOnce();
    }
    const said = posts(h).map((p) => text(p.args));
    expect(said.filter((t) => /failing/i.test(t))).toHaveLength(1);
    expect(said.filter((t) => /Recovered/.test(t))).toHaveLength(0);
  });

  it("while the audit search fails, /scim check still answers from the index and says since when its events are", async () => {
    const c = clock();
    const h = await start(c);
    h.descope.audits.push(
      scimEvent({ at: c.now() - 10 * MIN, loginId: "ana@acme.com", tenant: "T-acme" }),
    );
    await h.runtime.tailOnce();
    c.advance(10 * MIN); // the tail is now behind: checks would search live
    for (let i = 0; i < 8; i++) h.descope.fail("audit", { status: 503 });
    const r = await h.command("check ana@acme.com Acme Corp", {
      user: "UADMIN",
      channel: "CSUPPORT",
    });
    const a = await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    expect(textsOf((a.body as { blocks: unknown }).blocks).join("\n")).toMatch(/events as of/i);
  });

  it("two processes sharing Redis post one blind alert and one recovery between them", async () => {
    const c = clock();
    const prefix = `{scimwatch-test-${randomUUID().slice(0, 8)}}`;
    const a = await start(c, prefix);
    const b = await start(c, prefix);
    b.descope.audits = a.descope.audits;
    await a.runtime.tailOnce();
    // One tail for everyone (a's); the notify step, which posts, runs in both processes at once.
    for (let i = 0; i < 2; i++) {
      a.descope.fail("audit", { status: 401 });
      c.advance(MIN);
      await a.runtime.tailOnce();
      await Promise.all([a.runtime.notifyOnce(), b.runtime.notifyOnce()]);
    }
    const blind = [...posts(a), ...posts(b)].filter((p) => /blind/i.test(text(p.args)));
    expect(blind).toHaveLength(1);
    c.advance(MIN);
    await a.runtime.tailOnce();
    await Promise.all([a.runtime.notifyOnce(), b.runtime.notifyOnce()]);
    c.advance(11 * MIN);
    await a.runtime.tailOnce();
    await Promise.all([a.runtime.notifyOnce(), b.runtime.notifyOnce()]);
    const sight = [...posts(a), ...posts(b)].filter((p) =>
      /reads Descope's audit log again/.test(text(p.args)),
    );
    expect(sight).toHaveLength(1);
  });
});

describe("readiness in Socket Mode", () => {
  it("/readyz follows the Socket Mode connection", async () => {
    const { healthChecks } = await import("../../src/features/health/checks.js");
    const { TailStateStore } = await import("../../src/redis/tail-state.js");
    const { keyer } = await import("../../src/redis/client.js");
    const { Redis } = await import("ioredis");
    const redis = new Redis(REDIS_URL);
    let up = false;
    const checks = healthChecks({
      redis,
      state: new TailStateStore(redis, keyer(`{readyz-${randomUUID().slice(0, 8)}}`)),
      intervalSec: 60,
      now: Date.now,
      startedAt: Date.now(),
      details: false,
      socketOk: () => up,
    });
    const down = await checks.ready();
    expect(down.ok).toBe(false);
    expect(JSON.stringify(down.body)).toMatch(/"socketMode":"disconnected"/);
    up = true;
    const ok = await checks.ready();
    expect(ok.ok).toBe(true);
    expect(JSON.stringify(ok.body)).toMatch(/"socketMode":"connected"/);
    redis.disconnect();
  });
});
