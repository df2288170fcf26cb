/**
 * The Okta connector end to end: /scim connect <tenant> okta opens a form;
 * its submission is verified against a loopback Okta org and the token is
 * stored sealed; /scim check and `scimwatch check --json` show Okta's side.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OktaHttp } from "../../src/connectors/okta-http.js";
import { OKTA_SAML, scimEvent } from "../fakes/builders.js";
import { startEavesdropper } from "../fakes/eavesdropper.js";
import { FakeOkta } from "../fakes/okta.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const okta = new FakeOkta();
let h: Harness;

beforeAll(async () => {
  await okta.start();
  okta.users = [
    { id: "00u-ana", login: "ana@globex.com" },
    { id: "00u-bob", login: "bob@globex.com" },
    { id: "00u-carl", login: "carl@globex.com" },
    { id: "00u-dee", login: "dee@globex.com", status: "SUSPENDED" },
    { id: "00u-eve", login: "eve@globex.com" },
  ];
  okta.groups = [
    { id: "00g-all", name: "Everyone at Globex", members: ["00u-ana", "00u-bob"] },
    { id: "00g-eng", name: "Engineering", members: ["00u-carl"] },
  ];
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
          externalId: "U2abc",
        },
        "00u-bob": { scope: "GROUP", status: "PROVISIONED", syncState: "ERROR" },
        "00u-eve": { scope: "USER", status: "STAGED" },
      },
      lifecycleCreate: "ENABLED",
    },
  ];
  okta.events = [
    {
      userId: "00u-bob",
      appId: "0oa1descope0000000",
      published: "2026-11-29T08:00:00.000Z",
      result: "FAILURE",
      reason: "Bad Request. Errors reported by remote server: user already exists",
    },
  ];
  h = await startHarness(
    {
      SCIMWATCH_SECRETS_KEY: randomBytes(32).toString("base64"),
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
    },
    (d) => {
      d.tenants.push({ id: "T-globex", name: "Globex" });
      d.sso["T-globex"] = {
        saml: {
          ...OKTA_SAML,
          groupsMapping: [{ groups: ["Security"], role: { id: "r-sec", name: "securityadmin" } }],
        },
      };
    },
  );
});
afterAll(async () => {
  await h.stop();
  await okta.stop();
});

/** `scimwatch check <login> --tenant Globex --okta-url … --okta-app Descope --json`, with these credentials. */
async function cliCheck(login: string, env: Record<string, string>) {
  const r = await promisify(execFile)(
    process.execPath,
    [
      CLI,
      "check",
      login,
      "--tenant",
      "Globex",
      "--okta-url",
      okta.url,
      "--okta-app",
      "Descope",
      "--json",
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        DESCOPE_PROJECT_ID: h.descope.projectId,
        DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
        DESCOPE_BASE_URL: h.descope.url,
        SCIMWATCH_ALLOW_LOOPBACK_IDP: "true",
        ...env,
      },
      cwd: tmpdir(),
    },
  ).catch((e: { stdout: string }) => e);
  return JSON.parse(r.stdout);
}

/** One person per cause the seed can show, and what the answer says about them. */
const CAUSES: Array<[string, string, RegExp]> = [
  ["carl@globex.com", "not_assigned", /not assigned to Descope in Okta.*Everyone at Globex/],
  ["ana@globex.com", "pushed", /Okta pushed them \(Descope ID U2abc\)/],
  ["bob@globex.com", "push_failed", /user already exists/],
  ["dee@globex.com", "user_disabled_in_idp", /suspended in Okta/],
  ["eve@globex.com", "waiting_for_cycle", /queued/],
  ["zed@globex.com", "not_in_idp", /does not exist in Okta/],
];

const text = (b: Record<string, unknown>) => `${b.text}\n${textsOf(b.blocks).join("\n")}`;
async function answer(cmd: string, userId = "UADMIN", channel = "CSUPPORT") {
  const r = await h.command(cmd, { user: userId, channel });
  return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as Record<
    string,
    unknown
  >;
}
const submit = (o: {
  url: string;
  app: string;
  token: string;
  user?: string;
  clientId?: string;
  privateKey?: string;
}) => {
  const opened = h.slack.callsTo("views.open").at(-1)?.args.view as { private_metadata: string };
  return h.interaction({
    type: "view_submission",
    user: { id: o.user ?? "UADMIN", username: "admin", team_id: "T0TEAM" },
    trigger_id: "1.2.3",
    view: {
      id: "VOKTA",
      type: "modal",
      callback_id: "scim_connect_okta",
      private_metadata: opened.private_metadata,
      state: {
        values: {
          okta_url: { value: { type: "plain_text_input", value: o.url } },
          okta_app: { value: { type: "plain_text_input", value: o.app } },
          okta_token: { value: { type: "plain_text_input", value: o.token } },
          ...(o.clientId !== undefined
            ? { okta_client_id: { value: { type: "plain_text_input", value: o.clientId } } }
            : {}),
          ...(o.privateKey !== undefined
            ? { okta_private_key: { value: { type: "plain_text_input", value: o.privateKey } } }
            : {}),
        },
      },
    },
  });
};

describe("Okta connector", () => {
  it("connects through a form: refuses what is wrong in the form, verifies the app, stores the token sealed", async () => {
    const r = await h.command("connect Globex okta", { user: "UADMIN", channel: "CSUPPORT" });
    await h.slack.waitFor(() => h.slack.callsTo("views.open").length > 0 || undefined);
    expect(r.status).toBe(200);
    const bad = await submit({ url: "ftp://nope", app: "", token: "" });
    expect(bad.body).toMatch(/"response_action":"errors"/);
    expect(bad.body).toMatch(/https URL/);
    const wrongApp = await submit({ url: okta.url, app: "Nope", token: okta.token });
    expect(wrongApp.body).toMatch(/"response_action":"update"/);
    await h.slack.waitFor(() =>
      h.slack.callsTo("views.update").find((c) => /no Okta app/.test(JSON.stringify(c.args))),
    );
    expect(await h.redis.hget(`${h.prefix}:connections`, "T-globex")).toBeNull();
    await submit({ url: okta.url, app: "Descope", token: okta.token });
    await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .find((c) => /is connected to Okta/.test(JSON.stringify(c.args))),
    );
    const stored = (await h.redis.hget(`${h.prefix}:connections`, "T-globex")) ?? "";
    expect(stored).toMatch(/"tokenSealed":"v2:/);
    expect(stored).not.toContain(okta.token);
    expect(h.logs.join("\n")).not.toContain(okta.token);
  });

  it("a stored connection whose org URL was changed in Redis never sends the token there", async () => {
    const thief = await startEavesdropper("[]");
    const k = `${h.prefix}:connections`;
    const stored = (await h.redis.hget(k, "T-globex")) ?? "";
    try {
      const moved = JSON.parse(stored) as Record<string, unknown>;
      moved.oktaUrl = thief.url;
      await h.redis.hset(k, "T-globex", JSON.stringify(moved));
      const all = text(await answer("check ana@globex.com Globex"));
      expect(all).toMatch(/does not belong to this record/);
      expect(thief.heard).toEqual([]);
    } finally {
      await h.redis.hset(k, "T-globex", stored);
      await thief.stop();
    }
    // Put back as sealed, it opens again.
    expect(text(await answer("check ana@globex.com Globex"))).toContain("`pushed`");
  });

  it("a hostile org's next-page link to another origin is not followed with the token", async () => {
    const thief = await startEavesdropper("[]");
    const hostile = new FakeOkta();
    hostile.apps = [0, 1, 2].map((i) => ({
      ...(okta.apps[0] as (typeof okta.apps)[number]),
      id: `0oa${i}`,
      label: `Descope ${i}`,
    }));
    hostile.pageSize = 1;
    await hostile.start();
    hostile.nextOrigin = thief.url;
    try {
      await expect(
        new OktaHttp(hostile.url, hostile.token, { allowLoopback: true }).list("/api/v1/apps"),
      ).rejects.toThrow(/another origin: not followed/);
      expect(thief.heard).toEqual([]);
    } finally {
      await hostile.stop();
      await thief.stop();
    }
  });

  it("the connect form refuses non-public and non-https org URLs before any request", async () => {
    const strict = await startHarness(
      {
        SCIMWATCH_SECRETS_KEY: randomBytes(32).toString("base64"),
        SCIMWATCH_ALLOW_LOOPBACK_IDP: "false",
      },
      (d) => d.tenants.push({ id: "T-globex", name: "Globex" }),
    );
    try {
      await strict.command("connect Globex okta", { user: "UADMIN", channel: "CSUPPORT" });
      const opened = await strict.slack.waitFor(() => strict.slack.callsTo("views.open").at(-1));
      const meta = (opened.args.view as { private_metadata: string }).private_metadata;
      const submitTo = (url: string) =>
        strict.interaction({
          type: "view_submission",
          user: { id: "UADMIN", username: "admin", team_id: "T0TEAM" },
          trigger_id: "1.2.3",
          view: {
            id: "V1",
            type: "modal",
            callback_id: "scim_connect_okta",
            private_metadata: meta,
            state: {
              values: {
                okta_url: { value: { type: "plain_text_input", value: url } },
                okta_app: { value: { type: "plain_text_input", value: "Descope" } },
                okta_token: { value: { type: "plain_text_input", value: okta.token } },
              },
            },
          },
        });
      for (const url of [
        "https://169.254.169.254",
        "https://10.1.2.3",
        "https://[::1]:6379",
        "https://localhost:6379",
        okta.url,
      ]) {
        const r = await submitTo(url);
        expect(r.body).toMatch(/"response_action":"errors"/);
        expect(r.body).toMatch(/public addresses|https URL/);
        expect(r.body).not.toMatch(/6379|169\.254|10\.1\.2\.3/);
      }
      // Nothing was stored, and the fake org was never asked.
      expect(await strict.redis.hget(`${strict.prefix}:connections`, "T-globex")).toBeNull();
    } finally {
      await strict.stop();
    }
  });

  it.each(CAUSES)("/scim check %s shows Okta's side: %s", async (login, cause, why) => {
    const all = text(await answer(`check ${login} Globex`));
    expect(all).toContain(`\`${cause}\``);
    expect(all).toMatch(why);
  });

  it("a person found by e-mail or by the app username (not the Okta login) is not 'not_in_idp'", async () => {
    const app = okta.apps[0] as (typeof okta.apps)[number];
    okta.users.push(
      { id: "00u-lee", login: "lee.l@globex.okta", email: "lee@globex.com" },
      { id: "00u-max", login: "max.internal@globex.okta", email: "mx@other.example" },
    );
    app.users["00u-lee"] = { scope: "USER", status: "PROVISIONED", externalId: "U-lee" };
    app.users["00u-max"] = {
      scope: "USER",
      status: "ACTIVE",
      externalId: "U-max",
      userName: "max@globex.com",
    };
    try {
      const lee = text(await answer("check lee@globex.com Globex"));
      expect(lee).not.toContain("`not_in_idp`");
      expect(lee).toContain("`pushed`");
      // Found by the app username Okta sends Descope; ACTIVE with an externalId is pushed.
      const max = text(await answer("check max@globex.com Globex"));
      expect(max).not.toContain("`not_in_idp`");
      expect(max).toContain("`pushed`");
    } finally {
      okta.users.splice(-2, 2);
      delete app.users["00u-lee"];
      delete app.users["00u-max"];
    }
  });

  it("a failing tenant's alert carries Okta's own word: the SCIM credential was refused", async () => {
    okta.integrationEvents.push({
      eventType: "application.integration.authentication_failure",
      appId: "0oa1descope0000000",
      published: new Date(Date.now() - 5 * 60_000).toISOString(),
      reason: "Authentication failed: 401 Unauthorized",
    });
    for (let i = 0; i < 6; i++)
      h.descope.audits.push(
        scimEvent({
          at: Date.now() - 10 * 60_000 + i * 1000,
          loginId: `f${i}@globex.com`,
          tenant: "T-globex",
          error: "401 Unauthorized: access key expired",
        }),
      );
    try {
      await h.runtime.tailOnce();
      const alert = await h.slack.waitFor(() =>
        h.slack
          .callsTo("chat.postMessage")
          .find(
            (c) => c.args.channel === "CALERTS" && /failing|failed/i.test(JSON.stringify(c.args)),
          ),
      );
      expect(JSON.stringify(alert.args)).toMatch(
        /Okta confirms: it could not authenticate to Descope's SCIM API/,
      );
    } finally {
      okta.integrationEvents = [];
    }
  });

  it("'Create Users' off is named; a 429 is waited out with Okta's reset header", async () => {
    const app = okta.apps[0] as (typeof okta.apps)[number];
    app.lifecycleCreate = "DISABLED";
    okta.throttleNext(1);
    try {
      const all = text(await answer("check eve@globex.com Globex"));
      expect(all).toContain("`job_paused`");
      expect(all).toMatch(/Create Users/);
    } finally {
      app.lifecycleCreate = "ENABLED";
    }
  });

  it("connections lists it; a revoked token never breaks the check", async () => {
    expect(text(await answer("connections"))).toMatch(/Globex\* → Okta http:\/\/127\.0\.0\.1/);
    const saved = okta.token;
    (okta as { token: string }).token = "rotated";
    try {
      const body = await answer("check carl@globex.com Globex");
      expect(String(body.text)).toMatch(/^Not provisioned/);
      expect(text(body)).toMatch(/Okta side unavailable: Okta refused the API token/);
    } finally {
      (okta as { token: string }).token = saved;
    }
  });

  it.each(CAUSES)(
    "scimwatch check --json %s --okta-url --okta-app gives cause %s",
    async (login, cause, why) => {
      const out = await cliCheck(login, { OKTA_API_TOKEN: okta.token });
      expect(out.cause).toBe(cause);
      expect(out.idpSide.idp).toBe("okta");
      expect(`${out.summary}\n${JSON.stringify(out.idpSide)}`).toMatch(why);
    },
  );
});

describe("auto-expect from Okta's System Log", () => {
  it("a new member of an assigned group becomes an expected hire; a role-mapped, unassigned group is alerted once", async () => {
    // fay joins the assigned group; gus joins Security (mapped to a role, not assigned).
    okta.users.push(
      { id: "00u-fay", login: "fay@globex.com" },
      { id: "00u-gus", login: "gus@globex.com" },
    );
    okta.groups[0]?.members.push("00u-fay");
    okta.groups.push({ id: "00g-sec", name: "Security", members: ["00u-gus"] });
    expect(text(await answer("autoexpect Globex on", "UX"))).toMatch(/Only scimwatch admins/);
    expect(text(await answer("autoexpect Globex on"))).toMatch(
      /now become expected hires.*Okta's System Log/s,
    );
    await new Promise((r) => setTimeout(r, 20));
    const at = new Date(Date.now() - 1).toISOString(); // after auto-expect was turned on
    okta.groupJoins = [
      {
        userId: "00u-fay",
        login: "fay@globex.com",
        groupId: "00g-all",
        groupName: "Everyone at Globex",
        published: at,
      },
      {
        userId: "00u-gus",
        login: "gus@globex.com",
        groupId: "00g-sec",
        groupName: "Security",
        published: at,
      },
      // A failed add is no membership.
      {
        userId: "00u-hal",
        login: "hal@globex.com",
        groupId: "00g-all",
        groupName: "Everyone at Globex",
        published: at,
        result: "FAILURE",
      },
    ];
    await new Promise((r) => setTimeout(r, 20));
    await h.runtime.tailOnce();
    await h.runtime.tailOnce();
    const hires = await h.runtime.hires.getMany(await h.runtime.hires.openIds());
    const fay = hires.find((r) => r.hire.loginId === "fay@globex.com")?.hire;
    expect(fay?.assignedAt).toBe(Date.parse(at));
    expect(fay?.registeredBy).toBe("idp:okta");
    expect(fay?.idp).toBe("okta");
    expect(hires.some((r) => r.hire.loginId === "gus@globex.com")).toBe(false);
    expect(hires.some((r) => r.hire.loginId === "hal@globex.com")).toBe(false);
    const mapped = h.slack
      .callsTo("chat.postMessage")
      .filter((c) => /Security \(mapped to securityadmin\)/.test(String(c.args.text)));
    expect(mapped).toHaveLength(1);
    expect(textsOf(mapped[0]?.args.blocks).join("\n")).toMatch(/Everyone at Globex/);
  });
});

describe("a service app instead of an API token (client credentials, private_key_jwt, DPoP)", () => {
  const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const clientId = "0oaservice00000000";

  it("connects with the app's client ID and private key, follows DPoP's nonces, and reuses its token", async () => {
    okta.serviceApp = {
      clientId,
      publicKey: keys.publicKey,
      scopes: ["okta.apps.read", "okta.users.read", "okta.groups.read", "okta.logs.read"],
      requireDpop: true,
      apiNonce: true,
    };
    await h.command("connect Globex okta", { user: "UADMIN", channel: "CSUPPORT" });
    await h.slack.waitFor(() => h.slack.callsTo("views.open").length > 0 || undefined);
    // The form refuses a token and a service app at once, and a key that is not one.
    const both = await submit({
      url: okta.url,
      app: "Descope",
      token: okta.token,
      clientId,
      privateKey: pem,
    });
    expect(both.body).toMatch(/not both/);
    const badKey = await submit({
      url: okta.url,
      app: "Descope",
      token: "",
      clientId,
      privateKey: "not a key",
    });
    expect(badKey.body).toMatch(/not a PEM/);
    const updates = h.slack.callsTo("views.update").length;
    await submit({ url: okta.url, app: "Descope", token: "", clientId, privateKey: pem });
    await h.slack.waitFor(() =>
      h.slack
        .callsTo("views.update")
        .slice(updates)
        .find((c) => /is connected to Okta/.test(JSON.stringify(c.args))),
    );
    // Without DPoP first, then a proof, then the proof with the server's nonce: a DPoP-bound token.
    expect(okta.tokenRequests.map((t) => t.outcome)).toEqual([
      "invalid_dpop_proof",
      "use_dpop_nonce",
      "issued",
    ]);
    const stored = (await h.redis.hget(`${h.prefix}:connections`, "T-globex")) ?? "";
    expect(stored).toMatch(/"auth":"oauth"/);
    expect(stored).not.toContain("PRIVATE KEY");
    expect(h.logs.join("\n")).not.toContain("PRIVATE KEY");

    // Checks read Okta with the service app's token (and the API's own DPoP nonce).
    const all = text(await answer("check carl@globex.com Globex"));
    expect(all).toContain("`not_assigned`");
    const tokens = okta.tokenRequests.length;
    expect(text(await answer("check ana@globex.com Globex"))).toContain("`pushed`");
    expect(okta.tokenRequests.length).toBe(tokens); // one token for both checks
  });

  it("a scope not granted is named; the CLI takes OKTA_CLIENT_ID and OKTA_PRIVATE_KEY", async () => {
    const run = (env: Record<string, string>) =>
      cliCheck("carl@globex.com", env) as Promise<{ cause: string | null; notes: string[] }>;
    const ok = await run({ OKTA_CLIENT_ID: clientId, OKTA_PRIVATE_KEY: pem });
    expect(ok.cause).toBe("not_assigned");
    const app = okta.serviceApp as NonNullable<typeof okta.serviceApp>;
    app.scopes = ["okta.apps.read", "okta.users.read"];
    try {
      const refused = await run({ OKTA_CLIENT_ID: clientId, OKTA_PRIVATE_KEY: pem });
      expect(refused.cause).toBeNull();
      expect(refused.notes.join("\n")).toMatch(
        /grant okta.apps.read, okta.users.read, okta.groups.read, okta.logs.read/,
      );
    } finally {
      app.scopes = ["okta.apps.read", "okta.users.read", "okta.groups.read", "okta.logs.read"];
    }
  });
});
