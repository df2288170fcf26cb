/**
 * Fix it from Slack, Okta: write access granted through a form (a token that
 * can manage apps and groups, sealed; never echoed), "Assign in Okta" on an
 * answer for someone Okta has but the app does not, approved by an approver,
 * carried out once into the group assigned to the app; refused by Okta
 * without the write permission (a read token stored as the write one).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIX_ACTIONS } from "../../src/render/ids.js";
import { OKTA_SAML } from "../fakes/builders.js";
import { FakeOkta } from "../fakes/okta.js";
import {
  botCliEnv,
  buttonValue,
  type Harness,
  patchAction,
  startHarness,
  textsOf,
} from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const SECRETS_KEY = randomBytes(32).toString("base64");
const okta = new FakeOkta();
let h: Harness;

beforeAll(async () => {
  await okta.start();
  okta.users = [
    { id: "00u-ana", login: "ana@globex.com" },
    { id: "00u-carl", login: "carl@globex.com" },
    { id: "00u-dee", login: "dee@globex.com" },
    { id: "00u-eve", login: "eve@globex.com" },
    { id: "00u-fay", login: "fay@globex.com" },
    { id: "00u-gus", login: "gus@globex.com" },
    { id: "00u-hal", login: "hal@globex.com" },
  ];
  okta.groups = [{ id: "00g-all", name: "Everyone at Globex", members: ["00u-ana"] }];
  okta.apps = [
    {
      id: "0oa1descope0000000",
      label: "Descope",
      groups: ["00g-all"],
      users: {
        "00u-ana": {
          scope: "GROUP",
          status: "PROVISIONED",
          syncState: "SYNCHRONIZED",
          externalId: "U1",
        },
      },
      lifecycleCreate: "ENABLED",
    },
  ];
  h = await startHarness(
    {
      SCIMWATCH_SECRETS_KEY: SECRETS_KEY,
      SCIMWATCH_APPROVERS: "UAPPROVER",
    },
    (d) => {
      d.tenants.push({ id: "T-globex", name: "Globex" });
      d.sso["T-globex"] = { saml: OKTA_SAML };
    },
  );
  await h.command("connect Globex okta", { user: "UADMIN", channel: "CSUPPORT" });
  const opened = await h.slack.waitFor(() => h.slack.callsTo("views.open").at(-1));
  await h.interaction({
    type: "view_submission",
    user: { id: "UADMIN", username: "admin", team_id: "T0TEAM" },
    trigger_id: "1.2.3",
    view: {
      id: "V1",
      type: "modal",
      callback_id: "scim_connect_okta",
      private_metadata: (opened.args.view as { private_metadata: string }).private_metadata,
      state: {
        values: {
          okta_url: { value: { type: "plain_text_input", value: okta.url } },
          okta_app: { value: { type: "plain_text_input", value: "Descope" } },
          okta_token: { value: { type: "plain_text_input", value: okta.token } },
        },
      },
    },
  });
});
afterAll(async () => {
  await h.stop();
  await okta.stop();
});

async function reply(cmd: string, userId = "UADMIN") {
  const r = await h.command(cmd, { user: userId, channel: "CSUPPORT" });
  return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as Record<
    string,
    unknown
  >;
}
const all = (b: Record<string, unknown>) => `${b.text}\n${textsOf(b.blocks as never).join("\n")}`;
async function grant(token: string) {
  await h.command("write Globex on", { user: "UADMIN", channel: "CSUPPORT" });
  const opened = await h.slack.waitFor(() =>
    h.slack
      .callsTo("views.open")
      .find(
        (c) =>
          (c.args.view as { callback_id?: string }).callback_id === "scim_okta_write_modal" &&
          !(c as { used?: boolean }).used,
      ),
  );
  (opened as { used?: boolean }).used = true;
  return h.interaction({
    type: "view_submission",
    user: { id: "UADMIN", username: "admin", team_id: "T0TEAM" },
    trigger_id: "1.2.3",
    view: {
      id: "V2",
      type: "modal",
      callback_id: "scim_okta_write_modal",
      private_metadata: (opened.args.view as { private_metadata: string }).private_metadata,
      state: {
        values: { okta_write_token: { value: { type: "plain_text_input", value: token } } },
      },
    },
  });
}
/** "Assign in Okta" asked by UREQ from a check's answer: the request's id and ts. */
async function requestAssign(login: string) {
  const answer = await reply(`check ${login} Globex`, "UREQ");
  const v = buttonValue(answer.blocks, FIX_ACTIONS.request);
  if (!v) throw new Error(`no Assign button: ${all(answer)}`);
  const before = h.slack.callsTo("chat.postMessage").length;
  await h.click(FIX_ACTIONS.request, v, { user: "UREQ", channel: "CSUPPORT" });
  const req = await h.slack.waitFor(() =>
    h.slack
      .callsTo("chat.postMessage")
      .slice(before)
      .find((c) => /Okta: assign to the app/.test(String(c.args.text))),
  );
  return { id: buttonValue(req.args.blocks, FIX_ACTIONS.approve) as string, ts: req.result?.ts };
}
const recordIn = (ts: unknown) =>
  h.slack.waitFor(
    () => h.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === ts),
    15_000,
  );
async function clickAs(action: string, id: string, user: string) {
  const { rid } = await h.click(action, id, { user, channel: "CSUPPORT" });
  return JSON.stringify((await h.slack.waitFor(() => h.slack.respondedTo(rid)[0], 15_000)).body);
}
async function assignFlow(login: string) {
  const { id, ts } = await requestAssign(login);
  await Promise.all([
    h.click(FIX_ACTIONS.approve, id, { user: "UAPPROVER", channel: "CSUPPORT" }),
    h.click(FIX_ACTIONS.approve, id, { user: "UAPPROVER", channel: "CSUPPORT" }),
  ]);
  return recordIn(ts);
}

/** `scimwatch act assign …` as an operator beside the harness's bot (its .env). */
const act = (args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, "act", "assign", ...args], {
    env: botCliEnv(h, { SCIMWATCH_SECRETS_KEY: SECRETS_KEY, SCIMWATCH_ALLOW_LOOPBACK_IDP: "true" }),
    cwd: tmpdir(),
  })
    .then((r) => ({ code: 0, ...r }))
    .catch((e: { code: number; stdout: string; stderr: string }) => e);

describe("fix it from Slack: Okta", () => {
  it("no button before write access; the write token goes through a form, sealed, never echoed", async () => {
    expect(
      buttonValue(
        (await reply("check carl@globex.com Globex", "UREQ")).blocks,
        FIX_ACTIONS.request,
      ),
    ).toBeUndefined();
    const res = await grant(okta.writeToken);
    expect(res.status).toBe(200);
    expect(all(await reply("connections"))).toMatch(/Actions:_ assign in Okta/);
    const stored = await h.redis.hgetall(`${h.prefix}:connections`);
    expect(JSON.stringify(stored)).not.toContain(okta.writeToken);
    expect(h.logs.join("")).not.toContain(okta.writeToken);
  });

  it("Assign in Okta: approved once, into the group assigned to the app, recorded", async () => {
    const record = await assignFlow("carl@globex.com");
    const puts = okta.writes.filter((w) => w.method === "PUT");
    expect(puts).toEqual([
      { method: "PUT", path: "/api/v1/groups/00g-all/users/00u-carl", body: {} },
    ]);
    expect(textsOf(record.args.blocks as never).join("\n")).toMatch(
      /now in Everyone at Globex, the group assigned to Descope/,
    );
  });

  it("refused to the requester and to non-approvers; declined or expired: nothing written in Okta", async () => {
    const writes = okta.writes.length;
    const d = await requestAssign("eve@globex.com");
    expect(await clickAs(FIX_ACTIONS.approve, d.id, "UREQ")).toMatch(/You asked for this/);
    expect(await clickAs(FIX_ACTIONS.approve, d.id, "UOTHER")).toMatch(/Only an approver/);
    expect(await clickAs(FIX_ACTIONS.decline, d.id, "UAPPROVER")).toMatch(/Declined/);
    expect(await clickAs(FIX_ACTIONS.approve, d.id, "UAPPROVER")).toMatch(/already decided/);
    const e = await requestAssign("eve@globex.com");
    const _key = `${h.prefix}:action:${e.id}`;
    await patchAction(h, e.id, { expiresAt: Date.now() - 1 });
    expect(await clickAs(FIX_ACTIONS.approve, e.id, "UAPPROVER")).toMatch(/expired/);
    expect(okta.writes).toHaveLength(writes);
  });

  it("a stop between approval and call: the next sweep assigns once", async () => {
    const a = await requestAssign("fay@globex.com");
    await patchAction(h, a.id, {
      state: "approved",
      decidedBy: "UAPPROVER",
      decidedAt: Date.now(),
    });
    const writes = okta.writes.length;
    await h.runtime.notifyOnce();
    await h.runtime.notifyOnce();
    expect(okta.writes.slice(writes)).toEqual([
      { method: "PUT", path: "/api/v1/groups/00g-all/users/00u-fay", body: {} },
    ]);
    expect(textsOf((await recordIn(a.ts)).args.blocks as never).join("\n")).toMatch(
      /approved by <@UAPPROVER>/,
    );
  });

  it("an app with no group: a direct assignment, and the record says a group is the better fix", async () => {
    const app = okta.apps[0] as { groups: string[] };
    const groups = app.groups;
    app.groups = [];
    try {
      const record = await assignFlow("gus@globex.com");
      expect(okta.writes.at(-1)).toMatchObject({
        method: "POST",
        path: "/api/v1/apps/0oa1descope0000000/users",
        body: { id: "00u-gus", scope: "USER" },
      });
      expect(textsOf(record.args.blocks as never).join("\n")).toMatch(
        /assigned to Descope directly .*assign a group to the app/,
      );
    } finally {
      app.groups = groups;
    }
  });

  it("scimwatch act assign --tenant: the sealed write token of the stored connection, once with --yes", async () => {
    const writes = okta.writes.length;
    const dry = await act(["--tenant", "Globex", "--login", "hal@globex.com", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /Would call: PUT \/api\/v1\/groups\/\{the group assigned to Descope\}/,
    );
    expect((await act(["--tenant", "Globex", "--login", "hal@globex.com"])).code).toBe(2);
    expect(okta.writes).toHaveLength(writes);
    const yes = await act(["--tenant", "Globex", "--login", "hal@globex.com", "--yes"]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/now in Everyone at Globex/);
    expect(okta.writes.slice(writes)).toEqual([
      { method: "PUT", path: "/api/v1/groups/00g-all/users/00u-hal", body: {} },
    ]);
    expect(`${yes.stdout}${yes.stderr}`).not.toContain(okta.writeToken);
  });

  it("refused by Okta without the write permission: the call fails, said in the record", async () => {
    await grant(okta.token);
    const record = await assignFlow("dee@globex.com");
    expect(textsOf(record.args.blocks as never).join("\n")).toMatch(
      /Okta refused .*okta\.groups\.manage/,
    );
    // Okta refused it: dee is in no group the app is assigned to.
    expect(okta.groups[0]?.members).not.toContain("00u-dee");
    expect(okta.apps[0]?.users["00u-dee"]).toBeUndefined();
  });

  it("write access taken back: a crafted button is refused, nothing is asked", async () => {
    await reply("write Globex off");
    const v = JSON.stringify({ k: "assign", t: "T-globex", l: "eve@globex.com" });
    expect(await clickAs(FIX_ACTIONS.request, v, "UREQ")).toMatch(
      /Not asked: write access is not granted/,
    );
    const cli = await act(["--tenant", "Globex", "--login", "eve@globex.com", "--yes", "--json"]);
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.stdout).error).toMatchObject({ code: "not_possible" });
  });
});
