import { afterEach, describe, expect, it } from "vitest";
import { auditEvent, ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { blockKitProblems, type Harness, startHarness, textsOf } from "../helpers.js";

const MIN = 60_000;
const START = Date.now();

/** An injected clock, shared by the bot and the fake Descope. */
function clock() {
  let t = START;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.settings["T-acme"] = { JITDisabled: true };
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
});

async function start(
  c: ReturnType<typeof clock>,
  extra: { prefix?: string; share?: Harness; slackDeadlineMs?: number } = {},
) {
  const h = await startHarness(
    {
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      SCIMWATCH_GRACE_MINUTES: "15",
      DESCOPE_AUDIT_RATE_PER_MIN: "6000",
    },
    seed,
    {
      now: c.now,
      ...(extra.prefix ? { prefix: extra.prefix } : {}),
      ...(extra.slackDeadlineMs ? { slackDeadlineMs: extra.slackDeadlineMs } : {}),
    },
  );
  h.descope.now = c.now;
  harnesses.push(h);
  return h;
}

const posts = (h: Harness, channel?: string) =>
  h.slack.callsTo("chat.postMessage").filter((c) => !channel || c.args.channel === channel);
const allText = (args: Record<string, unknown>) =>
  `${args.text}\n${textsOf(args.blocks).join("\n")}`;

async function answer(h: Harness, rid: string) {
  return (await h.slack.waitFor(() => h.slack.respondedTo(rid)[0])).body;
}

describe("registering expected hires", () => {
  it("registers the good lines, rejects the bad ones with reasons, and posts one checklist", async () => {
    const c = clock();
    const h = await start(c);
    const r = await h.command(
      "expect <mailto:jane@acme.com|jane@acme.com> bob@ not-an-email@x raj@acme.com jane@acme.com Acme Corp at=-20m",
    );
    expect(r.status).toBe(200);
    const msg = await answer(h, r.rid);
    const text = allText(msg);
    expect(text).toMatch(/Expecting 2 hires in \*Acme Corp\* \(Microsoft Entra ID, inferred/);
    expect(text).toMatch(/bob@ — not an email address/);
    expect(text).toMatch(/not-an-email@x — not an email address/);
    expect(text).toMatch(/jane@acme.com — listed twice/);
    const checklist = posts(h, "CSUPPORT");
    expect(checklist).toHaveLength(1);
    const ct = allText(checklist[0]?.args ?? {});
    expect(ct).toContain("Onboarding checklist · Acme Corp");
    expect(ct).toContain("*jane@acme.com*");
    expect(ct).toContain("*raj@acme.com*");
    expect(ct).toMatch(/Waiting for Microsoft Entra ID's next cycle — expected by <!date\^\d+/);
    expect(ct).toMatch(/Provision on demand/);
    expect(blockKitProblems(checklist[0]?.args ?? {})).toEqual([]);
    // Stored, and survives a restart of the bot.
    expect((await h.runtime.hires.openIds()).length).toBe(2);
  });

  it("a second registration of the same person is rejected, not duplicated", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("expect jane@acme.com Acme Corp")).rid);
    const again = await answer(h, (await h.command("expect jane@acme.com Acme Corp")).rid);
    expect(allText(again)).toMatch(/jane@acme.com — already expected in Acme Corp/);
    expect((await h.runtime.hires.openIds()).length).toBe(1);
  });

  it("a typed direction character is never echoed as such", async () => {
    const c = clock();
    const h = await start(c);
    const linked = await answer(
      h,
      (await h.command("link Acme\u202E Corp", { channel: "CCUST", user: "UADMIN" })).rid,
    );
    const all = allText(linked);
    expect(all).not.toContain("\u202E");
    expect(all).toContain("\\u202E");
  });

  it("refuses bad options and missing tenants with usage", async () => {
    const c = clock();
    const h = await start(c);
    expect(
      allText(await answer(h, (await h.command("expect a@acme.com Acme Corp idp=keycloak")).rid)),
    ).toMatch(/Unknown IdP "keycloak"/);
    expect(
      allText(await answer(h, (await h.command("expect a@acme.com Acme Corp at=tomorrowish")).rid)),
    ).toMatch(/Malformed at=: tomorrowish is not a time/);
    expect(allText(await answer(h, (await h.command("expect a@acme.com")).rid))).toMatch(
      /Which tenant\?/,
    );
  });

  it("a check of an expected hire knows when they were assigned", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("expect new@acme.com Acme Corp at=-10m")).rid);
    const pending = await answer(h, (await h.command("check new@acme.com Acme Corp")).rid);
    expect(String(pending.text)).toMatch(
      /^Waiting for the IdP's next cycle: new@acme.com is not in Descope yet, but Microsoft Entra ID's window has not passed/,
    );
    const other = await answer(h, (await h.command("check someone@acme.com Acme Corp")).rid);
    expect(String(other.text)).toMatch(/^Not provisioned/);
  });

  it("/scim expect without arguments opens the form", async () => {
    const c = clock();
    const h = await start(c);
    await h.command("expect");
    const open = await h.slack.waitFor(() => h.slack.callsTo("views.open")[0]);
    const view = open.args.view as {
      callback_id: string;
      blocks: Array<{ block_id: string; element?: { type: string } }>;
    };
    expect(view.callback_id).toBe("scim_expect_modal");
    expect(view.blocks.map((b) => b.block_id)).toEqual(["emails", "tenant", "idp", "at", "start"]);
    // The start date is picked with Slack's date picker, not typed.
    expect(view.blocks.at(-1)?.element?.type).toBe("datepicker");
  });
});

describe("checklists, alerts and resolution", () => {
  it("ticks itself in place, alerts an overdue hire exactly once, and resolves the alert on late arrival", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("expect jane@acme.com raj@acme.com Acme Corp at=-20m")).rid);
    await h.runtime.tailOnce();
    const updatesBefore = h.slack.callsTo("chat.update").length;

    // Entra's next cycle pushes jane.
    c.advance(10 * MIN);
    h.descope.users.push(
      user({
        loginId: "jane@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
        createdAt: c.now() - MIN,
      }),
    );
    h.descope.audits.push(
      scimEvent({ at: c.now() - MIN, loginId: "jane@acme.com", tenant: "T-acme" }),
    );
    await h.runtime.tailOnce();
    const updates = h.slack.callsTo("chat.update");
    expect(updates.length).toBe(updatesBefore + 1);
    const ticked = allText(updates.at(-1)?.args ?? {});
    expect(ticked).toMatch(
      /\*jane@acme.com\*\n☑ Assigned in the IdP · ☑ Provisioned to Descope · ☑ Roles mapped · ☐ First sign-in/,
    );
    expect(ticked).toMatch(/\*raj@acme.com\*\n☐ Assigned/);

    // Nothing changed: no chat.update.
    await h.runtime.tailOnce();
    expect(h.slack.callsTo("chat.update").length).toBe(updatesBefore + 1);

    // raj is overdue after Entra's window (60 min) + 15 min grace from the assignment.
    c.advance(50 * MIN);
    await h.runtime.tailOnce();
    const alerts = posts(h, "CALERTS");
    expect(alerts).toHaveLength(1);
    const a = allText(alerts[0]?.args ?? {});
    expect(a).toContain("Missing new hire: raj@acme.com");
    expect(a).toMatch(/not assigned to the Descope Enterprise Application/);
    expect(a).toMatch(/Nested groups are not followed/);
    expect(a).toMatch(/Users and groups › Add user\/group/);
    const alertBlocks = (alerts[0]?.args.blocks ?? []) as Array<{
      type: string;
      elements?: Array<{ action_id: string }>;
    }>;
    const actions = alertBlocks.find((b) => b.type === "actions");
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([
      "hire_recheck",
      "hire_snooze",
      "hire_dismiss",
    ]);

    // A retried job, two evaluations at once, another pass: still one alert.
    await Promise.all([h.runtime.evaluate(), h.runtime.evaluate(), h.runtime.tailOnce()]);
    expect(posts(h, "CALERTS")).toHaveLength(1);

    // raj arrives late, and jane signs in: the checklist ticks the last item.
    c.advance(25 * MIN);
    h.descope.audits.push(
      auditEvent("LoginSucceed", {
        at: c.now() - 10 * MIN,
        loginId: "jane@acme.com",
        tenant: "T-acme",
      }),
    );
    h.descope.users.push(
      user({
        loginId: "raj@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
        createdAt: c.now() - 5 * MIN,
      }),
    );
    h.descope.audits.push(
      scimEvent({ at: c.now() - 5 * MIN, loginId: "raj@acme.com", tenant: "T-acme" }),
    );
    await h.runtime.tailOnce();
    const resolved = h.slack.callsTo("chat.update").filter((u) => u.args.channel === "CALERTS");
    expect(resolved).toHaveLength(1);
    // The alert message itself is edited.
    expect(resolved[0]?.args.ts).toBe(posts(h, "CALERTS")[0]?.result?.ts);
    expect(String(resolved[0]?.args.text)).toMatch(
      /Resolved — raj@acme.com provisioned at .*, 25 minutes late/,
    );
    const last = allText(
      h.slack
        .callsTo("chat.update")
        .filter((u) => u.args.channel === "CSUPPORT")
        .at(-1)?.args ?? {},
    );
    expect(last).toMatch(
      /\*jane@acme.com\*\n☑ Assigned in the IdP · ☑ Provisioned to Descope · ☑ Roles mapped · ☑ First sign-in/,
    );
    expect(last).toMatch(/\*raj@acme.com\*\n☑ Assigned in the IdP · ☑ Provisioned to Descope/);
    // And still only one alert.
    expect(posts(h, "CALERTS")).toHaveLength(1);
  }, 30_000);

  it("many hires falling due together get one digest with the details in its thread, paced", async () => {
    const c = clock();
    const h = await start(c);
    await answer(
      h,
      (
        await h.command(
          "expect a1@acme.com a2@acme.com a3@acme.com a4@acme.com Acme Corp idp=okta at=-5m",
        )
      ).rid,
    );
    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    const msgs = posts(h, "CALERTS");
    expect(msgs).toHaveLength(5);
    const [digest, ...replies] = msgs;
    expect(String(digest?.args.text)).toMatch(
      /4 new hires are overdue in Acme Corp: details in the thread/,
    );
    const threadTs = replies.map((r) => r.args.thread_ts);
    expect(new Set(threadTs).size).toBe(1);
    expect(threadTs[0]).toBeTruthy();
    // One message per second per channel.
    for (let i = 1; i < msgs.length; i++)
      expect((msgs[i]?.at ?? 0) - (msgs[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  }, 30_000);

  it("alerts once per login ID per day when someone signs in through SSO but was never provisioned", async () => {
    const c = clock();
    const h = await start(c);
    h.descope.audits.push(
      auditEvent("LoginFailed", {
        at: c.now() - 2 * MIN,
        loginId: "contractor@acme.com",
        tenant: "T-acme",
        errorMessage: "user not found",
      }),
    );
    await h.runtime.tailOnce();
    c.advance(5 * MIN);
    h.descope.audits.push(
      auditEvent("LoginFailed", {
        at: c.now() - MIN,
        loginId: "contractor@acme.com",
        tenant: "T-acme",
      }),
    );
    await h.runtime.tailOnce();
    const msgs = posts(h, "CALERTS");
    expect(msgs).toHaveLength(1);
    const t = allText(msgs[0]?.args ?? {});
    expect(t).toContain("contractor@acme.com tried to sign in but was never provisioned");
    expect(t).toMatch(/SSO and SCIM use different apps/);
  });

  it("does not alert a failed sign-in of a user who exists, or when JIT is on", async () => {
    const c = clock();
    const h = await start(c);
    h.descope.users.push(user({ loginId: "ada@acme.com", tenantId: "T-acme" }));
    h.descope.audits.push(
      auditEvent("LoginFailed", { at: c.now() - MIN, loginId: "ada@acme.com", tenant: "T-acme" }),
    );
    await h.runtime.tailOnce();
    expect(posts(h, "CALERTS")).toHaveLength(0);
  });

  it("Mark all assigned, Snooze and Dismiss", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    const checklist = posts(h, "CSUPPORT")[0]?.args as {
      blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    };
    const mark = checklist.blocks.find((b) => b.type === "actions")?.elements?.[0];
    expect(mark?.action_id).toBe("hire_mark_all_assigned");
    await h.click("hire_mark_all_assigned", mark?.value ?? "");
    const upd = await h.slack.waitFor(() => h.slack.callsTo("chat.update").at(-1));
    expect(allText(upd.args)).toMatch(/☑ Assigned in the IdP · ☐ Provisioned/);

    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    const alert = posts(h, "CALERTS")[0]?.args as {
      blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    };
    const id = alert.blocks.find((b) => b.type === "actions")?.elements?.[0]?.value ?? "";
    const dismissButton = alert.blocks
      .find((b) => b.type === "actions")
      ?.elements?.find((e) => e.action_id === "hire_dismiss") as unknown as {
      style: string;
      confirm: { title: { text: string }; confirm: { text: string } };
    };
    expect(dismissButton.style).toBe("danger");
    expect(dismissButton.confirm.title.text).toBe("Dismiss this alert?");
    const snooze = await h.click("hire_snooze", id, { channel: "CALERTS", user: "UIT" });
    expect(allText(await answer(h, snooze.rid))).toMatch(/Snoozed until/);
    c.advance(61 * MIN);
    await h.runtime.tailOnce();
    const reminder = posts(h, "CALERTS").at(-1)?.args;
    expect(String(reminder?.text)).toMatch(/Reminder: raj@acme.com is still missing/);
    expect(reminder?.thread_ts).toBeTruthy();
    const dismiss = await h.click("hire_dismiss", id, { channel: "CALERTS", user: "UIT" });
    expect(allText(await answer(h, dismiss.rid))).toMatch(/dismissed by <@UIT>/);
  }, 30_000);
});

describe("restarts and several processes", () => {
  it("nothing registered is lost to a restart, and the alert is still sent once", async () => {
    const c = clock();
    const a = await start(c);
    await answer(a, (await a.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    // Another process (sharing Redis) evaluates at the same time as this one, then this one restarts.
    const b = await start(c, { prefix: a.prefix });
    b.descope.audits = a.descope.audits;
    await Promise.all([a.runtime.evaluate(), b.runtime.evaluate()]);
    const alerts = [...posts(a, "CALERTS"), ...posts(b, "CALERTS")];
    expect(alerts).toHaveLength(1);
    await a.runtime.stop();
    harnesses = harnesses.filter((x) => x !== a);
    const c2 = await start(c, { prefix: a.prefix });
    expect((await c2.runtime.hires.openIds()).length).toBe(1);
    await c2.runtime.evaluate();
    expect(posts(c2, "CALERTS")).toHaveLength(0);
    const pending = await answer(c2, (await c2.command("pending Acme Corp")).rid);
    expect(allText(pending)).toMatch(/raj@acme.com.*Overdue since/s);
    // Cleanup of the first harness's fakes.
    await a.descope.stop().catch(() => {});
  }, 30_000);
});

describe("pending, forget and the App Home", () => {
  it("lists pending hires, forgets one, and renders the Home tab within limits", async () => {
    const c = clock();
    const h = await start(c);
    const emails = Array.from({ length: 60 }, (_, i) => `hire${i}@acme.com`).join(" ");
    await answer(h, (await h.command(`expect ${emails} Acme Corp idp=azure at=-10m`)).rid);
    const pending = await answer(h, (await h.command("pending")).rid);
    expect(blockKitProblems(pending)).toEqual([]);
    expect(String(pending.text)).toMatch(/60 pending hires/);
    const forgot = await answer(h, (await h.command("forget hire0@acme.com")).rid);
    expect(allText(forgot)).toMatch(/Stopped tracking \*hire0@acme.com\*/);
    expect((await h.runtime.hires.openIds()).length).toBe(59);

    // Two hours on, all are overdue (the Home computes status from the clock; alerts are covered above).
    c.advance(2 * 60 * MIN);
    expect(
      await h.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" }),
    ).toBe(200);
    const pub = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[0]);
    const view = pub.args.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const t = textsOf(view.blocks).join("\n");
    expect(t).toMatch(/Overdue\* \(59\)/);
    expect(t).toMatch(/more: `\/scim pending`/);
    expect(t).toMatch(/Recent alerts/);

    // The Home's buttons: forget one hire, and the Home is published again.
    const forget = (
      view.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>
    )
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "home_hire_forget");
    expect(forget).toBeDefined();
    expect(
      (forget as unknown as { confirm?: { title: { text: string } } }).confirm?.title.text,
    ).toBe("Forget this hire?");
    await h.click("home_hire_forget", forget?.value ?? "", { user: "UADMIN", channel: "D1" });
    await h.slack.waitFor(() => h.slack.callsTo("views.publish")[1]);
    expect((await h.runtime.hires.openIds()).length).toBe(58);
  }, 60_000);
});

describe("assigned one by one", () => {
  it("shows in /scim activity and in the weekly digest, sent once a week", async () => {
    const c = clock();
    const h = await start(c);
    for (const i of [1, 2, 3, 4]) {
      h.descope.users.push(
        user({
          loginId: `u${i}@acme.com`,
          tenantId: "T-acme",
          tenantName: "Acme Corp",
          roles: ["member"],
        }),
      );
      h.descope.audits.push(
        scimEvent({ at: c.now() - i * MIN, loginId: `u${i}@acme.com`, tenant: "T-acme" }),
      );
    }
    h.descope.groups["T-acme"] = [
      {
        id: "g1",
        display: "Finance",
        members: [{ loginId: "u1@acme.com", userId: "Uu1acmecom" }],
        source: "scim",
      },
    ];
    await h.runtime.tailOnce();
    const act = await answer(h, (await h.command("activity Acme Corp")).rid);
    expect(allText(act)).toMatch(
      /appear to be assigned one by one: 3 of 4 SCIM-provisioned users are in none of the 1 groups/,
    );

    await answer(h, (await h.command("link Acme Corp", { channel: "CCUST", user: "UADMIN" })).rid);
    await answer(
      h,
      (await h.command("alerts <#CITALERTS|it-alerts>", { channel: "CCUST", user: "UADMIN" })).rid,
    );
    expect(await h.runtime.weeklyDigest()).toBe(1);
    expect(await h.runtime.weeklyDigest()).toBe(0);
    const digest = posts(h, "CITALERTS");
    expect(digest).toHaveLength(1);
    expect(String(digest[0]?.args.text)).toMatch(
      /^Weekly digest — SCIM activity for Acme Corp: 4 created/,
    );
    expect(allText(digest[0]?.args ?? {})).toMatch(/assigned one by one/);
  });
});

describe("who may route and act on alerts", () => {
  it("a non-admin in a linked channel cannot re-route the tenant's alerts", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("link Acme Corp", { channel: "CCUST", user: "UADMIN" })).rid);
    const refused = await answer(
      h,
      (await h.command("alerts <#COTHER|other>", { channel: "CCUST", user: "UCUST" })).rid,
    );
    expect(allText(refused)).toMatch(/Only scimwatch admins/);
    expect((await h.runtime.hires.openIds()).length).toBe(0);
    // The alert still goes where it went.
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    expect(posts(h, "COTHER")).toHaveLength(0);
    expect(posts(h, "CALERTS")).toHaveLength(1);
  }, 30_000);

  it("an alert sitting in another tenant's channel grants no rights over it", async () => {
    const c = clock();
    const h = await start(c);
    h.descope.tenants.push({ id: "T-globex", name: "Globex" });
    await answer(h, (await h.command("link Globex", { channel: "CGLOBEX", user: "UADMIN" })).rid);
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    const alert = posts(h, "CALERTS")[0]?.args as {
      blocks: Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
    };
    const id = alert.blocks.find((b) => b.type === "actions")?.elements?.[0]?.value ?? "";
    // Someone in Globex's shared channel clicks Dismiss on Acme's hire (e.g. a forwarded alert).
    const refused = await h.click("hire_dismiss", id, { channel: "CGLOBEX", user: "UGLOBEX" });
    expect(JSON.stringify(await answer(h, refused.rid))).toMatch(/replace_original":false/);
    expect((await h.runtime.hires.get(id))?.dismissed).toBe(false);
    // In the channel chosen for Acme's alerts it works.
    const ok = await h.click("hire_dismiss", id, { channel: "CALERTS", user: "UIT" });
    expect(allText(await answer(h, ok.rid))).toMatch(/dismissed by <@UIT>/);
  }, 30_000);

  it("a hire forgotten and registered again is alerted again", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    expect(posts(h, "CALERTS")).toHaveLength(1);
    await answer(h, (await h.command("forget raj@acme.com Acme Corp")).rid);
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    await h.runtime.tailOnce();
    expect(posts(h, "CALERTS")).toHaveLength(2);
  }, 30_000);
});

describe("exactly once, when a send outlives its answer", () => {
  it("an alert Slack accepted but answered too late is found, not posted again", async () => {
    const c = clock();
    const h = await start(c, { slackDeadlineMs: 400 });
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    // Slack posts the alert but its answer comes after the deadline: the outcome is unknown.
    h.slack.postFaults.push({ delayMs: 1_500 });
    await h.runtime.tailOnce();
    expect(h.slack.messages.filter((m) => m.channel === "CALERTS")).toHaveLength(1);
    const [id] = await h.runtime.hires.openIds();
    expect((await h.runtime.hires.get(id as string))?.alert).toBeNull();
    // The next evaluations look for it (by the key in its metadata) instead of posting again.
    await new Promise((r) => setTimeout(r, 1_200));
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    expect(h.slack.messages.filter((m) => m.channel === "CALERTS")).toHaveLength(1);
    const posted = h.slack.messages.find((m) => m.channel === "CALERTS");
    expect(posted?.metadata).toMatchObject({
      event_type: "scimwatch_once",
      event_payload: { key: `alert:${id}` },
    });
    expect((await h.runtime.hires.get(id as string))?.alert?.ts).toBe(posted?.ts);
    expect(h.slack.callsTo("conversations.history").length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it("a send Slack refused (HTTP 500) is sent again, once", async () => {
    const c = clock();
    const h = await start(c, { slackDeadlineMs: 2_000 });
    await answer(h, (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(30 * MIN);
    h.slack.postFaults.push({ status: 500 });
    await h.runtime.tailOnce();
    expect(h.slack.messages.filter((m) => m.channel === "CALERTS")).toHaveLength(0);
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    expect(h.slack.messages.filter((m) => m.channel === "CALERTS")).toHaveLength(1);
  }, 30_000);
});

describe("the expect form and long lists", () => {
  const submission = (
    h: Harness,
    o: { user?: string; channel?: string; tenant: string; emails: string; at?: string },
  ) =>
    h.interaction({
      type: "view_submission",
      user: { id: o.user ?? "USUPPORT", username: "sam", team_id: "T0TEAM" },
      trigger_id: "1.2.3",
      view: {
        id: "VFORM",
        type: "modal",
        callback_id: "scim_expect_modal",
        private_metadata: JSON.stringify({ channelId: o.channel ?? "CSUPPORT" }),
        state: {
          values: {
            emails: { value: { type: "plain_text_input", value: o.emails } },
            tenant: {
              value: {
                type: "external_select",
                selected_option: { value: o.tenant, text: { type: "plain_text", text: o.tenant } },
              },
            },
            idp: {
              value: {
                type: "static_select",
                selected_option: { value: "okta", text: { type: "plain_text", text: "Okta" } },
              },
            },
            at: { value: { type: "plain_text_input", value: o.at ?? "" } },
          },
        },
      },
    });

  it("pasted CSV rows in the form carry names and start dates; bad rows are listed", async () => {
    const c = clock();
    const h = await start(c);
    const r = await submission(h, {
      tenant: "T-acme",
      emails: 'email,name,start_date\n"kim@acme.com","Kim, IT",2026-12-07\nnope,Nope,\n',
    });
    expect(r.status).toBe(200);
    const shown = await h.slack.waitFor(() =>
      h.slack.callsTo("views.update").find((u) => /Expecting 1 hire/.test(JSON.stringify(u.args))),
    );
    expect(JSON.stringify(shown.args)).toMatch(/nope/);
    const kim = (await h.runtime.hires.getMany(await h.runtime.hires.openIds()))[0]?.hire;
    expect(kim?.displayName).toBe("Kim, IT");
    expect(new Date(kim?.startDate ?? 0).toISOString()).toBe("2026-12-07T09:00:00.000Z");
  });

  it("over 100 tenants, the form offers type-ahead and answers a search", async () => {
    const c = clock();
    const h = await start(c);
    for (let i = 0; i < 150; i++) h.descope.tenants.push({ id: `T-${i}`, name: `Customer ${i}` });
    await h.command("expect");
    const open = await h.slack.waitFor(() => h.slack.callsTo("views.open")[0]);
    const view = open.args.view as {
      blocks: Array<{ block_id: string; element: { type: string } }>;
    };
    expect(view.blocks.find((b) => b.block_id === "tenant")?.element.type).toBe("external_select");
    const r = await h.interaction({
      type: "block_suggestion",
      user: { id: "USUPPORT" },
      block_id: "tenant",
      action_id: "value",
      value: "customer 14",
      view: {
        id: "VFORM",
        type: "modal",
        private_metadata: JSON.stringify({ channelId: "CSUPPORT" }),
      },
    });
    const opts = (JSON.parse(r.body) as { options: Array<{ value: string }> }).options;
    expect(opts.map((o) => o.value).sort()).toEqual(
      ["T-14", ...Array.from({ length: 10 }, (_, i) => `T-14${i}`)].sort(),
    );
  });

  it("a refused submission says why in the form; a tenant gone says so in the form", async () => {
    const c = clock();
    const h = await start(c);
    await answer(h, (await h.command("link Acme Corp", { channel: "CCUST", user: "UADMIN" })).rid);
    h.descope.tenants.push({ id: "T-globex", name: "Globex" });
    const refused = await submission(h, {
      user: "UCUST",
      channel: "CCUST",
      tenant: "T-globex",
      emails: "a@globex.com",
    });
    expect(JSON.parse(refused.body)).toMatchObject({
      response_action: "errors",
      errors: { tenant: expect.stringMatching(/linked to Acme Corp/) },
    });
    const gone = await submission(h, { tenant: "T-deleted", emails: "a@acme.com" });
    expect(JSON.parse(gone.body)).toMatchObject({ response_action: "update" });
    const upd = await h.slack.waitFor(() => h.slack.callsTo("views.update").at(-1));
    expect(upd.args.view_id).toBe("VFORM");
    expect(JSON.stringify(upd.args.view)).toMatch(
      /no longer exists in Descope: nothing was registered/,
    );
    expect(await h.runtime.hires.openIds()).toEqual([]);
  });

  it("a registration from the form shows its outcome in the form, even when the bot is not in the channel", async () => {
    const c = clock();
    const h = await start(c);
    h.slack.notInChannels.add("CSUPPORT");
    const r = await submission(h, {
      tenant: "T-acme",
      emails: "jane@acme.com\nnot-an-email",
      at: "-10m",
    });
    expect(JSON.parse(r.body)).toMatchObject({ response_action: "update" });
    const upd = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .find((u) => /Expecting 1 hire/.test(JSON.stringify(u.args.view))),
    );
    expect(JSON.stringify(upd.args.view)).toMatch(/not-an-email/);
    expect(JSON.stringify(upd.args.view)).toMatch(
      /could not post the checklist here \(.*not_in_channel.*\): invite me/,
    );
    expect(await h.runtime.hires.openIds()).toHaveLength(1);
  });

  it("over 100 unassigned hires, 'Mark one assigned…' is a type-ahead", async () => {
    const c = clock();
    const h = await start(c);
    const emails = Array.from({ length: 120 }, (_, i) => `hire${i}@acme.com`).join(" ");
    await answer(h, (await h.command(`expect ${emails} Acme Corp idp=okta at=-5m`)).rid);
    const checklist = posts(h, "CSUPPORT")[0]?.args as {
      blocks: Array<{
        type: string;
        block_id?: string;
        elements?: Array<{ type: string; action_id: string }>;
      }>;
    };
    const actions = checklist.blocks.find((b) => b.type === "actions");
    const menu = actions?.elements?.find((e) => e.action_id === "hire_mark_assigned");
    expect(menu?.type).toBe("external_select");
    const suggest = (user: string, channel: string, value: string) =>
      h.interaction({
        type: "block_suggestion",
        user: { id: user },
        channel: { id: channel },
        container: { type: "message", channel_id: channel, message_ts: "1.2" },
        block_id: actions?.block_id,
        action_id: "hire_mark_assigned",
        value,
      });
    const r = await suggest("USUPPORT", "CSUPPORT", "hire11");
    const opts = (JSON.parse(r.body) as { options: Array<{ text: { text: string } }> }).options;
    expect(opts.map((o) => o.text.text).sort()).toEqual(
      ["hire11@acme.com", ...Array.from({ length: 10 }, (_, i) => `hire11${i}@acme.com`)].sort(),
    );
    // A signed request from a channel with no access to Acme lists none of its hires.
    const outside = await suggest("UOTHER", "CRANDOM", "hire");
    expect((JSON.parse(outside.body) as { options: unknown[] }).options).toEqual([]);
  }, 30_000);
});

describe("App Home for a newcomer", () => {
  it("someone with no tenants or hires yet gets a getting-started section; it goes once there is work", async () => {
    const c = clock();
    const h = await start(c);
    expect(
      await h.event({ type: "app_home_opened", user: "UNEW", channel: "D2", tab: "home" }),
    ).toBe(200);
    const first = await h.slack.waitFor(() => h.slack.callsTo("views.publish").at(-1));
    const text = textsOf((first.args.view as { blocks: unknown }).blocks).join("\n");
    expect(text).toMatch(/Getting started/);
    expect(text).toMatch(/\/scim check jane@acme\.com/);
    expect(text).toMatch(/Alerts go to <#CALERTS>/);
    await answer(
      h,
      (await h.command("expect raj@acme.com Acme Corp idp=okta at=-5m", { user: "UNEW" })).rid,
    );
    const before = h.slack.callsTo("views.publish").length;
    await h.event({ type: "app_home_opened", user: "UNEW", channel: "D2", tab: "home" });
    const second = await h.slack.waitFor(
      () =>
        h.slack.callsTo("views.publish").length > before && h.slack.callsTo("views.publish").at(-1),
    );
    const t2 = textsOf((second.args.view as { blocks: unknown }).blocks).join("\n");
    expect(t2).not.toMatch(/Getting started/);
    expect(t2).toMatch(/raj@acme\.com/);
  });
});

describe("App Home for an admin", () => {
  const home = async (h: Harness, user: string) => {
    const before = h.slack.callsTo("views.publish").length;
    await h.event({ type: "app_home_opened", user, channel: "D1", tab: "home" });
    const pub = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[before]);
    return (pub.args.view as { blocks: Array<Record<string, unknown>> }).blocks;
  };
  const buttonsOf = (blocks: Array<Record<string, unknown>>) =>
    (
      (blocks.find((b) => b.block_id === "home_tools")?.elements ?? []) as Array<{
        action_id: string;
      }>
    ).map((e) => e.action_id);

  it("shows Descope's tenants with no hires yet, the tools row (admins: check, expect), and help for everyone", async () => {
    const h = await start(clock());
    const admin = await home(h, "UADMIN");
    const text = textsOf(admin).join("\n");
    expect(text).not.toMatch(/No tenants to show yet/);
    expect(text).toMatch(/You see every tenant as an admin: 1 in Descope \(Acme Corp\)/);
    expect(buttonsOf(admin)).toEqual(["home_check_user", "home_expect_hires", "home_help"]);
    const other = await home(h, "UNEW");
    expect(buttonsOf(other)).toEqual(["home_help"]);
    expect(textsOf(other).join("\n")).toMatch(/You have not registered any hires yet/);

    // Help opens in a modal, the admin verbs only for admins.
    await h.click("home_help", "help", { user: "UNEW", channel: "" });
    const helpView = await h.slack.waitFor(() => h.slack.callsTo("views.open").at(-1));
    const helpText = JSON.stringify(helpView.args.view);
    expect(helpText).toContain("/scim check");
    expect(helpText).not.toContain("/scim webhook");

    // Check a user: a form, then the verdict in it.
    await h.click("home_check_user", "check", { user: "UADMIN", channel: "" });
    const form = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.open")
        .find((c) => (c.args.view as { callback_id?: string }).callback_id === "scim_check_modal"),
    );
    expect(form).toBeTruthy();
    const r = await h.interaction({
      type: "view_submission",
      user: { id: "UADMIN", username: "ada", team_id: "T0TEAM" },
      trigger_id: "1.2.3",
      view: {
        id: "VCHECK",
        type: "modal",
        callback_id: "scim_check_modal",
        private_metadata: "",
        state: {
          values: {
            check_login: { value: { type: "plain_text_input", value: "carl@acme.com" } },
            check_tenant: { value: { type: "plain_text_input", value: "Acme Corp" } },
          },
        },
      },
    });
    expect(r.status).toBe(200);
    const shown = await h.slack.waitFor(() =>
      h.slack.callsTo("views.update").find((c) => c.args.view_id === "VCHECK"),
    );
    expect(JSON.stringify(shown.args.view)).toMatch(/carl@acme\.com/);
    expect(JSON.stringify(shown.args.view)).toMatch(/Verdict `[a-z_]+`/);
    // Someone else's submission is refused in the form.
    const refused = await h.interaction({
      type: "view_submission",
      user: { id: "UNEW", username: "x", team_id: "T0TEAM" },
      view: {
        id: "VX",
        type: "modal",
        callback_id: "scim_check_modal",
        private_metadata: "",
        state: {
          values: { check_login: { value: { type: "plain_text_input", value: "a@b.co" } } },
        },
      },
    });
    expect(refused.body).toMatch(/Only scimwatch admins/);

    // Expect hires: the same form as `/scim expect`, opened from here.
    await h.click("home_expect_hires", "expect", { user: "UADMIN", channel: "" });
    const expectForm = await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.open")
        .find((c) => (c.args.view as { callback_id?: string }).callback_id === "scim_expect_modal"),
    );
    expect(JSON.stringify(expectForm.args.view)).toContain("Acme Corp");
  });

  it("says first when scimwatch cannot read Descope", async () => {
    const h = await start(clock());
    h.descope.fail("audit", { status: 401 });
    await h.runtime.tailOnce().catch(() => undefined);
    const text = textsOf(await home(h, "UADMIN")).join("\n");
    expect(text).toMatch(/scimwatch cannot read Descope's audit log.*refuses the management key/s);
  });
});

/** What /scim pending and the App Home say, one after the other. */
async function pendingAndHome(h: Harness): Promise<string> {
  const pending = allText(await answer(h, (await h.command("pending")).rid));
  const before = h.slack.callsTo("views.publish").length;
  await h.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" });
  const pub = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[before]);
  return `${pending}\n${textsOf((pub.args.view as { blocks: unknown }).blocks).join("\n")}`;
}

describe("/scim check, the checklist and the alert agree at every moment", () => {
  const lastChecklist = (h: Harness) => {
    const edits = h.slack.callsTo("chat.update").filter((u) => u.args.channel === "CSUPPORT");
    const args = edits.at(-1)?.args ?? posts(h, "CSUPPORT")[0]?.args ?? {};
    return allText(args);
  };

  it("between the IdP's window and window + grace: waiting everywhere; after it: missing everywhere", async () => {
    const c = clock();
    const h = await start(c);
    // Entra ID: a 60-minute window, plus 15 minutes of grace. Assigned 65 minutes ago.
    await answer(h, (await h.command("expect raj@acme.com Acme Corp at=-65m")).rid);
    await h.runtime.tailOnce();
    const check = await answer(h, (await h.command("check raj@acme.com Acme Corp")).rid);
    expect(String(check.text)).toMatch(/^Waiting for the IdP's next cycle/);
    expect(lastChecklist(h)).toMatch(/Waiting for Microsoft Entra ID's next cycle/);
    expect(await pendingAndHome(h)).toMatch(
      /raj@acme\.com[\s\S]*Waiting for Microsoft Entra ID's next cycle/,
    );
    expect(posts(h, "CALERTS")).toHaveLength(0);

    // 11 minutes later the window and the grace have passed.
    c.advance(11 * MIN);
    await h.runtime.tailOnce();
    const after = await answer(h, (await h.command("check raj@acme.com Acme Corp")).rid);
    expect(String(after.text)).toMatch(/^Not provisioned/);
    expect(lastChecklist(h)).toMatch(/Overdue since/);
    const both = await pendingAndHome(h);
    expect(both).toMatch(
      /raj@acme\.com[\s\S]*Overdue since[\s\S]*raj@acme\.com[\s\S]*Overdue since/,
    );
    expect(both).not.toMatch(/Waiting for/);
    expect(posts(h, "CALERTS")).toHaveLength(1);
  }, 30_000);

  it("someone provisioned under another identifier: provisioned in the check, the checklist, /scim pending and App Home; never alerted missing", async () => {
    const c = clock();
    const h = await start(c);
    const UPN = "priya.s@acme.onmicrosoft.com";
    await answer(h, (await h.command("expect priya@acme.com Acme Corp at=-5m")).rid);
    // Entra pushes her UPN as the userName, her e-mail in emails.
    h.descope.users.push(
      user({
        loginId: UPN,
        email: "priya@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
        createdAt: c.now(),
      }),
    );
    h.descope.audits.push(
      scimEvent({ at: c.now() - MIN, loginId: UPN, email: "priya@acme.com", tenant: "T-acme" }),
    );
    const agree = async () => {
      await h.runtime.tailOnce();
      const check = await answer(h, (await h.command("check priya@acme.com Acme Corp")).rid);
      expect(String(check.text)).toMatch(/^Provisioned/);
      expect(allText(check)).toContain(`in Descope as *${UPN}*, matched by e-mail`);
      const line = new RegExp(`Provisioned .* · in Descope as \\*${UPN.replace(/\./g, "\\.")}\\*`);
      expect(lastChecklist(h)).toMatch(line);
      expect(allText(await answer(h, (await h.command("pending")).rid))).toMatch(line);
      await h.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" });
      const pub = await h.slack.waitFor(() => h.slack.callsTo("views.publish").at(-1));
      expect(textsOf((pub.args.view as { blocks: unknown }).blocks).join("\n")).toMatch(line);
      expect(posts(h, "CALERTS")).toHaveLength(0);
    };
    await agree();
    // Long past Entra's window: still provisioned everywhere, never "missing".
    c.advance(3 * 60 * MIN);
    await agree();
  }, 30_000);

  it("someone created by hand, not by SCIM: not provisioned in the check, nor ticked or alerted as missing", async () => {
    const c = clock();
    const h = await start(c);
    h.descope.users.push(
      user({
        loginId: "manual@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
        scim: false,
      }),
    );
    await answer(h, (await h.command("expect manual@acme.com Acme Corp idp=okta at=-5m")).rid);
    c.advance(60 * MIN);
    await h.runtime.tailOnce();
    const check = await answer(h, (await h.command("check manual@acme.com Acme Corp")).rid);
    expect(JSON.stringify(check)).toMatch(/not_scim_managed/);
    const checklist = lastChecklist(h);
    expect(checklist).toMatch(/☐ Provisioned to Descope/);
    expect(checklist).toMatch(/In Descope, but not through SCIM/);
    expect(posts(h, "CALERTS")).toHaveLength(0);
  }, 30_000);
});
