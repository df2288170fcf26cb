/**
 * POST /hooks/hires over HTTP to the real bot: signatures, replays, limits,
 * bad bodies and bad rows; start dates on the checklist and the start-date
 * alert, once, across a restart.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML } from "../fakes/builders.js";
import { webhookHeaders } from "../fakes/hris.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const SECRET = "webhook-secret-0123456789abcdef";
const _DAY = 86_400_000;
let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.stop()));
  harnesses = [];
});

async function start(
  env: Record<string, string> = {},
  opts: { prefix?: string; now?: () => number } = {},
) {
  const h = await startHarness(
    { SCIMWATCH_WEBHOOK_SECRET: SECRET, SCIMWATCH_ALERT_CHANNEL: "CALERTS", ...env },
    (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme" });
      d.sso["T-acme"] = { saml: ENTRA_SAML };
    },
    opts,
  );
  harnesses.push(h);
  return h;
}

function signed(body: string, o: { ts?: number; secret?: string; key?: string } = {}) {
  return webhookHeaders(o.secret ?? SECRET, body, o);
}

async function post(h: Harness, body: string, headers: Record<string, string>) {
  const r = await fetch(`${h.url}/hooks/hires`, { method: "POST", body, headers });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe("POST /hooks/hires", () => {
  it("registers signed hires, rejects bad rows one by one, and answers a replay with the first answer", async () => {
    const h = await start();
    const body = JSON.stringify({
      tenant: "Acme",
      source: "workday",
      hires: [
        { email: "jane@acme.com", name: "Jane Doe", startDate: "2026-12-07" },
        { email: "raj@acme.com", assignedAt: new Date(Date.now() - 60_000).toISOString() },
        { email: "not-an-email" },
        { email: "bad@acme.com", startDate: "next monday" },
      ],
    });
    const key = randomUUID();
    const first = await post(h, body, signed(body, { key }));
    expect(first.status).toBe(200);
    expect(first.json.registered).toBe(2);
    expect((first.json.rejected as Array<{ input: string }>).map((r) => r.input).sort()).toEqual([
      "bad@acme.com",
      "not-an-email",
    ]);
    expect((await h.runtime.hires.openIds()).length).toBe(2);
    const replay = await post(h, body, signed(body, { key }));
    expect(replay).toEqual(first);
    expect((await h.runtime.hires.openIds()).length).toBe(2);
    // The checklist (posted right after the answer) shows the name and the start date.
    const checklist = await h.slack.waitFor(() =>
      h.slack.callsTo("chat.postMessage").find((c) => /Onboarding/.test(String(c.args.text))),
    );
    expect(textsOf(checklist?.args.blocks).join("\n")).toMatch(
      /jane@acme.com\* \(Jane Doe\) · starts/,
    );
  });

  it.each([
    ["unsigned", (_b: string) => ({ "content-type": "application/json" }), 401],
    ["mis-signed", (b: string) => signed(b, { secret: "another-secret-0123456789" }), 401],
    ["stale", (b: string) => signed(b, { ts: Math.floor(Date.now() / 1000) - 600 }), 401],
  ] as const)("%s → %i", async (_n, headers, status) => {
    const h = await start();
    const body = JSON.stringify({ tenant: "Acme", hires: [{ email: "x@acme.com" }] });
    const r = await post(h, body, headers(body) as Record<string, string>);
    expect(r.status).toBe(status);
    expect((await h.runtime.hires.openIds()).length).toBe(0);
  });

  it("400 for a malformed body, 404 for an unknown tenant, 413 over 1,000 hires or 1 MiB", async () => {
    const h = await start();
    const notJson = "{tenant:";
    expect((await post(h, notJson, signed(notJson))).status).toBe(400);
    const noHires = JSON.stringify({ tenant: "Acme", hires: "x" });
    const bad = await post(h, noHires, signed(noHires));
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toMatch(/hires/);
    const unknown = JSON.stringify({ tenant: "Nope", hires: [{ email: "a@b.com" }] });
    // An unknown tenant is 422 (404 means "off"), and its name is not echoed back.
    const u = await post(h, unknown, signed(unknown));
    expect(u.status).toBe(422);
    expect(JSON.stringify(u.json)).not.toContain("Nope");
    const many = JSON.stringify({
      tenant: "Acme",
      hires: Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@acme.com` })),
    });
    expect((await post(h, many, signed(many))).status).toBe(413);
    const huge = JSON.stringify({
      tenant: "Acme",
      hires: [{ email: "a@acme.com", name: "x".repeat(1_100_000) }],
    });
    expect((await post(h, huge, signed(huge))).status).toBe(413);
  });

  it("a large call (up to 1,000) is registered whole, in checklists of 200", async () => {
    const h = await start();
    const body = JSON.stringify({
      tenant: "Acme",
      hires: Array.from({ length: 250 }, (_, i) => ({ email: `n${i}@acme.com` })),
    });
    const r = await post(h, body, signed(body));
    expect(r.json).toEqual({ registered: 250, rejected: [] });
    expect((await h.runtime.hires.openIds()).length).toBe(250);
    // Answered once stored; the two checklists follow.
    await h.slack.waitFor(
      () =>
        h.slack.callsTo("chat.postMessage").filter((c) => /Onboarding/.test(String(c.args.text)))
          .length === 2,
    );
  });

  it("checklists go to the tenant's onboarding channel (/scim onboarding, admins), else its linked channel", async () => {
    const h = await start();
    const say = async (text: string, user = "UADMIN") => {
      const r = await h.command(text, { user, channel: "CLINKED" });
      return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as { text: string };
    };
    await say("link Acme");
    const send = async (email: string) => {
      const body = JSON.stringify({ tenant: "Acme", hires: [{ email }] });
      expect((await post(h, body, signed(body))).status).toBe(200);
      const posted = await h.slack.waitFor(() =>
        h.slack
          .callsTo("chat.postMessage")
          .find(
            (c) =>
              /Onboarding/.test(String(c.args.text)) &&
              textsOf(c.args.blocks).join("").includes(email),
          ),
      );
      return posted.args.channel;
    };
    expect(await send("one@acme.com")).toBe("CLINKED");
    expect((await say("onboarding <#CONBOARD|it-onboarding>", "UX")).text).toMatch(
      /not enabled|Only/,
    );
    expect((await say("onboarding <#CONBOARD|it-onboarding>")).text).toMatch(
      /now go to that channel/,
    );
    const ch = await send("two@acme.com");
    expect(ch).toBe("CONBOARD");
  });

  it("is off (404) without SCIMWATCH_WEBHOOK_SECRET", async () => {
    const h = await start({ SCIMWATCH_WEBHOOK_SECRET: "" });
    const body = JSON.stringify({ tenant: "Acme", hires: [{ email: "x@acme.com" }] });
    expect((await post(h, body, signed(body))).status).toBe(404);
  });
});

describe("start dates", () => {
  it("alerts once when the start is near and they still cannot sign in, across a restart", async () => {
    let t = Date.parse("2026-12-03T10:00:00Z"); // a Thursday
    const clock = { now: () => t };
    const prefix = `{scimwatch-test-${randomUUID().slice(0, 8)}}`;
    const h = await start({}, { prefix, now: clock.now });
    h.descope.now = clock.now;
    const r = await h.command("expect jo@acme.com Acme idp=okta start=2026-12-07", {
      user: "UADMIN",
      channel: "CSUPPORT",
    });
    await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    const starts = () =>
      h.slack
        .callsTo("chat.postMessage")
        .filter((c) => /^jo@acme.com starts/.test(String(c.args.text)));
    await h.runtime.evaluate();
    expect(starts()).toHaveLength(0); // Thursday: more than a working day before Monday 09:00
    t = Date.parse("2026-12-04T09:30:00Z"); // Friday 09:30: one working day before
    await h.runtime.evaluate();
    await h.runtime.evaluate();
    expect(starts()).toHaveLength(1);
    expect(textsOf(starts()[0]?.args.blocks).join("\n")).toMatch(/still not in Descope/);
    await h.runtime.stop();
    harnesses = harnesses.filter((x) => x !== h);
    const again = await start({}, { prefix, now: clock.now });
    again.descope.now = clock.now;
    await again.runtime.evaluate();
    expect(
      again.slack.callsTo("chat.postMessage").filter((c) => /starts/.test(String(c.args.text))),
    ).toHaveLength(0);
    h.redis.disconnect();
    await Promise.all([h.descope.stop(), h.slack.stop()]);
  });

  it("start= that is not a date is refused with the reason", async () => {
    const h = await start();
    const r = await h.command("expect jo@acme.com Acme start=monday", {
      user: "UADMIN",
      channel: "CSUPPORT",
    });
    const a = await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    expect(String((a.body as { text: string }).text)).toMatch(/Malformed start=/);
  });
});

describe("scimwatch expect --file", () => {
  it("reads CSV (BOM, CRLF, quotes, bad rows) and JSON lines into the same store and checklist", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const h = await start();
    const dir = mkdtempSync(join(tmpdir(), "scimwatch-expect-"));
    const csv = join(dir, "hires.csv");
    writeFileSync(
      csv,
      '\uFEFFemail,name,start_date\r\n"ana@acme.com","Ana, the new CTO",2026-12-07\r\nbob@acme.com,Bob,\r\nnot-an-email,X,\r\ncid@acme.com,Cid,someday\r\n,,\r\n',
    );
    const jsonl = join(dir, "hires.jsonl");
    writeFileSync(jsonl, '{"email":"dee@acme.com","name":"Dee","startDate":"2026-12-08"}\n{oops\n');
    const env = {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-signing-secret-0123456789",
      SLACK_API_URL: h.slack.apiUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      SCIMWATCH_REDIS_PREFIX: h.prefix,
      DESCOPE_PROJECT_ID: h.descope.projectId,
      DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
      DESCOPE_BASE_URL: h.descope.url,
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
    };
    const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
    const run = promisify(execFile);
    const out = JSON.parse(
      (
        await run(process.execPath, [CLI, "expect", "--tenant", "Acme", "--file", csv, "--json"], {
          env,
          cwd: dir,
        })
      ).stdout,
    );
    expect(out.registered).toBe(2);
    // Each rejected row names its line in the file (the header is line 1).
    expect(
      (out.rejected as Array<{ input: string; row: number }>)
        .map((r) => `${r.row}:${r.input}`)
        .sort(),
    ).toEqual(["4:not-an-email", "5:cid@acme.com", "6:row 6"]);
    const text = (
      await run(process.execPath, [CLI, "expect", "--tenant", "Acme", "--file", csv], {
        env,
        cwd: dir,
      })
    ).stdout;
    expect(text).toMatch(/not registered \(line 5\): cid@acme\.com — the start date is not a date/);
    const out2 = JSON.parse(
      (
        await run(
          process.execPath,
          [CLI, "expect", "--tenant", "Acme", "--file", jsonl, "--json"],
          { env, cwd: dir },
        )
      ).stdout,
    );
    expect(out2.registered).toBe(1);
    expect(out2.rejected).toEqual([{ input: "line 2", reason: "not JSON", row: 2 }]);
    const hires = await h.runtime.hires.getMany(await h.runtime.hires.openIds());
    const ana = hires.find((r) => r.hire.loginId === "ana@acme.com")?.hire;
    expect(ana?.displayName).toBe("Ana, the new CTO");
    expect(new Date(ana?.startDate ?? 0).toISOString()).toBe("2026-12-07T09:00:00.000Z");
    expect(hires).toHaveLength(3);
    expect(
      h.slack
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === "CALERTS" && /Onboarding/.test(String(c.args.text))),
    ).toHaveLength(2);
    const bad = await run(process.execPath, [CLI, "expect", "--file", csv], {
      env,
      cwd: dir,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/missing --tenant/);
  });
});

describe("per-tenant webhook secrets (/scim webhook <tenant>)", () => {
  const KEY = randomBytes(32).toString("base64");
  async function startTwo(env: Record<string, string> = {}) {
    const h = await startHarness(
      {
        SCIMWATCH_WEBHOOK_SECRET: SECRET,
        SCIMWATCH_ALERT_CHANNEL: "CALERTS",
        SCIMWATCH_SECRETS_KEY: KEY,
        ...env,
      },
      (d) => {
        d.tenants.push({ id: "T-acme", name: "Acme" }, { id: "T-globex", name: "Globex" });
        d.sso["T-acme"] = { saml: ENTRA_SAML };
      },
    );
    harnesses.push(h);
    return h;
  }
  async function issue(h: Harness, tenant: string, user = "UADMIN") {
    const r = await h.command(`webhook ${tenant}`, { user });
    const body = (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body;
    const all = `${body.text}\n${textsOf(body.blocks).join("\n")}`;
    return {
      all,
      ephemeral: body.response_type === "ephemeral",
      kid: /Key ID: `([a-f0-9]{12})`/.exec(all)?.[1] ?? "",
      secret: /Secret: `(whsec_[\w-]+)`/.exec(all)?.[1] ?? "",
    };
  }
  const withKid = (kid: string, headers: Record<string, string>) => ({
    ...headers,
    "x-scimwatch-key-id": kid,
  });
  const tenantsOf = async (h: Harness) =>
    (await h.runtime.hires.getMany(await h.runtime.hires.openIds())).map((r) => r.hire.tenantId);

  it("a tenant's secret reaches that tenant only; the shared secret reaches any; unknown tenants are 422, never echoed", async () => {
    const h = await startTwo();
    expect((await issue(h, "Acme", "USUPPORT")).all).toMatch(/Only scimwatch admins/);
    const acme = await issue(h, "Acme");
    expect(acme.ephemeral).toBe(true);
    expect(acme.kid).toMatch(/^[a-f0-9]{12}$/);
    expect(acme.secret).toMatch(/^whsec_/);
    // Stored sealed, never in clear, never logged.
    const stored = JSON.stringify(await h.redis.hgetall(`${h.prefix}:webhook:keys`));
    expect(stored).not.toContain(acme.secret);
    expect(h.logs.join("\n")).not.toContain(acme.secret);

    // No tenant field: the key's own tenant.
    const own = JSON.stringify({ hires: [{ email: "a1@acme.com" }] });
    const r1 = await post(h, own, withKid(acme.kid, signed(own, { secret: acme.secret })));
    expect(r1.status).toBe(200);
    expect(r1.json.registered).toBe(1);
    // Naming another customer's tenant is refused: nothing lands in Globex.
    const other = JSON.stringify({ tenant: "Globex", hires: [{ email: "x@globex.com" }] });
    const r2 = await post(h, other, withKid(acme.kid, signed(other, { secret: acme.secret })));
    expect(r2.status).toBe(403);
    // Without the key ID header, the tenant named in the body finds its key.
    const named = JSON.stringify({ tenant: "Acme", hires: [{ email: "a2@acme.com" }] });
    expect((await post(h, named, signed(named, { secret: acme.secret }))).status).toBe(200);
    // …but Acme's secret cannot sign for Globex that way either.
    expect((await post(h, other, signed(other, { secret: acme.secret }))).status).toBe(401);
    expect(await tenantsOf(h)).toEqual(["T-acme", "T-acme"]);

    // The operator's shared secret serves every tenant; an unknown one is 422 without its name.
    expect((await post(h, other, signed(other))).status).toBe(200);
    const unknown = JSON.stringify({ tenant: "Initech-<b>", hires: [{ email: "x@i.com" }] });
    const r3 = await post(h, unknown, signed(unknown));
    expect(r3.status).toBe(422);
    expect(JSON.stringify(r3.json)).not.toMatch(/Initech/);

    // A new secret revokes the old one.
    const again = await issue(h, "Acme");
    expect(again.all).toMatch(/previous secret of this tenant stopped working/);
    const late = JSON.stringify({ hires: [{ email: "a3@acme.com" }] });
    expect(
      (await post(h, late, withKid(acme.kid, signed(late, { secret: acme.secret })))).status,
    ).toBe(401);
    expect(
      (await post(h, late, withKid(again.kid, signed(late, { secret: again.secret })))).status,
    ).toBe(200);
  });

  it("without SCIMWATCH_SECRETS_KEY there are no per-tenant secrets, and says why", async () => {
    const h = await startTwo({ SCIMWATCH_SECRETS_KEY: "" });
    expect((await issue(h, "Acme")).all).toMatch(/SCIMWATCH_SECRETS_KEY/);
  });

  it("Idempotency-Keys belong to their signer; the same key with another body is 422", async () => {
    const h = await startTwo();
    const acme = await issue(h, "Acme");
    const key = randomUUID();
    const a = JSON.stringify({ hires: [{ email: "i1@acme.com" }] });
    expect(
      (await post(h, a, withKid(acme.kid, signed(a, { secret: acme.secret, key })))).json
        .registered,
    ).toBe(1);
    const b = JSON.stringify({ hires: [{ email: "i2@acme.com" }] });
    const reused = await post(h, b, withKid(acme.kid, signed(b, { secret: acme.secret, key })));
    expect(reused.status).toBe(422);
    // Another signer's request with the same key is its own: never the first one's answer.
    const g = JSON.stringify({ tenant: "Globex", hires: [{ email: "g1@globex.com" }] });
    const shared = await post(h, g, signed(g, { key }));
    expect(shared.status).toBe(200);
    expect(shared.json.registered).toBe(1);
  });

  it("answers once the hires are stored, while Slack hangs; a BOM, per-row IdPs, old assignments and nowhere to post are answered", async () => {
    const h = await startTwo({ SCIMWATCH_ALERT_CHANNEL: "" });
    // Slack takes 5 s to answer each post.
    h.slack.postFaults.push(...Array.from({ length: 5 }, () => ({ delayMs: 5_000 })));
    const body = `\uFEFF${JSON.stringify({
      tenant: "Acme",
      hires: [
        { email: "o1@acme.com", idp: "okta" },
        { email: "e1@acme.com" },
        { email: "old@acme.com", assignedAt: "1970-01-01T00:00:00Z" },
        { email: "weird@acme.com", idp: "keycloak" },
        { email: "flip@acme.com", name: "Jane \u202Efdp.exe" },
        { email: "link@acme.com", name: "Win a prize at evil.example.com" },
      ],
    })}`;
    const t0 = Date.now();
    const r = await post(h, body, signed(body));
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(r.status).toBe(200);
    expect(r.json.registered).toBe(3);
    const rejected = r.json.rejected as Array<{ input: string; reason: string }>;
    expect(rejected.find((x) => x.input === "old@acme.com")?.reason).toMatch(/more than 30 days/);
    expect(rejected.find((x) => x.input === "weird@acme.com")?.reason).toMatch(/unknown idp/);
    // A name that would read backwards is refused like a login ID; a link in a name is inert.
    expect(rejected.find((x) => x.input === "flip@acme.com")?.reason).toMatch(/U\+202E/);
    const list = await h.slack.waitFor(() =>
      h.slack.callsTo("chat.postMessage").find((c) => /link@acme/.test(JSON.stringify(c.args))),
    );
    expect(textsOf(list.args.blocks).join("\n")).toContain("(Win a prize at `evil.example.com`)");
    // Not linked, no alert channel: the answer says nothing will be delivered.
    expect(String(r.json.warning)).toMatch(/no channel receives/);
    const byLogin = new Map(
      (await h.runtime.hires.getMany(await h.runtime.hires.openIds())).map((x) => [
        x.hire.loginId,
        x.hire.idp,
      ]),
    );
    expect(byLogin.get("o1@acme.com")).toBe("okta");
    expect(byLogin.get("e1@acme.com")).toBe("azure");
  });
});
