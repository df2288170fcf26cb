/**
 * The send path, tried as a hostile afternoon would (issue #22): Slack's
 * Retry-After, a replica whose clock runs ahead, a busy channel hiding a
 * send of unknown outcome, a checklist whose post outlived its answer, a
 * backlog of informational alerts, and who sees which alert in the App Home.
 * Real Redis, the real Slack Web API client, a loopback Slack.
 */
import { randomUUID } from "node:crypto";
import { webApi } from "@slack/bolt";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Outbox } from "../../src/features/notify/outbox.js";
import { createLogger } from "../../src/log/logger.js";
import { keyer } from "../../src/redis/client.js";
import { HireStore } from "../../src/redis/hire-store.js";
import { LinkStore } from "../../src/redis/links.js";
import { OnceStore } from "../../src/redis/once-store.js";
import { SlackNotifier, slackClientOptions } from "../../src/slack/notifier.js";
import { auditEvent, ENTRA_SAML, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { FakeSlack } from "../fakes/slack.js";
import { type Harness, REDIS_URL, startHarness, textsOf } from "../helpers.js";

const redis = new Redis(REDIS_URL);
const slack = new FakeSlack();
const log = createLogger({ level: "silent" });
let key: ReturnType<typeof keyer>;

beforeAll(async () => {
  await slack.start();
});
afterAll(async () => {
  await slack.stop();
  redis.disconnect();
});

/** A process: its own Slack client and notifier, sharing Redis with the others. */
function proc(paceMs = 1_100) {
  const notifier = new SlackNotifier(
    new webApi.WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, ...slackClientOptions() }),
    { redis, key, paceMs },
  );
  const once = new OnceStore(redis, key);
  const links = new LinkStore(redis, key);
  const hires = new HireStore(redis, key);
  return { notifier, once, outbox: new Outbox({ once, notifier, links, hires, log }), hires };
}
const msg = (text: string) => ({ text, blocks: [] });

describe("the Slack adapter and the outbox", () => {
  beforeAll(() => {
    key = keyer(`{send-path-${randomUUID().slice(0, 8)}}`);
  });

  it("honours Retry-After per channel, across processes: no post there until it has passed", async () => {
    const a = proc();
    const b = proc();
    slack.rateLimitPosts = 1;
    slack.rateLimitRetryAfter = 30;
    const posts = () => slack.callsTo("chat.postMessage").length;
    const before = posts();
    await expect(a.notifier.post("CRATE", msg("one"))).rejects.toThrow(/ratelimited/);
    expect(posts()).toBe(before + 1);
    // The same process, and another one, keep off the channel: Slack is not asked again.
    await expect(a.notifier.post("CRATE", msg("two"))).rejects.toThrow(/wait .*about 30 s/);
    await expect(b.notifier.post("CRATE", msg("three"))).rejects.toThrow(/about 30 s/);
    expect(posts()).toBe(before + 1);
    // Another channel is not held up.
    await b.notifier.post("COTHER", msg("four"));
    expect(posts()).toBe(before + 2);
  });

  it("paces a channel on Redis's clock: a replica 4 minutes ahead holds up nobody", async () => {
    const ahead = proc(200);
    const onTime = proc(200);
    const real = Date.now;
    const spy = vi.spyOn(Date, "now").mockImplementation(() => real() + 4 * 60_000);
    try {
      await ahead.notifier.post("CPACE", msg("from the future"));
    } finally {
      spy.mockRestore();
    }
    const t0 = performance.now();
    await onTime.notifier.post("CPACE", msg("now"));
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it("a send of unknown outcome is found however busy the channel, never posted twice", async () => {
    const p = proc(0);
    const k = "alert:busy-channel";
    // Slack took it, the answer never came: the attempt record stays.
    await p.once.markAttempt(k, Date.now() - 1_000);
    await p.notifier.post("CBUSY", msg("the alert"), undefined, k);
    for (let i = 0; i < 250; i++)
      slack.messages.push({ channel: "CBUSY", ts: `1800000000.${i}`, text: `other ${i}` });
    const before = slack.callsTo("chat.postMessage").length;
    const [o] = await p.outbox.send([
      { key: k, kind: "hire_overdue", to: { channel: "CBUSY" }, message: msg("the alert") },
    ]);
    expect(o?.status).toBe("found");
    expect(slack.callsTo("chat.postMessage").length).toBe(before);
    expect(slack.callsTo("conversations.history").length).toBeGreaterThanOrEqual(2);
  });

  it("alerts before informational messages, and at most 10 informational ones per send", async () => {
    const p = proc(0);
    const info = Array.from({ length: 14 }, (_, i) => ({
      key: `signin:T:${i}`,
      kind: "unknown_signin" as const,
      to: { channel: "CPRIO" },
      message: msg(`signin ${i}`),
    }));
    const alert = {
      key: "alert:prio",
      kind: "hire_overdue" as const,
      to: { channel: "CPRIO" },
      message: msg("overdue"),
    };
    const before = slack.callsTo("chat.postMessage").length;
    const out = await p.outbox.send([...info, alert]);
    const sent = slack
      .callsTo("chat.postMessage")
      .slice(before)
      .map((c) => String(c.args.text));
    expect(sent[0]).toBe("overdue");
    expect(sent).toHaveLength(11);
    expect(out.filter((o) => o.status === "deferred")).toHaveLength(4);
  });
});

describe("in the bot", () => {
  let harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.map((h) => h.stop()));
    harnesses = [];
  });
  const seed = (d: FakeDescope) => {
    d.tenants.push({ id: "T-acme", name: "Acme Corp" });
    d.settings["T-acme"] = { JITDisabled: true };
    d.sso["T-acme"] = { saml: ENTRA_SAML };
  };
  async function answer(h: Harness, text: string, user = "UADMIN", channel = "CSUPPORT") {
    const r = await h.command(text, { user, channel });
    return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body;
  }

  it("a checklist whose post outlived its answer is found by its once-key, not posted twice", async () => {
    const h = await startHarness({}, seed, { slackDeadlineMs: 800 });
    harnesses.push(h);
    h.slack.postFaults.push({ delayMs: 2_000 });
    await answer(h, "expect kay@acme.com Acme Corp idp=okta");
    const checklists = () =>
      h.slack.messages.filter((m) => m.channel === "CSUPPORT" && /kay@acme/.test(String(m.text)));
    await h.slack.waitFor(() => checklists()[0]);
    await new Promise((r) => setTimeout(r, 1_500));
    await h.runtime.evaluate();
    await h.runtime.evaluate();
    expect(checklists()).toHaveLength(1);
    const batch = (await h.runtime.hires.getMany(await h.runtime.hires.openIds()))[0]?.hire.batchId;
    expect((await h.runtime.hires.getBatch(batch ?? ""))?.ts).toBe(checklists()[0]?.ts);
  }, 30_000);

  it("an identifier-mismatch alert Slack refused is sent again at the next read, once", async () => {
    const h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS" }, (d) => {
      seed(d);
      d.users.push(
        user({
          loginId: "priya.s@acme.onmicrosoft.com",
          email: "priya@acme.com",
          tenantId: "T-acme",
        }),
      );
      d.audits.push(
        auditEvent("LoginFailed", {
          at: Date.now() - 60_000,
          loginId: "priya@acme.com",
          tenant: "T-acme",
        }),
      );
    });
    harnesses.push(h);
    const mismatch = () =>
      h.slack
        .callsTo("chat.postMessage")
        .filter((c) => String(c.args.text).startsWith("priya@acme.com cannot sign in"));
    h.slack.postFaults.push({ status: 500 });
    await h.runtime.tailOnce();
    expect(mismatch()).toHaveLength(1);
    expect(mismatch()[0]?.result).toMatchObject({ ok: false });
    // The next read tries again (nothing was recorded for the day), and only once.
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    expect(mismatch().filter((c) => c.result?.ok === true)).toHaveLength(1);
  }, 30_000);

  it("App Home: a non-admin sees the alerts about hires they registered, not others' nor sign-ins", async () => {
    let t = Date.now();
    const h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS" }, seed, {
      now: () => t,
    });
    h.descope.now = () => t;
    harnesses.push(h);
    await answer(h, "link Acme Corp", "UADMIN", "CLINKED");
    await answer(h, "expect mine@acme.com Acme Corp idp=okta at=-5m", "UNEW", "CLINKED");
    await answer(h, "expect theirs@acme.com Acme Corp idp=okta at=-5m", "UOTHER", "CLINKED");
    h.descope.audits.push(
      auditEvent("LoginFailed", { at: t - 60_000, loginId: "stranger@acme.com", tenant: "T-acme" }),
    );
    t += 60 * 60_000;
    await h.runtime.tailOnce();
    const home = async (user: string) => {
      const before = h.slack.callsTo("views.publish").length;
      await h.event({ type: "app_home_opened", user, channel: "D1", tab: "home" });
      const pub = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[before]);
      return textsOf((pub.args.view as { blocks: unknown }).blocks).join("\n");
    };
    const mine = await home("UNEW");
    expect(mine).toMatch(/mine@acme\.com missing/);
    expect(mine).not.toMatch(/theirs@acme\.com missing/);
    expect(mine).not.toMatch(/stranger@acme\.com/);
    const admin = await home("UADMIN");
    expect(admin).toMatch(/theirs@acme\.com missing/);
    expect(admin).toMatch(/stranger@acme\.com tried to sign in/);
  }, 30_000);
});
