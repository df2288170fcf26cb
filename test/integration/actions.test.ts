/**
 * Fix it from Slack, through the real bot: write access granted per tenant
 * (after the customer's admin consents to the write app), "Push now" on an
 * answer where it fits, a request that shows exactly what will be called,
 * approved by an approver who is not the requester, carried out once
 * whoever clicks twice, recorded in the request's thread with Entra's steps
 * and the verdict after. Declined, expired, refused without write access,
 * and caught up after a stop between approval and call.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIX_ACTIONS } from "../../src/render/ids.js";
import { ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import { descopeApp, entraUser, FakeEntra } from "../fakes/entra.js";
import { buttonValue, type Harness, patchAction, startHarness, textsOf } from "../helpers.js";

const TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const entra = new FakeEntra();
let h: Harness;

beforeAll(async () => {
  await entra.start();
  const u = entraUser;
  entra.tenants[TENANT] = {
    users: [u("u-ben", "ben@acme.com"), u("u-cat", "cat@acme.com"), u("u-dan", "dan@acme.com")],
    groups: [{ id: "g-all", displayName: "All Employees", members: ["u-ben", "u-cat", "u-dan"] }],
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
      SCIMWATCH_APPROVERS: "UAPPROVER",
      ...entra.env({ write: true }),
    },
    (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme" });
      d.sso["T-acme"] = { saml: ENTRA_SAML };
    },
  );
  const r = await h.command("connect Acme entra app=Descope", {
    user: "UADMIN",
    channel: "CSUPPORT",
  });
  await h.slack.waitFor(() =>
    h.slack.respondedTo(r.rid).find((x) => /is connected/.test(JSON.stringify(x.body))),
  );
  // Entra's push, when provision on demand is called: the user appears in Descope.
  entra.onProvision = (id) => {
    const upn = entra.tenants[TENANT]?.users.find((x) => x.id === id)?.userPrincipalName ?? "";
    h.descope.users.push(user({ loginId: upn, tenantId: "T-acme", tenantName: "Acme" }));
    h.descope.audits.push(
      scimEvent({ at: Date.now(), loginId: upn, tenant: "T-acme", scimAction: "CreateUser" }),
    );
  };
});
afterAll(async () => {
  await h.stop();
  await entra.stop();
});

async function reply(cmd: string, userId = "UADMIN", channel = "CSUPPORT") {
  const r = await h.command(cmd, { user: userId, channel });
  return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as Record<
    string,
    unknown
  >;
}
const all = (b: Record<string, unknown>) => `${b.text}\n${textsOf(b.blocks as never).join("\n")}`;
/** The fix button's value on a check answer, or undefined. */
const fixValue = (b: Record<string, unknown>) => buttonValue(b.blocks, FIX_ACTIONS.request);
async function click(action: string, value: string, userId: string) {
  const { rid } = await h.click(action, value, { user: userId, channel: "CSUPPORT" });
  return h.slack
    .waitFor(() => h.slack.respondedTo(rid)[0]?.body as Record<string, unknown> | undefined, 15_000)
    .catch(() => undefined);
}
const requests = () =>
  h.slack
    .callsTo("chat.postMessage")
    .filter((c) => /Entra: provision on demand for/.test(String(c.args.text)));
async function requestFor(login: string): Promise<{ id: string; ts: string }> {
  const answer = await reply(`check ${login} Acme`, "UREQ");
  const v = fixValue(answer);
  if (!v) throw new Error(`no fix button: ${all(answer)}`);
  const before = requests().length;
  await click(FIX_ACTIONS.request, v, "UREQ");
  const req = await h.slack.waitFor(() => requests()[before]);
  const id = buttonValue(req.args.blocks, FIX_ACTIONS.approve) as string;
  return { id, ts: String(req.result?.ts) };
}

describe("fix it from Slack", () => {
  it("no button without write access; granting it needs the customer's consent to the write app", async () => {
    expect(fixValue(await reply("check ben@acme.com Acme", "UREQ"))).toBeUndefined();
    expect(all(await reply("write Acme on", "UREQ"))).toMatch(/Only scimwatch admins/);
    const missing = all(await reply("write Acme on"));
    expect(missing).toMatch(/not granted yet/);
    expect(missing).toMatch(new RegExp(`adminconsent\\?client_id=${entra.writeClientId}`));
    entra.writeConsented.add(TENANT);
    expect(all(await reply("connections"))).toMatch(/Actions:_ none: write access is not granted/);
    expect(all(await reply("write Acme on"))).toMatch(/Write access for \*Acme\* is on/);
    expect(all(await reply("connections"))).toMatch(
      /Actions:_ push now \(Entra provision on demand\)/,
    );
  });

  it("push now: requested, refused to the requester and non-approvers, approved once, recorded with the steps and the verdict after", async () => {
    const { id, ts } = await requestFor("ben@acme.com");
    const req = requests().at(-1);
    expect(all(req?.args as never)).toMatch(
      /What will be called:\* POST \/servicePrincipals\/sp-d\/synchronization\/jobs\/scim\.job\/provisionOnDemand for `?ben@acme.com/,
    );
    expect(all((await click(FIX_ACTIONS.approve, id, "UREQ")) ?? {})).toMatch(/You asked for this/);
    expect(all((await click(FIX_ACTIONS.approve, id, "UOTHER")) ?? {})).toMatch(/Only an approver/);
    expect(entra.writes).toHaveLength(0);
    // Two approvals at once (a double click, two replicas): one call.
    await Promise.all([
      click(FIX_ACTIONS.approve, id, "UAPPROVER"),
      click(FIX_ACTIONS.approve, id, "UAPPROVER"),
    ]);
    const record = await h.slack.waitFor(
      () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === ts),
      15_000,
    );
    expect(entra.writes.filter((w) => w.route === "provision")).toHaveLength(1);
    const body = entra.writes[0]?.body as {
      parameters: Array<{ ruleId: string; subjects: Array<{ objectId: string }> }>;
    };
    expect(body.parameters[0]).toEqual({
      ruleId: "rule-users",
      subjects: [{ objectId: "u-ben", objectTypeName: "User" }],
    });
    const text = textsOf(record.args.blocks as never).join("\n");
    expect(text).toMatch(/asked by <@UREQ> · approved by <@UAPPROVER>/);
    expect(text).toMatch(/Export: Success/);
    expect(text).toMatch(/Verdict after:\* Provisioned/);
    const edits = h.slack.callsTo("chat.update").filter((c) => c.args.ts === ts);
    expect(String(edits.at(-1)?.args.text)).toMatch(/: done$/);
    expect(all((await click(FIX_ACTIONS.approve, id, "UAPPROVER")) ?? {})).toMatch(
      /already decided/,
    );
  });

  it("declined: nothing is called; an expired request cannot be approved", async () => {
    const writes = entra.writes.length;
    const d = await requestFor("cat@acme.com");
    await click(FIX_ACTIONS.decline, d.id, "UAPPROVER");
    expect(all((await click(FIX_ACTIONS.approve, d.id, "UAPPROVER")) ?? {})).toMatch(
      /already decided/,
    );
    const e = await requestFor("cat@acme.com");
    const _key = `${h.prefix}:action:${e.id}`;
    await patchAction(h, e.id, { expiresAt: Date.now() - 1 });
    expect(all((await click(FIX_ACTIONS.approve, e.id, "UAPPROVER")) ?? {})).toMatch(/expired/);
    expect(entra.writes).toHaveLength(writes);
  });

  it("a stop between approval and call: the next sweep calls once; a call cut short is not repeated", async () => {
    const a = await requestFor("cat@acme.com");
    // The approval was stored, then the process died before the call.
    await patchAction(h, a.id, {
      state: "approved",
      decidedBy: "UAPPROVER",
      decidedAt: Date.now(),
    });
    const writes = entra.writes.length;
    await h.runtime.notifyOnce();
    await h.runtime.notifyOnce();
    expect(entra.writes.length - writes).toBe(1);
    // Another: the process died during the call (running for minutes): interrupted, never sent again.
    const b = await requestFor("dan@acme.com");
    const kb = `${h.prefix}:action:${b.id}`;
    await patchAction(h, b.id, {
      state: "running",
      decidedBy: "UAPPROVER",
      startedAt: Date.now() - 600_000,
    });
    const w2 = entra.writes.length;
    await h.runtime.notifyOnce();
    expect(entra.writes.length).toBe(w2);
    expect(JSON.parse((await h.redis.get(kb)) ?? "{}").state).toBe("interrupted");
    const note = await h.slack.waitFor(() =>
      h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === b.ts),
    );
    expect(textsOf(note.args.blocks as never).join("\n")).toMatch(/not sent again/);
    // Counted like every other outcome.
    expect(await (await fetch(`${h.url}/metrics`)).text()).toMatch(
      /scimwatch_actions_total\{kind="push_now",outcome="interrupted"\} 1/,
    );
  });

  it("restart a quarantined job: the quarantine is the cause shown; approved, restarted once", async () => {
    const job = entra.tenants[TENANT]?.sps[0]?.jobs[0] as { status: Record<string, unknown> };
    const before = job.status;
    job.status = {
      code: "Quarantine",
      quarantine: {
        reason: "EncounteredQuarantineException",
        error: { message: "401 Unauthorized: the access key has expired" },
      },
    };
    try {
      const answer = await reply("check cat@acme.com Acme", "UREQ");
      expect(all(answer)).toMatch(/in quarantine/);
      const v = fixValue(answer) as string;
      expect(JSON.parse(v).k).toBe("restart_job");
      const n = h.slack.callsTo("chat.postMessage").length;
      await click(FIX_ACTIONS.request, v, "UREQ");
      const req = await h.slack.waitFor(() =>
        h.slack
          .callsTo("chat.postMessage")
          .slice(n)
          .find((c) => /restart the provisioning job/.test(String(c.args.text))),
      );
      expect(all(req.args as never)).toMatch(/jobs\/scim\.job\/restart with empty criteria/);
      expect(all(req.args as never)).toMatch(
        /in quarantine \(EncounteredQuarantineException\): 401 Unauthorized/,
      );
      const id = buttonValue(req.args.blocks, FIX_ACTIONS.approve) as string;
      await Promise.all([
        click(FIX_ACTIONS.approve, id, "UAPPROVER"),
        click(FIX_ACTIONS.approve, id, "UAPPROVER"),
      ]);
      await h.slack.waitFor(
        () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === req.result?.ts),
        15_000,
      );
      const restarts = entra.writes.filter((w) => w.route === "restart");
      expect(restarts).toHaveLength(1);
      expect(restarts[0]?.body).toEqual({ criteria: {} });
      // The same rules for a restart: the requester, a decline, an expiry, a stop before the call.
      const ask = async () => {
        const m = h.slack.callsTo("chat.postMessage").length;
        await click(FIX_ACTIONS.request, v, "UREQ");
        const r = await h.slack.waitFor(() =>
          h.slack
            .callsTo("chat.postMessage")
            .slice(m)
            .find((c) => /restart the provisioning job/.test(String(c.args.text))),
        );
        return buttonValue(r.args.blocks, FIX_ACTIONS.approve) as string;
      };
      const d = await ask();
      expect(all((await click(FIX_ACTIONS.approve, d, "UREQ")) ?? {})).toMatch(
        /You asked for this/,
      );
      expect(all((await click(FIX_ACTIONS.decline, d, "UAPPROVER")) ?? {})).toMatch(/Declined/);
      const e = await ask();
      await patchAction(h, e, { expiresAt: Date.now() - 1 });
      expect(all((await click(FIX_ACTIONS.approve, e, "UAPPROVER")) ?? {})).toMatch(/expired/);
      expect(entra.writes.filter((w) => w.route === "restart")).toHaveLength(1);
      const s = await ask();
      await patchAction(h, s, { state: "approved", decidedBy: "UAPPROVER", decidedAt: Date.now() });
      await h.runtime.notifyOnce();
      await h.runtime.notifyOnce();
      expect(entra.writes.filter((w) => w.route === "restart")).toHaveLength(2);
    } finally {
      job.status = before;
    }
  });

  it("without write access the request is refused, even with a crafted button", async () => {
    await reply("write Acme off");
    const v = JSON.stringify({ k: "push_now", t: "T-acme", l: "cat@acme.com" });
    expect(all((await click(FIX_ACTIONS.request, v, "UREQ")) ?? {})).toMatch(
      /Not asked: write access is not granted/,
    );
  });

  it("scimwatch act: --dry-run prints the call, no --yes sends nothing, --yes calls once; a refused write app exits 1 without its secret", async () => {
    const env = {
      PATH: process.env.PATH ?? "",
      ...entra.env({ write: true }),
    };
    const act = (args: string[], extra: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [CLI, "act", ...args], {
        env: { ...env, ...extra },
        cwd: tmpdir(),
      })
        .then((r) => ({ code: 0, ...r }))
        .catch((e: { code: number; stdout: string; stderr: string }) => e);
    const base = [
      "push-now",
      "--entra-tenant",
      TENANT,
      "--entra-app",
      "Descope",
      "--login",
      "cat@acme.com",
    ];
    const writes = entra.writes.length;
    const dry = await act([...base, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /Would call: POST \/servicePrincipals\/sp-d\/synchronization\/jobs\/scim\.job\/provisionOnDemand for cat@acme.com/,
    );
    const unsure = await act(base);
    expect(unsure.code).toBe(2);
    expect(unsure.stderr).toMatch(/add --yes/);
    expect(entra.writes.length).toBe(writes);
    const yes = await act([...base, "--yes"]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/Export: Success/);
    expect(entra.writes.length).toBe(writes + 1);
    const refused = await act([...base, "--yes", "--json"], {
      ENTRA_WRITE_CLIENT_SECRET: "wrong-write-secret-value",
    });
    expect(refused.code).toBe(1);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain("wrong-write-secret-value");
    expect(entra.writes.length).toBe(writes + 1);
  });

  it("SCIM key rotation: a new key (the old stays valid), its token shown once to the approver only; then the old keys revoked as deactivated", async () => {
    h.descope.scimKeys["T-acme"] = [
      {
        key: {
          id: "K-old",
          name: "entra",
          status: "active",
          expireTime: Math.floor((Date.now() + 3 * 86_400_000) / 1000),
          createdTime: 1,
        },
      },
    ];
    await h.runtime.keyWatchOnce();
    const alert = await h.slack.waitFor(() =>
      h.slack
        .callsTo("chat.postMessage")
        .find(
          (c) => c.args.channel === "CALERTS" && /SCIM key entra expires/.test(String(c.args.text)),
        ),
    );
    const v = buttonValue(alert.args.blocks, FIX_ACTIONS.request);
    expect(v).toBeDefined();
    const before = h.slack.callsTo("chat.postMessage").length;
    await h.click(FIX_ACTIONS.request, v as string, { user: "UREQ", channel: "CALERTS" });
    const req = await h.slack.waitFor(() =>
      h.slack
        .callsTo("chat.postMessage")
        .slice(before)
        .find((c) => /a new SCIM key/.test(String(c.args.text))),
    );
    const id = buttonValue(req.args.blocks, FIX_ACTIONS.approve) as string;
    const { rid } = await h.click(FIX_ACTIONS.approve, id, {
      user: "UAPPROVER",
      channel: "CALERTS",
    });
    const shown = JSON.stringify((await h.slack.waitFor(() => h.slack.respondedTo(rid)[0])).body);
    const created = h.descope.createdKeys.at(-1);
    expect(created).toBeDefined();
    expect(shown).toContain(created?.cleartext);
    // The old key stays valid until the IdP works with the new one.
    expect(h.descope.scimKeys["T-acme"]?.find((k) => k.key.id === "K-old")?.key.status).toBe(
      "active",
    );
    const record = await h.slack.waitFor(
      () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === req.result?.ts),
      15_000,
    );
    // Never in the record, the request, the logs or the metrics.
    const everywhere = [
      JSON.stringify(h.slack.callsTo("chat.postMessage").map((c) => c.args)),
      JSON.stringify(h.slack.callsTo("chat.update").map((c) => c.args)),
      h.logs.join(""),
      await (await fetch(`${h.url}/metrics`)).text(),
      JSON.stringify(await h.redis.get(`${h.prefix}:action:${id}`)),
    ].join("\n");
    expect(everywhere).not.toContain(created?.cleartext);
    // The second, approved step: the old keys deactivated (restorable), the new one kept.
    const revoke = buttonValue(record.args.blocks, FIX_ACTIONS.request) as string;
    const b2 = h.slack.callsTo("chat.postMessage").length;
    await h.click(FIX_ACTIONS.request, revoke, { user: "UREQ", channel: "CALERTS" });
    const req2 = await h.slack.waitFor(() =>
      h.slack
        .callsTo("chat.postMessage")
        .slice(b2)
        .find((c) => /revoke the old SCIM keys/.test(String(c.args.text))),
    );
    await h.click(
      FIX_ACTIONS.approve,
      buttonValue(req2.args.blocks, FIX_ACTIONS.approve) as string,
      {
        user: "UAPPROVER",
        channel: "CALERTS",
      },
    );
    await h.slack.waitFor(
      () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === req2.result?.ts),
      15_000,
    );
    const keys = h.descope.scimKeys["T-acme"] ?? [];
    expect(keys.find((k) => k.key.id === "K-old")?.key.status).toBe("inactive");
    expect(keys.find((k) => k.key.id === created?.id)?.key.status).toBe("active");
    // A rotation approved just before a stop is never carried out unseen: its token could be shown to nobody.
    const b3 = h.slack.callsTo("chat.postMessage").length;
    await h.click(FIX_ACTIONS.request, v as string, { user: "UREQ", channel: "CALERTS" });
    const req3 = await h.slack.waitFor(
      () =>
        h.slack
          .callsTo("chat.postMessage")
          .slice(b3)
          .find((c) => /a new SCIM key/.test(String(c.args.text))),
      15_000,
    );
    const id3 = buttonValue(req3.args.blocks, FIX_ACTIONS.approve) as string;
    const k3 = `${h.prefix}:action:${id3}`;
    await patchAction(h, id3, { state: "approved", decidedBy: "UAPPROVER" });
    const createdBefore = h.descope.createdKeys.length;
    await h.runtime.notifyOnce();
    expect(JSON.parse((await h.redis.get(k3)) ?? "{}").state).toBe("interrupted");
    expect(h.descope.createdKeys).toHaveLength(createdBefore);
    // Said where it was asked: before the call, nothing was sent; the record says to ask again.
    const note3 = await h.slack.waitFor(() =>
      h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === req3.result?.ts),
    );
    expect(textsOf(note3.args.blocks as never).join("\n")).toMatch(/Ask again/);
    const edit3 = h.slack.callsTo("chat.update").filter((c) => c.args.ts === req3.result?.ts);
    expect(textsOf(edit3.at(-1)?.args.blocks as never).join("\n")).toMatch(
      /stopped before the call: nothing was sent/,
    );
  });
});
