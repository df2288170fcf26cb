/**
 * Leavers through the real bot, from every source: `/scim leaver`, the
 * signed webhook's `leavers` array, and `scimwatch leave --file`. The
 * offboarding checklist ticks from Descope's user record and Entra's side
 * (a loopback Graph); someone still enabled after their last day plus the
 * IdP's window is alerted once, naming what the IdP did; the alert is
 * resolved in its thread when Descope deactivates them.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, ENTRA_SAML, user } from "../fakes/builders.js";
import { descopeApp, entraUser, FakeEntra } from "../fakes/entra.js";
import { webhookHeaders } from "../fakes/hris.js";
import { botCliEnv, type Harness, startHarness, textsOf } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
const SECRET = "webhook-secret-0123456789abcdef";
const entra = new FakeEntra();
let h: Harness;
const DAY = 86_400_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const WEEK_AGO = date(Date.now() - 7 * DAY);
const NEXT_WEEK = date(Date.now() + 7 * DAY);

beforeAll(async () => {
  await entra.start();
  const u = entraUser;
  entra.tenants[TENANT] = {
    users: [u("u-ana", "ana@acme.com"), u("u-ola", "ola@acme.com"), u("u-fin", "fin@acme.com")],
    groups: [{ id: "g-all", displayName: "All Employees", members: ["u-ana", "u-fin"] }],
    sps: [
      descopeApp("sp-d", "aaaaaaaa-1111-2222-3333-444444444444", [
        { id: "g-all", name: "All Employees" },
      ]),
    ],
    logs: [],
  };
  entra.consented.add(TENANT);
  h = await startHarness(
    {
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      SCIMWATCH_WEBHOOK_SECRET: SECRET,
      ...entra.env(),
    },
    (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme" });
      d.sso["T-acme"] = { saml: ENTRA_SAML };
      const acme = { tenantId: "T-acme", tenantName: "Acme" };
      for (const l of ["ana", "ola", "fin", "web", "csv", "rem"])
        d.users.push(user({ loginId: `${l}@acme.com`, ...acme }));
    },
  );
  const r = await h.command("connect Acme entra app=Descope", {
    user: "UADMIN",
    channel: "CSUPPORT",
  });
  await h.slack.waitFor(() =>
    h.slack.respondedTo(r.rid).find((x) => /is connected/.test(JSON.stringify(x.body))),
  );
});
afterAll(async () => {
  await h.stop();
  await entra.stop();
});

const posts = (channel: string, re: RegExp) =>
  h.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === channel && re.test(String(c.args.text)));
const blocksOf = (c: { args: Record<string, unknown> }) =>
  textsOf(c.args.blocks as never).join("\n");
async function reply(cmd: string, user = "UADMIN", channel = "CSUPPORT") {
  const r = await h.command(cmd, { user, channel });
  return JSON.stringify((await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body);
}

describe("leavers", () => {
  it("/scim leaver: still assigned and enabled after the last day → one alert naming what Entra did; resolved when Descope deactivates them", async () => {
    expect(await reply(`leaver ana@acme.com Acme last=${WEEK_AGO}`)).toMatch(
      /Watching `ana@acme.com` leave \*Acme\*/,
    );
    const checklist = await h.slack.waitFor(
      () => posts("CSUPPORT", /^Offboarding ana@acme.com/)[0],
    );
    expect(String(checklist.args.text)).toMatch(/still enabled/);
    expect(blocksOf(checklist)).toMatch(/:x: Removed in Microsoft Entra ID/);
    expect(blocksOf(checklist)).toMatch(/:x: Deactivated or deleted in Descope/);
    const alert = await h.slack.waitFor(() => posts("CALERTS", /ana@acme.com left Acme/)[0]);
    expect(blocksOf(alert)).toMatch(/still assigned to the Descope app|still assigned to/);
    expect(blocksOf(alert)).toMatch(/group \*assigned\* to .*not only from a role-mapped group/);
    // Said once.
    await h.runtime.notifyOnce();
    expect(posts("CALERTS", /ana@acme.com left Acme/)).toHaveLength(1);
    // Entra removes her, Descope deactivates her: ticked, resolved in the alert's thread.
    entra.tenants[TENANT]?.groups[0]?.members.splice(0, 1);
    const ana = h.descope.users.find((x) => x.loginIds[0] === "ana@acme.com");
    if (ana) ana.status = "disabled";
    // The audit tail sees Descope's UserModified: she is read again at once (not in 5 minutes).
    h.descope.audits.push(
      auditEvent("UserModified", {
        at: Date.now(),
        loginId: "ana@acme.com",
        userId: ana?.userId ?? "",
        tenant: "T-acme",
      }),
    );
    await h.runtime.tailOnce();
    const resolved = await h.slack.waitFor(
      () => posts("CALERTS", /ana@acme.com is now deactivated/)[0],
    );
    expect(resolved.args.thread_ts).toBe(alert.result?.ts);
    const edit = h.slack
      .callsTo("chat.update")
      .filter((c) => c.args.ts === checklist.result?.ts)
      .at(-1);
    expect(String(edit?.args.text)).toMatch(/: gone$/);
    expect(blocksOf(edit as never)).toMatch(/:white_check_mark: Removed in Microsoft Entra ID/);
    // Done: no longer watched.
    expect(await reply("pending Acme")).not.toMatch(/ana@acme.com/);
  });

  it("out of scope but never deprovisioned: the alert says Entra skipped them", async () => {
    await reply(`leaver ola@acme.com Acme last=${WEEK_AGO}`);
    const alert = await h.slack.waitFor(() => posts("CALERTS", /ola@acme.com left Acme/)[0]);
    expect(blocksOf(alert)).toMatch(
      /out of .* scope, but Microsoft Entra ID did not deprovision them/,
    );
    expect(blocksOf(alert)).toMatch(/Skip out of scope deletions/);
  });

  it("a last day ahead: a checklist, no alert; listed in /scim pending beside hires", async () => {
    await reply(`leaver fin@acme.com Acme last=${NEXT_WEEK}`);
    const c = await h.slack.waitFor(() => posts("CSUPPORT", /^Offboarding fin@acme.com/)[0]);
    expect(String(c.args.text)).toMatch(/waiting/);
    expect(posts("CALERTS", /fin@acme.com left/)).toHaveLength(0);
    const p = await reply("pending Acme");
    expect(p).toMatch(/Leavers in Acme/);
    expect(p).toMatch(/fin@acme.com/);
    // A member in an unlinked channel who registered nothing sees no one's leavers.
    expect(await reply("pending", "UMEMBER", "CRANDOM")).not.toMatch(/fin@acme.com/);
    expect(await reply(`leaver fin@acme.com Acme last=${NEXT_WEEK}`)).toMatch(/already watched/);
    expect(await reply("leaver fin@acme.com Acme last=tomorrow")).toMatch(
      /Not registered.*last day is not a date/,
    );
  });

  it("the webhook's leavers array: stored, answered at once, the checklist follows", async () => {
    const body = JSON.stringify({
      tenant: "Acme",
      leavers: [
        { email: "web@acme.com", name: "Web Leaver", lastDay: `${WEEK_AGO}T17:00:00+01:00` },
        { email: "bad", lastDay: WEEK_AGO },
        { email: "late@acme.com", lastDay: "2026-12-01T17:00:00" },
      ],
    });
    const r = await fetch(`${h.url}/hooks/hires`, {
      method: "POST",
      body,
      headers: webhookHeaders(SECRET, body, { key: "lv-1" }),
    });
    expect(r.status).toBe(200);
    const j = (await r.json()) as {
      registered: number;
      leavers: { registered: number; rejected: Array<{ input: string; reason: string }> };
    };
    expect(j.registered).toBe(0);
    expect(j.leavers.registered).toBe(1);
    expect(j.leavers.rejected.map((x) => x.input).sort()).toEqual(["bad", "late@acme.com"]);
    // The checklist goes to the tenant's channel (here the alert channel).
    await h.slack.waitFor(() => posts("CALERTS", /^Offboarding web@acme.com/)[0]);
    // The same call again registers nothing twice.
    const again = await fetch(`${h.url}/hooks/hires`, {
      method: "POST",
      body,
      headers: webhookHeaders(SECRET, body, { key: "lv-1" }),
    });
    expect(((await again.json()) as { leavers: { registered: number } }).leavers.registered).toBe(
      1,
    );
    expect(posts("CALERTS", /^Offboarding web@acme.com/)).toHaveLength(1);
  });

  it("auto-expect: someone removed from the app's assigned group in Entra becomes a leaver", async () => {
    expect(await reply("autoexpect Acme on")).toMatch(/on/i);
    (entra.tenants[TENANT] as { audits?: unknown[] }).audits = [
      {
        id: "a-rem",
        activityDateTime: new Date(Date.now() - 10 * 60_000).toISOString(),
        activityDisplayName: "Remove member from group",
        result: "success",
        targetResources: [
          { id: "u-fin", type: "User", userPrincipalName: "rem@acme.com" },
          { id: "g-all", displayName: "All Employees", type: "Group" },
        ],
      },
      {
        id: "a-other",
        activityDateTime: new Date(Date.now() - 9 * 60_000).toISOString(),
        activityDisplayName: "Remove member from group",
        result: "success",
        targetResources: [
          { id: "u-x", type: "User", userPrincipalName: "elsewhere@acme.com" },
          { id: "g-other", displayName: "Not assigned", type: "Group" },
        ],
      },
    ];
    await h.redis.del(`${h.prefix}:budget:graph-reports:${TENANT}`);
    await h.runtime.tailOnce();
    const c = await h.slack.waitFor(() => posts("CALERTS", /^Offboarding rem@acme.com/)[0]);
    expect(String(c.args.text)).toMatch(/waiting/);
    expect(blocksOf(c)).toMatch(/Registered by idp:entra/);
    expect(posts("CALERTS", /^Offboarding elsewhere@acme.com/)).toHaveLength(0);
    // One read served joins and removals.
    const reads = entra.calls.filter((x) => x.route === "audits").at(-1);
    expect(decodeURIComponent(reads?.url ?? "")).toMatch(
      /Add member to group' or activityDisplayName eq 'Remove member from group/,
    );
    await reply("autoexpect Acme off");
  });

  it("scimwatch leave --file: registered from a CSV, its checklist posted and the leaver still enabled alerted", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leave-"));
    const file = join(dir, "leavers.csv");
    writeFileSync(file, `email,name,last_day\ncsv@acme.com,Csv Leaver,${WEEK_AGO}\nnope,,\n`);
    const env = botCliEnv(h, {
      // The bot's settings, as the operator's .env holds them: its alerts go where the bot's go.
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
    });
    const out = await promisify(execFile)(
      process.execPath,
      [CLI, "leave", "--tenant", "Acme", "--file", file, "--channel", "CONBOARD", "--json"],
      { env, cwd: tmpdir() },
    );
    const j = JSON.parse(out.stdout) as { registered: number; rejected: unknown[] };
    expect(j.registered).toBe(1);
    expect(j.rejected).toHaveLength(1);
    await h.runtime.notifyOnce();
    const c = await h.slack.waitFor(() => posts("CONBOARD", /^Offboarding csv@acme.com/)[0]);
    expect(blocksOf(c)).toMatch(/Csv Leaver/);
    await h.slack.waitFor(() => posts("CALERTS", /csv@acme.com left Acme/)[0]);
  });
});
