/**
 * The SCIM key rotation with Entra write access, through the real bot: from
 * the key alert, a request that names every call; approved (never by the
 * requester, once however many clicks), a new key that Entra validates
 * against Descope's SCIM address, saves as the job's secret and restarts
 * with, then the old keys deactivated (restorable) — the token seen by no
 * one. When Entra refuses the token: it goes once to the approver, the old
 * keys stay valid, and "Revoke the old keys" is offered. Declined and
 * expired requests create nothing.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FIX_ACTIONS } from "../../src/render/ids.js";
import { ENTRA_SAML } from "../fakes/builders.js";
import { descopeApp, entraUser, FakeEntra } from "../fakes/entra.js";
import {
  botCliEnv,
  buttonValue,
  type Harness,
  patchAction,
  startHarness,
  textsOf,
} from "../helpers.js";

// The Entra tenant ENTRA_SAML names (its issuer).
const TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const entra = new FakeEntra();
let h: Harness;

beforeAll(async () => {
  await entra.start();
  entra.tenants[TENANT] = {
    users: [entraUser("u-ben", "ben@acme.com")],
    groups: [{ id: "g-all", displayName: "All Employees", members: ["u-ben"] }],
    sps: [
      descopeApp("sp-r", "aaaaaaaa-1111-2222-3333-555555555555", [
        { id: "g-all", name: "All Employees" },
      ]),
    ],
    logs: [],
  };
  entra.consented.add(TENANT);
  entra.writeConsented.add(TENANT);
  h = await startHarness(
    {
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      SCIMWATCH_APPROVERS: "UAPPROVER,UAPPROVER2",
      ...entra.env({ write: true }),
    },
    (d) => {
      d.tenants.push({ id: "T-rot", name: "Rotacme" });
      d.sso["T-rot"] = { saml: ENTRA_SAML };
    },
  );
  for (const [cmd, done] of [
    ["connect Rotacme entra app=Descope", /is connected/],
    ["write Rotacme on", /Write access for \*Rotacme\* is on/],
  ] as const) {
    const r = await h.command(cmd, { user: "UADMIN", channel: "CSUPPORT" });
    await h.slack.waitFor(() =>
      h.slack.respondedTo(r.rid).find((x) => done.test(JSON.stringify(x.body))),
    );
  }
  // Entra reaches Descope with a token only if Descope issued it and it is still active.
  entra.acceptsToken = (token, base) => {
    const made = h.descope.createdKeys.find((k) => k.cleartext === token);
    const key = h.descope.scimKeys["T-rot"]?.find((k) => k.key.id === made?.id);
    return base === `${h.descope.url}/scim/v2` && key?.key.status === "active";
  };
});
afterAll(async () => {
  await h.stop();
  await entra.stop();
});
beforeEach(() => {
  h.descope.scimKeys["T-rot"] = [
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
});

const answerTo = async (action: string, value: string, user: string) => {
  const { rid } = await h.click(action, value, { user, channel: "CALERTS" });
  return JSON.stringify((await h.slack.waitFor(() => h.slack.respondedTo(rid)[0])).body);
};

/** The rotate button of the key alert, clicked by UREQ: the request message and its id. */
async function requestRotation() {
  const alerts = () =>
    h.slack
      .callsTo("chat.postMessage")
      .filter(
        (c) => c.args.channel === "CALERTS" && /SCIM key entra expires/.test(String(c.args.text)),
      );
  await h.runtime.keyWatchOnce();
  const alert = await h.slack.waitFor(() => alerts().at(-1));
  const before = h.slack.callsTo("chat.postMessage").length;
  await answerTo(
    FIX_ACTIONS.request,
    buttonValue(alert.args.blocks, FIX_ACTIONS.request) as string,
    "UREQ",
  );
  const req = await h.slack.waitFor(() =>
    h.slack
      .callsTo("chat.postMessage")
      .slice(before)
      .find((c) => /a new SCIM key/.test(String(c.args.text))),
  );
  return { req, id: buttonValue(req.args.blocks, FIX_ACTIONS.approve) as string };
}
const recordOf = (ts: unknown) =>
  h.slack.waitFor(
    () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === ts),
    15_000,
  );
const keyStatus = (id: string | undefined) =>
  h.descope.scimKeys["T-rot"]?.find((k) => k.key.id === id)?.key.status;

describe("SCIM key rotation with Entra write access", () => {
  it("validated by Entra, saved as the job's secret, restarted, then the old keys deactivated: no one sees the token", async () => {
    const { req, id } = await requestRotation();
    const asked = textsOf(req.args.blocks as never).join("\n");
    expect(asked).toMatch(/sp-r\/synchronization\/jobs\/scim\.job\/validateCredentials/);
    expect(asked).toMatch(/PUT \/servicePrincipals\/sp-r\/synchronization\/secrets/);
    expect(asked).toMatch(/only once Entra has validated and saved it/);
    expect(await answerTo(FIX_ACTIONS.approve, id, "UREQ")).toMatch(/You asked for this/);
    const writes = entra.writes.length;
    const made = h.descope.createdKeys.length;
    const answers = await Promise.all([
      answerTo(FIX_ACTIONS.approve, id, "UAPPROVER"),
      answerTo(FIX_ACTIONS.approve, id, "UAPPROVER2"),
    ]);
    const record = await recordOf(req.result?.ts);
    expect(h.descope.createdKeys).toHaveLength(made + 1);
    const created = h.descope.createdKeys.at(-1);
    const calls = entra.writes.slice(writes);
    expect(calls.map((w) => w.route)).toEqual(["validate", "secrets", "restart"]);
    const creds = [
      { key: "BaseAddress", value: `${h.descope.url}/scim/v2` },
      { key: "SecretToken", value: created?.cleartext },
    ];
    expect(calls[0]?.body).toEqual({ useSavedCredentials: false, credentials: creds });
    expect(calls[1]?.body).toEqual({ value: creds });
    expect(calls[2]?.body).toEqual({ criteria: {} });
    expect(keyStatus("K-old")).toBe("inactive");
    expect(keyStatus(created?.id)).toBe("active");
    // Entra works with the new key after the old one is gone.
    expect(entra.acceptsToken(created?.cleartext ?? "", `${h.descope.url}/scim/v2`)).toBe(true);
    const text = textsOf(record.args.blocks as never).join("\n");
    expect(text).toMatch(/approved by <@UAPPROVER2?>/);
    expect(text).toMatch(/Entra: validate credentials: Success/);
    expect(text).toMatch(/Descope: deactivate the old keys: Success — K-old deactivated/);
    expect(text).toMatch(/no one saw the token/);
    expect(buttonValue(record.args.blocks, FIX_ACTIONS.request)).toBeUndefined();
    expect(answers.join("\n")).toMatch(/already decided/);
    const everywhere = [
      answers.join("\n"),
      JSON.stringify(h.slack.callsTo("chat.postMessage").map((c) => c.args)),
      JSON.stringify(h.slack.callsTo("chat.update").map((c) => c.args)),
      h.logs.join(""),
      await (await fetch(`${h.url}/metrics`)).text(),
      JSON.stringify(await h.redis.get(`${h.prefix}:action:${id}`)),
    ].join("\n");
    expect(everywhere).not.toContain(created?.cleartext);
  });

  it("Entra refuses the new token: nothing saved, the old key stays valid, the token goes once to the approver, revoke offered", async () => {
    const accepts = entra.acceptsToken;
    entra.acceptsToken = () => false;
    try {
      const { req, id } = await requestRotation();
      const writes = entra.writes.length;
      const shown = await answerTo(FIX_ACTIONS.approve, id, "UAPPROVER");
      const created = h.descope.createdKeys.at(-1);
      expect(shown).toContain(created?.cleartext);
      expect(entra.writes.slice(writes).map((w) => w.route)).toEqual(["validate"]);
      expect(keyStatus("K-old")).toBe("active");
      const record = await recordOf(req.result?.ts);
      const text = textsOf(record.args.blocks as never).join("\n");
      expect(text).toMatch(/Entra: validate credentials: Failure/);
      expect(text).toMatch(/Entra did not validate the new token/);
      expect(text).not.toContain(created?.cleartext);
      const revoke = buttonValue(record.args.blocks, FIX_ACTIONS.request) as string;
      expect(revoke).toMatch(/revoke_old_key/);
      // The second step has the same rules: never the requester; declined, nothing is revoked.
      const before = h.slack.callsTo("chat.postMessage").length;
      await answerTo(FIX_ACTIONS.request, revoke, "UREQ");
      const req2 = await h.slack.waitFor(() =>
        h.slack
          .callsTo("chat.postMessage")
          .slice(before)
          .find((c) => /revoke the old SCIM keys/.test(String(c.args.text))),
      );
      const id2 = buttonValue(req2.args.blocks, FIX_ACTIONS.approve) as string;
      expect(await answerTo(FIX_ACTIONS.approve, id2, "UREQ")).toMatch(/You asked for this/);
      expect(await answerTo(FIX_ACTIONS.decline, id2, "UAPPROVER")).toMatch(/Declined/);
      expect(keyStatus("K-old")).toBe("active");
      expect(keyStatus(created?.id)).toBe("active");
    } finally {
      entra.acceptsToken = accepts;
    }
  });

  it("Entra does not offer validation (404): saved and restarted with the new token, then the old keys go; the record says it was not validated", async () => {
    entra.fail("validate", { status: 404 });
    const { req, id } = await requestRotation();
    const writes = entra.writes.length;
    await answerTo(FIX_ACTIONS.approve, id, "UAPPROVER");
    const text = textsOf((await recordOf(req.result?.ts)).args.blocks as never).join("\n");
    expect(entra.writes.slice(writes).map((w) => w.route)).toEqual(["secrets", "restart"]);
    expect(text).toMatch(/Entra: validate credentials: Skipped/);
    expect(text).toMatch(/saved it as Descope's secret and restarted the job with it/);
    expect(keyStatus("K-old")).toBe("inactive");
  });

  it("the job's other settings, when Entra shows them, are sent back with the new token", async () => {
    entra.secretsReadable = true;
    const base = `${h.descope.url}/scim/v2`;
    entra.secrets["sp-r"] = [
      { key: "BaseAddress", value: base },
      { key: "SecretToken", value: "" },
      { key: "SyncAll", value: "false" },
    ];
    try {
      const { id } = await requestRotation();
      const writes = entra.writes.length;
      await answerTo(FIX_ACTIONS.approve, id, "UAPPROVER");
      await h.slack.waitFor(() => keyStatus("K-old") === "inactive" || undefined, 15_000);
      const put = entra.writes.slice(writes).find((w) => w.route === "secrets");
      expect(put?.body).toEqual({
        value: [
          { key: "SyncAll", value: "false" },
          { key: "BaseAddress", value: base },
          { key: "SecretToken", value: h.descope.createdKeys.at(-1)?.cleartext },
        ],
      });
    } finally {
      entra.secretsReadable = false;
    }
  });

  it("approved just before a stop: the next sweep hands the new key to Entra once (no one needs its token)", async () => {
    const { req, id } = await requestRotation();
    const _key = `${h.prefix}:action:${id}`;
    await patchAction(h, id, { state: "approved", decidedBy: "UAPPROVER", decidedAt: Date.now() });
    const made = h.descope.createdKeys.length;
    const writes = entra.writes.length;
    await h.runtime.notifyOnce();
    await h.runtime.notifyOnce();
    expect(h.descope.createdKeys).toHaveLength(made + 1);
    expect(entra.writes.slice(writes).map((w) => w.route)).toEqual([
      "validate",
      "secrets",
      "restart",
    ]);
    expect(keyStatus("K-old")).toBe("inactive");
    const text = textsOf((await recordOf(req.result?.ts)).args.blocks as never).join("\n");
    expect(text).toMatch(/no one saw the token/);
    expect(text).not.toContain(h.descope.createdKeys.at(-1)?.cleartext);
  });

  it("declined or expired: no key is created, nothing is sent to Entra", async () => {
    const made = h.descope.createdKeys.length;
    const writes = entra.writes.length;
    const d = await requestRotation();
    expect(await answerTo(FIX_ACTIONS.approve, d.id, "UOTHER")).toMatch(/Only an approver/);
    expect(await answerTo(FIX_ACTIONS.decline, d.id, "UAPPROVER")).toMatch(
      /Declined: nothing was called/,
    );
    expect(await answerTo(FIX_ACTIONS.approve, d.id, "UAPPROVER2")).toMatch(/already decided/);
    const e = await requestRotation();
    const _key = `${h.prefix}:action:${e.id}`;
    await patchAction(h, e.id, { expiresAt: Date.now() - 1 });
    expect(await answerTo(FIX_ACTIONS.approve, e.id, "UAPPROVER")).toMatch(/expired/);
    expect(h.descope.createdKeys).toHaveLength(made);
    expect(entra.writes).toHaveLength(writes);
    expect(keyStatus("K-old")).toBe("active");
  });

  it("scimwatch act --tenant: the stored connection and write access decide, as in Slack; the token is never printed when Entra took it", async () => {
    const env = botCliEnv(h, entra.env({ write: true }));
    const act = (args: string[]) =>
      promisify(execFile)(process.execPath, [CLI, "act", ...args], { env, cwd: tmpdir() })
        .then((r) => ({ code: 0, ...r }))
        .catch((e: { code: number; stdout: string; stderr: string }) => e);
    const writes = entra.writes.length;
    const dry = await act([
      "push-now",
      "--tenant",
      "Rotacme",
      "--login",
      "ben@acme.com",
      "--dry-run",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /Would call: POST \/servicePrincipals\/sp-r\/synchronization\/jobs\/scim\.job\/provisionOnDemand for ben@acme\.com/,
    );
    expect((await act(["revoke-old-keys", "--tenant", "Rotacme"])).code).toBe(2);
    const made = h.descope.createdKeys.length;
    const r = await act(["rotate-key", "--tenant", "Rotacme", "--yes", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { state: string; keysRevoked: boolean; token?: string };
    expect(out).toMatchObject({ state: "done", keysRevoked: true });
    expect(out.token).toBeUndefined();
    expect(h.descope.createdKeys).toHaveLength(made + 1);
    const created = h.descope.createdKeys.at(-1);
    expect(`${r.stdout}${r.stderr}`).not.toContain(created?.cleartext);
    expect(entra.writes.slice(writes).map((w) => w.route)).toEqual([
      "validate",
      "secrets",
      "restart",
    ]);
    expect(keyStatus("K-old")).toBe("inactive");
  });
});
