/**
 * The SCIM key watch through the real bot on loopback fakes: one warning per
 * key and threshold across two replicas and a restart, the next threshold as
 * the clock moves, the renewal said once in the warning's thread, an expired
 * key, a tenant whose keys are all unusable while it has SCIM users, and the
 * /metrics count.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML, scimEvent } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const DAY = 86_400_000;
const START = Date.parse("2026-12-06T08:00:00Z");
let t = START;
const now = () => t;
let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
  t = START;
});

const acmeKeyExpires = () => Math.floor((START + 10 * DAY) / 1000);
function seed(d: FakeDescope) {
  d.tenants.push(
    { id: "T-acme", name: "Acme Corp" },
    { id: "T-globex", name: "Globex" },
    { id: "T-initech", name: "Initech" },
    { id: "T-hooli", name: "Hooli" },
  );
  for (const id of ["T-acme", "T-globex", "T-initech", "T-hooli"]) d.sso[id] = { saml: ENTRA_SAML };
  // Hooli made a key three days ago; its IdP has never called with it.
  d.scimKeys["T-hooli"] = [
    {
      key: {
        id: "K-hooli",
        name: "scim-hooli",
        status: "active",
        expireTime: 0,
        createdTime: Math.floor((START - 3 * DAY) / 1000),
      },
    },
  ];
  d.scimKeys["T-acme"] = [
    { key: { id: "K-acme", name: "scim-acme", status: "active", expireTime: acmeKeyExpires() } },
  ];
  d.scimKeys["T-globex"] = [
    { key: { id: "K-glx1", name: "old", status: "inactive", expireTime: 0 } },
    { key: { id: "K-glx2", name: "older", status: "inactive", expireTime: 0 } },
  ];
  d.scimKeys["T-initech"] = [
    {
      key: {
        id: "K-ini",
        name: "scim-initech",
        status: "active",
        expireTime: Math.floor((START - 2 * DAY) / 1000),
      },
    },
  ];
  // Globex has SCIM users: the IdP pushed one this week.
  d.audits.push(scimEvent({ at: START - DAY, loginId: "ann@globex.com", tenant: "T-globex" }));
}

async function start(prefix: string): Promise<Harness> {
  const h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS" }, seed, { now, prefix });
  h.descope.now = now;
  harnesses.push(h);
  return h;
}

const alertsIn = (hs: Harness[]) =>
  hs.flatMap((h) =>
    h.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "CALERTS")
      .map((c) => ({
        ...c.args,
        blocks: c.args.blocks,
        all: `${c.args.text}\n${textsOf(c.args.blocks).join("\n")}`,
      })),
  );

describe("the SCIM key watch", () => {
  it("warns once per key and threshold across replicas and a restart, then says the renewal in the thread", async () => {
    const prefix = `{scimwatch-test-keys-${Date.now().toString(36)}}`;
    const a = await start(prefix);
    const b = await start(prefix);
    await a.runtime.tailOnce();
    // Two replicas at once: one reads (the other finds the lock), and each alert goes once.
    await Promise.all([a.runtime.keyWatchOnce(), b.runtime.keyWatchOnce()]);
    await b.runtime.keyWatchOnce();
    let alerts = alertsIn([a, b]);
    const acme = alerts.filter((x) => /Acme Corp/.test(x.all));
    expect(acme).toHaveLength(1);
    expect(acme[0]?.all).toMatch(
      /SCIM key \*scim-acme\* expires on .*\(in 10 days\): Microsoft Entra ID will stop provisioning then/,
    );
    expect(acme[0]?.all).toMatch(/Create a new SCIM key for \*Acme Corp\*/);
    expect(acme[0]?.all).toMatch(/Admin Credentials › Secret Token/);
    expect(acme[0]?.all).toMatch(/revoke \(deactivate\) the old key/);
    // The expired key and the tenant with no usable key: once each.
    expect(alerts.filter((x) => /Initech/.test(x.all) && /expired on/.test(x.all))).toHaveLength(1);
    expect(alerts.filter((x) => /Every SCIM key of \*Globex\* \(2\)/.test(x.all))).toHaveLength(1);
    expect(
      alerts.filter((x) =>
        /\*Hooli\* has a SCIM key, \*scim-hooli\* .*its IdP has never called/.test(x.all),
      ),
    ).toHaveLength(1);
    expect(alerts).toHaveLength(4);

    // The alert's button: an admin has Descope e-mail the customer's IT a setup link.
    const alertBlocks = (acme[0]?.blocks ?? []) as Array<{
      block_id?: string;
      elements?: Array<{ value?: string }>;
    }>;
    const btn = alertBlocks.find((b) => b.block_id === "scim_key_alert")?.elements?.[0]
      ?.value as string;
    expect(JSON.parse(btn)).toEqual({ t: "T-acme", s: null });
    const refused = await a.click("scim_key_setup_link", btn, {
      user: "UNOBODY",
      channel: "CALERTS",
    });
    expect(
      JSON.stringify((await a.slack.waitFor(() => a.slack.respondedTo(refused.rid)[0])).body),
    ).toMatch(/Only scimwatch admins/);
    await a.click("scim_key_setup_link", btn, { user: "UADMIN", channel: "CALERTS" });
    const form = await a.slack.waitFor(() =>
      a.slack
        .callsTo("views.open")
        .find(
          (c) => (c.args.view as { callback_id?: string }).callback_id === "scim_setup_link_modal",
        ),
    );
    const sent = await a.interaction({
      type: "view_submission",
      user: { id: "UADMIN", username: "ada", team_id: "T0TEAM" },
      view: {
        id: "VLINK",
        type: "modal",
        callback_id: "scim_setup_link_modal",
        private_metadata: (form.args.view as { private_metadata: string }).private_metadata,
        state: {
          values: {
            setup_link_email: { value: { type: "email_text_input", value: "it@acme.com" } },
          },
        },
      },
    });
    expect(sent.body).toMatch(/Descope e-mailed \*it@acme\.com\* a link/);
    expect(a.descope.adminLinks).toEqual([
      { tenantId: "T-acme", expireTime: 86_400, email: "it@acme.com" },
    ]);

    // Where people look: /scim activity, App Home (admins).
    const act = await a.command("activity Acme Corp", { user: "UADMIN" });
    const actMsg = await a.slack.waitFor(() => a.slack.respondedTo(act.rid)[0]);
    expect(JSON.stringify(actMsg.body)).toContain("SCIM key expires 2026-12-16 (in 10 days)");
    const before = a.slack.callsTo("views.publish").length;
    await a.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" });
    const home = await a.slack.waitFor(() => a.slack.callsTo("views.publish")[before]);
    const homeText = textsOf((home.args.view as { blocks: unknown }).blocks).join("\n");
    expect(homeText).toMatch(/SCIM keys\* \(3\)/);
    expect(homeText).toMatch(/\*Acme Corp\* — SCIM key expires 2026-12-16 \(in 10 days\)/);
    expect(homeText).toMatch(/\*Globex\* — no usable SCIM key \(2 deactivated or expired\)/);

    // A fresh process on the same Redis (a restart): nothing again.
    const c = await start(prefix);
    await c.runtime.keyWatchOnce();
    expect(alertsIn([a, b, c])).toHaveLength(4);

    // Four days later: the 7-day threshold, once.
    t = START + 4 * DAY;
    await c.runtime.keyWatchOnce();
    await b.runtime.keyWatchOnce();
    alerts = alertsIn([a, b, c]);
    const second = alerts.filter((x) => /Acme Corp/.test(x.all) && /in 6 days/.test(x.all));
    expect(second).toHaveLength(1);
    expect(alerts).toHaveLength(5);

    // The key is renewed (a later expiry): said once, in the warning's thread.
    for (const h of [b, c])
      (h.descope.scimKeys["T-acme"]?.[0]?.key as { expireTime: number }).expireTime = Math.floor(
        (START + 400 * DAY) / 1000,
      );
    await c.runtime.keyWatchOnce();
    await b.runtime.keyWatchOnce();
    const renewals = [b, c].flatMap((h) =>
      h.slack
        .callsTo("chat.postMessage")
        .filter((x) => /Renewed/.test(`${x.args.text}\n${textsOf(x.args.blocks).join("\n")}`)),
    );
    expect(renewals).toHaveLength(1);
    expect(renewals[0]?.args.thread_ts).toBeTruthy();
    expect(renewals[0]?.args.channel).toBe("CALERTS");

    // /metrics: keys expiring within the first threshold (14 days), expired ones included.
    const metrics = await (await fetch(`${c.url}/metrics`)).text();
    expect(metrics).toMatch(/^scimwatch_scim_keys_expiring 1$/m);
  }, 60_000);
});
