import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scimEvent, user } from "../fakes/builders.js";
import { PEOPLE, seedScenario } from "../fakes/scenario.js";
import { postSigned, slackSignature } from "../fakes/slack.js";
import {
  blockKitProblems,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  textsOf,
} from "../helpers.js";

let h: Harness;
const now = Date.now();

beforeAll(async () => {
  h = await startHarness({}, (d) => {
    seedScenario(d, now);
    d.users.push(
      user({
        loginId: "a&b@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
      }),
    );
    d.audits.push(
      scimEvent({
        at: now - 60_000,
        loginId: "evil@acme.com",
        tenant: "T-acme",
        error: "<!channel> <https://evil.example|click here> & more",
      }),
    );
  });
});
afterAll(() => h.stop());

async function answerOf(rid: string) {
  const r = await h.slack.waitFor(() => h.slack.respondedTo(rid)[0]);
  return r.body;
}

describe("/scim check over the real Bolt HTTP receiver", () => {
  it("acknowledges at once, then answers on response_url with Block Kit", async () => {
    const r = await h.command(
      `check <mailto:${PEOPLE.sso_without_scim}|${PEOPLE.sso_without_scim}> Acme Corp`,
    );
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(3_000);
    expect(String(r.ack.text)).toContain("Checking contractor@acme.com");
    const msg = await answerOf(r.rid);
    expect(blockKitProblems(msg)).toEqual([]);
    expect(msg.response_type).toBe("ephemeral");
    const blocks = msg.blocks as Array<Record<string, unknown>>;
    expect(blocks[0]?.type).toBe("header");
    expect(textsOf(blocks).join("\n")).toContain("Signed in through SSO, never provisioned");
    // Times are Slack dates, read in each reader's time zone.
    expect(textsOf(blocks).join("\n")).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    // Numbered remediation for the inferred IdP.
    expect(textsOf(blocks).join("\n")).toMatch(/1\. .*Enterprise Application/);
    // The page to open in Descope's console, labelled with the project (issue 25).
    expect(textsOf(blocks).join("\n")).toContain(
      `*Open*\n• <https://app.descope.com/users|Descope console › Users, search contractor@acme.com (project ${h.descope.projectId})>`,
    );
    const actions = blocks.find((b) => b.type === "actions") as {
      elements: Array<{ action_id: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([
      "scim_recheck",
      "scim_howto",
      "scim_share",
    ]);
  });

  it("escapes hostile text from Descope and from the user", async () => {
    const r = await h.command("check evil@acme.com Acme Corp");
    const msg = await answerOf(r.rid);
    const all = `${msg.text}\n${textsOf(msg.blocks).join("\n")}`;
    expect(all).toContain("&lt;!channel&gt;");
    expect(all).toContain("&lt;https://evil.example|click here&gt; &amp; more");
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<https://evil.example");

    const r2 = await h.command("check a&amp;b@acme.com &lt;!here&gt; Corp");
    const msg2 = await answerOf(r2.rid);
    const all2 = `${msg2.text}\n${textsOf(msg2.blocks).join("\n")}`;
    expect(all2).toContain("&lt;!here&gt; Corp");
    expect(all2).not.toContain("<!here>");

    const r3 = await h.command("check a&amp;b@acme.com");
    const msg3 = await answerOf(r3.rid);
    expect(textsOf(msg3.blocks).join("\n")).toContain("*a&amp;b@acme.com*");
  });

  it("says what failed when Descope is down, never silence", async () => {
    h.descope.fail("user", { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const r = await h.command(`check ${PEOPLE.provisioned}`);
    const msg = await answerOf(r.rid);
    expect(String(msg.text)).toMatch(
      /failed: Descope user load: Descope answered HTTP 503; gave up/,
    );
    expect(String(msg.text)).toMatch(/retry in/);
  });

  it("answers help, empty and unknown input with usage in the ack", async () => {
    for (const text of ["", "help", "frobnicate now", "check", `check ${"x".repeat(600)}`]) {
      const r = await h.command(text);
      expect(r.status).toBe(200);
      expect(String(r.ack.text)).toContain("/scim check &lt;login ID&gt; [tenant]");
      expect(blockKitProblems(r.ack)).toEqual([]);
    }
  });

  it("help shows admin verbs to admins only; `help <verb>` and a usage slip show that verb's usage", async () => {
    const plain = JSON.stringify((await h.command("help")).ack);
    expect(plain).toContain("/scim check");
    for (const v of ["/scim link", "/scim webhook", "/scim connect", "/scim alerts"])
      expect(plain).not.toContain(v);
    const admin = JSON.stringify((await h.command("help", { user: "UADMIN" })).ack);
    for (const v of ["/scim link", "/scim webhook", "/scim connect", "/scim alerts"])
      expect(admin).toContain(v);

    const one = (await h.command("help check")).ack;
    expect(String(one.text)).toBe("Usage: /scim check &lt;login ID&gt; [tenant]");
    expect(JSON.stringify(one)).not.toContain("/scim pending");
    expect(blockKitProblems(one)).toEqual([]);

    const slip = (await h.command("check")).ack;
    expect(String(slip.text)).toMatch(
      /^:warning: .* Usage: \/scim check &lt;login ID&gt; \[tenant\]$/,
    );
    expect(JSON.stringify(slip)).not.toContain("/scim webhook");
  });

  it("a mistyped verb gets 'did you mean'", async () => {
    const r = (await h.command("chek jane@acme.com")).ack;
    expect(textsOf(r.blocks).join(" ")).toMatch(
      /I don't know "chek"\. Did you mean `\/scim check`\?/,
    );
    expect(String(r.text)).toContain("Usage: /scim check");
    const p = (await h.command("pendng")).ack;
    expect(textsOf(p.blocks).join(" ")).toContain("Did you mean `/scim pending`?");
  });

  it("a tenant name that is close is offered ('Acme' for 'Acme Corp')", async () => {
    const r = await h.command(`check ${PEOPLE.provisioned} Acme`);
    const msg = await answerOf(r.rid);
    expect(textsOf(msg.blocks).join(" ")).toMatch(
      /No tenant has the ID or name \*Acme\*\. Did you mean \*Acme Corp\*\?/,
    );
    const typo = await answerOf((await h.command(`check ${PEOPLE.provisioned} Globx`)).rid);
    expect(String(typo.text)).toContain("Did you mean Globex?");
  });

  it("never says 'Checking…' before refusing", async () => {
    const refused = await h.command("check jane@acme.com", { channel: "CRANDOM" });
    expect(refused.ack).toEqual({});
    expect(JSON.stringify(await answerOf(refused.rid))).toMatch(/not enabled in this channel/);
    expect(JSON.stringify(h.slack.respondedTo(refused.rid))).not.toContain("Checking");
    // A support channel: the ack says it at once.
    const ok = await h.command(`check ${PEOPLE.provisioned}`);
    expect(String(ok.ack.text)).toContain("Checking");
    await answerOf(ok.rid);
    // Admins-only verbs by someone else: no promise either.
    const link = await h.command("link Acme Corp", { channel: "CSUPPORT", user: "UNOBODY" });
    expect(link.ack).toEqual({});
    await answerOf(link.rid);
  });

  it("explains a topic per IdP, anywhere", async () => {
    const r = await h.command("explain timing azure", { channel: "CRANDOM" });
    expect(textsOf(r.ack.blocks).join(" ")).toContain("40 minutes");
    const r2 = await h.command("explain mapping");
    expect(textsOf(r2.ack.blocks).join(" ")).toMatch(/Group mapping is not provisioning/);
  });
});

describe("request verification", () => {
  const form = {
    command: "/scim",
    text: "help",
    user_id: "U1",
    channel_id: "CSUPPORT",
    response_url: "http://127.0.0.1:9/x",
  };
  it("refuses unsigned requests", async () => {
    expect(
      (await postSigned(`${h.url}/slack/events`, form, SIGNING_SECRET, { unsigned: true })).status,
    ).toBe(401);
  });
  it("refuses mis-signed requests", async () => {
    const ts = Math.floor(Date.now() / 1000);
    const r = await postSigned(`${h.url}/slack/events`, form, SIGNING_SECRET, {
      signature: slackSignature("wrong-secret", ts, "x"),
      timestamp: ts,
    });
    expect(r.status).toBe(401);
  });
  it("refuses stale requests (> 5 min)", async () => {
    const r = await postSigned(`${h.url}/slack/events`, form, SIGNING_SECRET, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(r.status).toBe(401);
  });
});

describe("who may see what", () => {
  it("refuses commands in channels that are neither support nor linked", async () => {
    const before = h.descope.calls.length;
    const r = await h.command(`check ${PEOPLE.provisioned}`, { channel: "CRANDOM" });
    const msg = await answerOf(r.rid);
    expect(String(msg.text)).toMatch(/not enabled in this channel/);
    expect(String(msg.text)).toMatch(/\/scim link/);
    expect(h.descope.calls.slice(before).map((c) => c.route)).toEqual([]);
  });

  it("only admins link channels; a linked channel sees its tenant only", async () => {
    const denied = await h.command("link Acme Corp", { channel: "CCUST", user: "UNOBODY" });
    expect(String((await answerOf(denied.rid)).text)).toMatch(/Only scimwatch admins/);

    const linked = await h.command("link Acme Corp", { channel: "CCUST", user: "UADMIN" });
    const lm = await answerOf(linked.rid);
    expect(lm.response_type).toBe("in_channel");
    expect(String(lm.text)).toContain("linked to Acme Corp");

    // Scoped to the linked tenant without naming it.
    const ok = await h.command(`check ${PEOPLE.provisioned}`, { channel: "CCUST", user: "UCUST" });
    const okMsg = await answerOf(ok.rid);
    expect(textsOf(okMsg.blocks).join(" ")).toContain("tenant *Acme Corp*");

    // Naming another tenant is refused identically whether it exists or not.
    const other = await h.command(`check ${PEOPLE.other_tenant} Globex`, {
      channel: "CCUST",
      user: "UCUST",
    });
    const ghost = await h.command(`check ${PEOPLE.other_tenant} No Such Tenant`, {
      channel: "CCUST",
      user: "UCUST",
    });
    const a = await answerOf(other.rid);
    const b = await answerOf(ghost.rid);
    expect(a.text).toBe(b.text);
    expect(String(a.text)).toMatch(/can check that tenant only/);

    // A user of another tenant looks absent from here: nothing about Globex leaks.
    const leak = await h.command(`check ${PEOPLE.other_tenant}`, {
      channel: "CCUST",
      user: "UCUST",
    });
    const lmsg = await answerOf(leak.rid);
    const all = `${lmsg.text} ${textsOf(lmsg.blocks).join(" ")}`;
    expect(all).toContain("Not provisioned");
    expect(all).not.toMatch(/Globex|T-globex|another tenant/);

    // Unlinking asks first: a danger button with Slack's confirmation dialog.
    const asked = await h.command("unlink", { channel: "CCUST", user: "UADMIN" });
    const prompt = await answerOf(asked.rid);
    const unlinkButton = (prompt.blocks as Array<{ type: string; elements?: unknown[] }>).find(
      (b) => b.type === "actions",
    )?.elements?.[0] as { action_id: string; value: string; style: string; confirm?: unknown };
    expect(unlinkButton.style).toBe("danger");
    expect(unlinkButton.confirm).toMatchObject({ title: { text: "Unlink this channel?" } });
    // Still linked until the button is clicked, and only an admin's click counts.
    const refused = await h.click(unlinkButton.action_id, unlinkButton.value, {
      channel: "CCUST",
      user: "UCUST",
    });
    expect(String((await answerOf(refused.rid)).text)).toMatch(/Only scimwatch admins/);
    const unlinked = await h.click(unlinkButton.action_id, unlinkButton.value, {
      channel: "CCUST",
      user: "UADMIN",
    });
    expect(String((await answerOf(unlinked.rid)).text)).toMatch(/no longer linked/);
    const after = await h.command(`check ${PEOPLE.provisioned}`, {
      channel: "CCUST",
      user: "UCUST",
    });
    expect(String((await answerOf(after.rid)).text)).toMatch(/not enabled in this channel/);
  });

  it("admins may run commands anywhere", async () => {
    const r = await h.command(`check ${PEOPLE.provisioned}`, {
      channel: "CANYWHERE",
      user: "UADMIN",
    });
    expect(String((await answerOf(r.rid)).text)).toMatch(/^Provisioned/);
  });
});

describe("buttons", () => {
  it("Re-check, How to fix and Share in channel", async () => {
    const r = await h.command(`check ${PEOPLE.not_provisioned} Acme Corp`);
    const msg = await answerOf(r.rid);
    const actions = (msg.blocks as Array<Record<string, unknown>>).find(
      (b) => b.type === "actions",
    ) as {
      elements: Array<{ action_id: string; value: string }>;
    };
    const value = actions.elements[0]?.value as string;
    const audits = h.descope.count("audit");

    const re = await h.click("scim_recheck", value);
    expect(re.status).toBe(200);
    const reMsg = await answerOf(re.rid);
    expect(reMsg.replace_original).toBe(true);
    expect(String(reMsg.text)).toMatch(/^Not provisioned/);
    expect(h.descope.count("audit")).toBe(audits + 1);

    const how = await h.click("scim_howto", value);
    const howMsg = await answerOf(how.rid);
    expect(String(howMsg.text)).toContain("How to fix in Microsoft Entra ID");
    expect(blockKitProblems(howMsg)).toEqual([]);

    const share = await h.click("scim_share", value);
    const shared = await answerOf(share.rid);
    expect(shared.response_type).toBe("in_channel");
    expect(textsOf(shared.blocks).join(" ")).toContain("shared by <@USUPPORT>");
    expect(blockKitProblems(shared)).toEqual([]);
    // The private copy is replaced by the shared one: no Share button left to click twice.
    const after = await h.slack.waitFor(() => h.slack.respondedTo(share.rid)[1]);
    expect(after.body.replace_original).toBe(true);
    expect(JSON.stringify(after.body)).not.toContain("scim_share");
    // A second click (a stale copy, another replica) does not post it again.
    const again = await h.click("scim_share", value);
    const second = await answerOf(again.rid);
    expect(second.replace_original).toBe(true);
    expect(second.response_type).toBeUndefined();
    expect(
      [...h.slack.respondedTo(share.rid), ...h.slack.respondedTo(again.rid)].filter(
        (r) => r.body.response_type === "in_channel",
      ),
    ).toHaveLength(1);
  });

  it("button clicks from a channel without access are refused", async () => {
    const value = JSON.stringify({
      a: "0123456789abcdef",
      l: PEOPLE.provisioned,
      t: "T-acme",
      i: "azure",
    });
    const re = await h.click("scim_recheck", value, { channel: "CRANDOM", user: "UX" });
    expect(String((await answerOf(re.rid)).text)).toMatch(/not enabled in this channel/);
  });
});

describe("health and logs", () => {
  it("/healthz is 200 and /readyz is 200 with Redis and Slack usable", async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { details: { tail: unknown } };
    expect(body).toMatchObject({ ok: true, details: { redis: "ok", slack: "ok" } });
    // The tail's lag is reported (null before its first run).
    expect(body.details.tail).toMatchObject({ healthy: false, lagSeconds: null });
  });

  it("logs JSON lines, one per request, without secrets", async () => {
    const lines = h.logs.join("").trim().split("\n");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      parsed.some((p) => p.kind === "check" && p.level === "info" && typeof p.ms === "number"),
    ).toBe(true);
    const all = h.logs.join("");
    for (const secret of ["xoxb-test-token", SIGNING_SECRET, h.descope.managementKey])
      expect(all).not.toContain(secret);
    // The start-up warm-up is nobody's request: its lines are debug, never info (issue #24).
    const warm = parsed.filter((p) => p.user === "UWARMUP");
    expect(warm.length).toBeGreaterThan(0);
    expect(warm.every((p) => p.level === "debug")).toBe(true);
  });
});

describe("a Slack token that stops working", () => {
  it("does not block commands (no auth.test on the request path)", async () => {
    h.slack.validTokens.clear();
    const before = h.slack.callsTo("auth.test").length;
    const r = await h.command("help");
    expect(r.status).toBe(200);
    expect(String(r.ack.text), h.logs.slice(-5).join("")).toContain("Usage");
    const c = await h.command(`check ${PEOPLE.provisioned}`);
    expect(String((await answerOf(c.rid)).text)).toMatch(/^Provisioned/);
    expect(h.slack.callsTo("auth.test").length).toBe(before);
    h.slack.validTokens.add("xoxb-test-token");
  });

  it("50 /readyz probes while the token is refused ask Slack once, and say not ready", async () => {
    const fresh = await startHarness();
    fresh.slack.validTokens.clear();
    try {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${fresh.url}/readyz`).then((r) => r.status)),
      );
      expect(new Set(answers)).toEqual(new Set([503]));
      // One question in flight for all of them, and the refusal kept for the next probes.
      expect(fresh.slack.callsTo("auth.test")).toHaveLength(1);
      await fetch(`${fresh.url}/readyz`);
      expect(fresh.slack.callsTo("auth.test")).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
  });
});
