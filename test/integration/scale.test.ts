/**
 * Thousands of open hires against a small management budget: every
 * evaluation completes, reads only what can have changed, keeps what it did
 * when a search is refused, alerts the hire falling due first, leaves the
 * budget's reserve to checks, and closes hires past their horizon.
 */
import { afterEach, describe, expect, it } from "vitest";
import { hireId, newHire } from "../../src/core/hires/model.js";
import { dueAt } from "../../src/core/hires/state.js";
import { ENTRA_SAML, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const MIN = 60_000;
const DAY = 86_400_000;

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
});

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.settings["T-acme"] = { JITDisabled: true };
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

async function start(env: Record<string, string>, now: () => number) {
  const h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS", ...env }, seed, { now });
  h.descope.now = now;
  harnesses.push(h);
  return h;
}

/** Registers `n` hires straight into the store (what 200 webhook calls would leave). */
async function register(h: Harness, n: number, assignedAt: number, prefix = "p") {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const hire = newHire({
      loginId: `${prefix}${i}@acme.com`,
      tenantId: "T-acme",
      tenantName: "Acme Corp",
      idp: "azure",
      idpReason: "test",
      assignedAt,
      registeredAt: assignedAt,
      registeredBy: "UIT",
      channelId: "CSUPPORT",
      batchId: `batch-${prefix}`,
    });
    const id = hireId(hire.tenantId, hire.loginId);
    await h.runtime.hires.add(id, hire, dueAt(hire, 15));
    ids.push(id);
  }
  return ids;
}

describe("ten thousand hires' worth of work on a small budget", () => {
  it("reads only what can change, keeps its progress when refused, alerts what falls due first, and leaves checks their reserve", async () => {
    const t = Date.now();
    const now = () => t;
    // 20 management calls a minute: the evaluation may take 15, checks keep 5.
    const h = await start({ DESCOPE_MGMT_RATE_PER_MIN: "20", SCIMWATCH_GRACE_MINUTES: "15" }, now);
    await register(h, 2_000, t - 10 * MIN);
    // Due long ago, registered last: still read (and alerted) first.
    const [late] = await register(h, 1, t - 3 * 60 * MIN, "late");
    // Falls due before the 2,000 (but not yet): read among the first.
    await register(h, 1, t - 20 * MIN, "early");
    h.descope.users.push(user({ loginId: "early0@acme.com", tenantId: "T-acme", scim: true }));

    const first = await h.runtime.evaluate();
    // Every hire evaluated; 15 searches of 100 login IDs read 1,500 users, the rest wait.
    expect(first.evaluated).toBe(2_002);
    expect(h.descope.count("users")).toBe(15);
    expect(first.loaded).toBe(1_500);
    expect(first.deferred).toBe(500);
    // The hire that fell due was read first and alerted; early0's arrival was seen.
    expect(first.alerts).toBe(1);
    const alert = h.slack.callsTo("chat.postMessage").find((c) => c.args.channel === "CALERTS");
    expect(`${alert?.args.text}`).toMatch(/late0@acme.com/);
    expect(first.changed).toBeGreaterThanOrEqual(1);
    const early = await h.runtime.hires.get(hireId("T-acme", "early0@acme.com"));
    expect(early?.items.provisioned.at).not.toBeNull();
    expect((await h.runtime.hires.get(late as string))?.alert).not.toBeNull();

    // The evaluation's share is spent: a person's check still gets an answer, from the reserve.
    const r = await h.command("check early0@acme.com Acme Corp");
    const answer = await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    expect(String(answer.body.text)).not.toMatch(/budget|rate-limit/i);
    expect(String(answer.body.text)).toMatch(/early0@acme.com/);

    // A run with nothing left to spend still evaluates every hire, reading none.
    const before = h.descope.count("users");
    const second = await h.runtime.evaluate();
    expect(second.evaluated).toBe(2_002);
    expect(second.loaded).toBe(0);
    expect(h.descope.count("users") - before).toBeLessThanOrEqual(1);
    expect(second.alerts).toBe(0);
  });

  it("a run after the first reads nothing that cannot have changed", async () => {
    let t = Date.now();
    const now = () => t;
    const h = await start({}, now);
    await register(h, 300, t - 10 * MIN);
    const first = await h.runtime.evaluate();
    expect(first.loaded).toBe(300);
    const searches = h.descope.count("users");
    expect(searches).toBe(3);
    // A minute later nothing happened: no user is read again.
    t += MIN;
    expect((await h.runtime.evaluate()).loaded).toBe(0);
    expect(h.descope.count("users")).toBe(searches);
    // One of them shows up in the audit index: only that one is read.
    await h.runtime.index.store(
      [
        {
          id: "ev-1",
          action: "UserCreated",
          at: t - 5_000,
          loginIds: ["p3@acme.com"],
          tenants: ["T-acme"],
        },
      ],
      t,
    );
    t += MIN;
    expect((await h.runtime.evaluate()).loaded).toBe(1);
    // Past the refresh period, everyone is read again.
    t += 31 * MIN;
    expect((await h.runtime.evaluate()).loaded).toBe(300);
  });

  it("closes hires past their horizon, says so on the checklist, and lets them be registered again", async () => {
    let t = Date.now();
    const now = () => t;
    const h = await start({}, now);
    const r = await h.command("expect gone@acme.com Acme Corp at=-10m");
    await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    await h.slack.waitFor(() => h.slack.callsTo("chat.postMessage")[0]);
    expect(await h.runtime.hires.openIds()).toHaveLength(1);

    t += 31 * DAY;
    const e = await h.runtime.evaluate();
    expect(e.closed).toBe(1);
    expect(await h.runtime.hires.openIds()).toHaveLength(0);
    const update = await h.slack.waitFor(() => h.slack.callsTo("chat.update").at(-1));
    expect(textsOf(update.args.blocks).join("\n")).toMatch(
      /Closed .*Microsoft Entra ID never pushed them in 30 days, so scimwatch stopped watching/,
    );
    // Closed stays closed: no overdue alert for it.
    expect(
      h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS"),
    ).toHaveLength(0);

    const again = await h.command("expect gone@acme.com Acme Corp");
    const body = (await h.slack.waitFor(() => h.slack.respondedTo(again.rid)[0])).body;
    expect(`${body.text}`).toMatch(/Registered 1, rejected 0/);
    expect(await h.runtime.hires.openIds()).toHaveLength(1);
  });
});
