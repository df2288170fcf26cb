/**
 * Reconciliation through the real bot: `/scim reconcile` queues a run (BullMQ,
 * real Redis) that reads Descope's users and Entra's scope from loopback
 * fakes, shows its progress in the channel, answers with the counts and the
 * first rows, shares the whole list as CSV in the thread, and alerts orphans
 * once per person per episode. One run per tenant at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRA_SAML, user } from "../fakes/builders.js";
import { FakeEntra } from "../fakes/entra.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
const SP = "sp-descope";
const entra = new FakeEntra();
let h: Harness;
const u = (id: string, upn: string, accountEnabled = true) => ({
  id,
  userPrincipalName: upn,
  mail: upn,
  accountEnabled,
});

function seedEntra() {
  entra.tenants[TENANT] = {
    users: [
      u("u-ana", "ana@acme.com"),
      u("u-miss", "miss@acme.com"),
      u("u-new", "new@acme.com"),
      u("u-old", "old@acme.com"),
      u("u-nest", "nest@acme.com"),
      u("u-sal", "sal@acme.com"),
      u("u-dis", "dis@acme.com", false),
      u("u-sus", "sus@acme.com"),
      u("u-jit", "jit@acme.com"),
      u("u-left", "left@acme.com"),
    ],
    groups: [
      {
        id: "g-all",
        displayName: "All Employees",
        members: ["u-ana", "u-miss", "u-dis", "u-sus", "u-jit", "g-team"],
      },
      { id: "g-team", displayName: "Team A", members: ["u-nest"] },
      { id: "g-sales", displayName: "Sales list", securityEnabled: false, members: ["u-sal"] },
    ],
    sps: [
      {
        id: SP,
        appId: "aaaaaaaa-1111-2222-3333-444444444444",
        displayName: "Descope",
        assignments: [
          {
            principalId: "g-all",
            principalType: "Group",
            principalDisplayName: "All Employees",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
          {
            principalId: "g-sales",
            principalType: "Group",
            principalDisplayName: "Sales list",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
          {
            principalId: "u-old",
            principalType: "User",
            principalDisplayName: "Old",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
          {
            principalId: "u-new",
            principalType: "User",
            principalDisplayName: "New",
            createdDateTime: new Date(Date.now() - 5 * 60_000).toISOString(),
          },
        ],
        jobs: [
          {
            id: "scim.job",
            schedule: { interval: "PT40M", state: "Active" },
            status: { code: "Active", steadyStateFirstAchievedTime: "2026-01-02T00:00:00Z" },
          },
        ],
      },
    ],
    logs: [],
  };
  entra.consented.add(TENANT);
}

beforeAll(async () => {
  await entra.start();
  seedEntra();
  h = await startHarness(
    {
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      ...entra.env(),
    },
    (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme" }, { id: "T-beta", name: "Beta" });
      d.sso["T-acme"] = { saml: ENTRA_SAML };
      const acme = { tenantId: "T-acme", tenantName: "Acme" };
      d.users.push(
        user({ loginId: "ana@acme.com", ...acme }),
        user({ loginId: "dis@acme.com", ...acme }),
        user({ loginId: "sus@acme.com", ...acme, status: "disabled" }),
        user({ loginId: "jit@acme.com", ...acme, scim: false }),
        user({ loginId: "left@acme.com", ...acme }),
        user({ loginId: "gone@acme.com", ...acme, status: "disabled" }),
        user({ loginId: "b1@beta.com", tenantId: "T-beta", tenantName: "Beta" }),
        user({ loginId: "b2@beta.com", tenantId: "T-beta", tenantName: "Beta", scim: false }),
      );
    },
    { role: "all" },
  );
  const r = await h.command("connect Acme entra app=Descope", {
    user: "UADMIN",
    channel: "CSUPPORT",
  });
  await h.slack.waitFor(() =>
    h.slack.respondedTo(r.rid).find((x) => /is connected/i.test(JSON.stringify(x.body))),
  );
});
afterAll(async () => {
  await h.stop();
  await entra.stop();
});

const updatesOf = (ts: string) =>
  h.slack
    .callsTo("chat.update")
    .filter((c) => c.args.ts === ts)
    .map((c) => ({
      text: String(c.args.text),
      blocks: textsOf(c.args.blocks as never).join("\n"),
    }));

/** Runs `/scim reconcile <tenant>` and waits for its answer (the progress message's last edit). */
async function reconcile(tenant: string, channel = "CSUPPORT", user = "UADMIN") {
  const posts = h.slack.callsTo("chat.postMessage").length;
  const r = await h.command(`reconcile ${tenant}`, { user, channel });
  const reply = await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
  const progress = await h.slack.waitFor(() =>
    h.slack
      .callsTo("chat.postMessage")
      .slice(posts)
      .find((c) => /^Reconciling/.test(String(c.args.text))),
  );
  const ts = String(progress.result?.ts);
  const done = await h.slack.waitFor(
    () => updatesOf(ts).find((x) => /^Reconciliation of/.test(x.text)),
    20_000,
  );
  return { reply, ts, done, progress };
}

describe("/scim reconcile", () => {
  it("answers every category from both sides, with the fix, and the whole list as CSV in the thread", async () => {
    const alertsBefore = h.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "CALERTS").length;
    const { reply, ts, done, progress } = await reconcile("Acme");
    expect(JSON.stringify(reply.body)).toMatch(/Reconciling \*Acme\*/);
    expect(progress.args.channel).toBe("CSUPPORT");
    expect(done.text).toBe(
      "Reconciliation of Acme: missing 3 · orphaned 2 · state_mismatch 1 · nested_only 1 · not_scim_managed 1 · pending 1 · in_sync 2",
    );
    expect(done.blocks).toMatch(/Missing from Descope: 3/);
    expect(done.blocks).toMatch(/`left@acme.com`: not in scope of Descope in Microsoft Entra ID/);
    expect(done.blocks).toMatch(/remove them from the group \*assigned\* to Descope/);
    expect(done.blocks).toMatch(/only in nested group Team A in All Employees/);
    const file = await h.slack.waitFor(() =>
      h.slack.files.find((f) => f.thread_ts === ts && f.completed),
    );
    expect(file.channel).toBe("CSUPPORT");
    expect(file.filename).toMatch(/^reconcile-Acme-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = file.content.trim().split("\r\n");
    expect(lines[0]).toBe("loginId,category,idpState,descopeState,fix");
    expect(lines).toHaveLength(12);
    expect(lines.find((l) => l.startsWith("sal@acme.com,"))).toMatch(
      /^sal@acme.com,missing,.*not security-enabled/,
    );
    expect(lines.find((l) => l.startsWith("new@acme.com,"))).toMatch(/,pending,/);
    expect(lines.find((l) => l.startsWith("dis@acme.com,"))).toMatch(/,orphaned,.*disabled/);
    // The orphans are alerted once, to the tenant's alert channel.
    const alerts = await h.slack.waitFor(() => {
      const a = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS");
      return a.length > alertsBefore ? a : undefined;
    });
    const alert = String(alerts.at(-1)?.args.text);
    expect(alert).toMatch(
      /2 people left Microsoft Entra ID but are still enabled in Descope \(Acme\)/,
    );
  });

  it("orphans are alerted once per person per episode, across runs", async () => {
    const alertsIn = () =>
      h.slack
        .callsTo("chat.postMessage")
        .filter(
          (c) =>
            c.args.channel === "CALERTS" && /still enabled in Descope/.test(String(c.args.text)),
        );
    const before = alertsIn().length;
    await reconcile("Acme");
    expect(alertsIn()).toHaveLength(before);
    // left@ is disabled in Descope: the episode ends. Re-enabled later: a new episode, one alert.
    const left = h.descope.users.find((x) => x.loginIds[0] === "left@acme.com");
    if (!left) throw new Error("seed");
    left.status = "disabled";
    await reconcile("Acme");
    expect(alertsIn()).toHaveLength(before);
    left.status = "enabled";
    await reconcile("Acme");
    await h.slack.waitFor(() => alertsIn().length === before + 1 || undefined);
    expect(String(alertsIn().at(-1)?.args.text)).toMatch(
      /^1 person left Microsoft Entra ID but is still enabled/,
    );
    expect(textsOf(alertsIn().at(-1)?.args.blocks as never).join("\n")).toMatch(/left@acme.com/);
    expect(textsOf(alertsIn().at(-1)?.args.blocks as never).join("\n")).not.toMatch(/dis@acme.com/);
  });

  it("without a connector: Descope's side only, and what a connector would add", async () => {
    const { done } = await reconcile("Beta");
    expect(done.text).toBe("Reconciliation of Beta: not_scim_managed 1 · unverified 1");
    expect(done.blocks).toMatch(/no IdP connector for this tenant/);
  });

  it("one run per tenant at a time", async () => {
    entra.delayMs = 150;
    try {
      const first = h.command("reconcile Acme", { user: "UADMIN", channel: "CSUPPORT" });
      const r1 = await first;
      await h.slack.waitFor(() => h.slack.respondedTo(r1.rid)[0]);
      const r2 = await h.command("reconcile Acme", { user: "UADMIN", channel: "CSUPPORT" });
      const second = await h.slack.waitFor(() => h.slack.respondedTo(r2.rid)[0]);
      expect(JSON.stringify(second.body)).toMatch(/already running .*one run per tenant at a time/);
      // It shows its progress while it reads.
      await h.slack.waitFor(
        () =>
          h.slack
            .callsTo("chat.update")
            .find((c) => /^Reconciling Acme: Reading (Entra|members)/.test(String(c.args.text))),
        20_000,
      );
    } finally {
      entra.delayMs = 0;
    }
    // It ends (the next test starts from a finished run).
    for (let i = 0; i < 200; i++) {
      const raw = await h.redis.get(`${h.prefix}:reconcile:T-acme:run`);
      if (raw && JSON.parse(raw).phase === "done") break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it("weekly across two replicas: one run per tenant, a new orphan alerted once", async () => {
    const h2 = await startHarness(
      {
        SCIMWATCH_ALERT_CHANNEL: "CALERTS",
        ...entra.env(),
      },
      (d) => {
        d.tenants.push({ id: "T-acme", name: "Acme" }, { id: "T-beta", name: "Beta" });
        d.users.push(...h.descope.users.map((x) => ({ ...x })));
      },
      { role: "all", prefix: h.prefix },
    );
    try {
      const fresh = user({ loginId: "newleft@acme.com", tenantId: "T-acme", tenantName: "Acme" });
      h.descope.users.push(fresh);
      h2.descope.users.push({ ...fresh });
      const orphanAlerts = () =>
        [h, h2].flatMap((x) =>
          x.slack
            .callsTo("chat.postMessage")
            .filter(
              (c) =>
                c.args.channel === "CALERTS" &&
                /newleft@acme.com/.test(JSON.stringify(c.args.blocks)),
            ),
        );
      const started = await Promise.all([h.runtime.reconcileAll(), h2.runtime.reconcileAll()]);
      // One connected tenant (Acme): one run between the two replicas.
      expect(started.reduce((a, b) => a + b, 0)).toBe(1);
      await h.slack.waitFor(() => orphanAlerts().length > 0 || undefined, 20_000);
      const run = async () =>
        JSON.parse((await h.redis.get(`${h.prefix}:reconcile:T-acme:run`)) ?? "{}");
      for (let i = 0; i < 200 && (await run()).phase !== "done"; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect((await run()).trigger).toBe("weekly");
      // The next week: the same orphan, same episode, no second alert.
      await Promise.all([h.runtime.reconcileAll(), h2.runtime.reconcileAll()]);
      for (let i = 0; i < 200 && (await run()).phase !== "done"; i++)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(orphanAlerts()).toHaveLength(1);
    } finally {
      await h2.stop().catch(() => {});
    }
  });

  it("only where the tenant may be seen: not in an unlinked channel for a member", async () => {
    const r = await h.command("reconcile Acme", { user: "UMEMBER", channel: "CRANDOM" });
    const ans = await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    expect(JSON.stringify(ans.body)).not.toMatch(/Reconciling/);
  });
});
