/**
 * Never confidently wrong (issue #23): the failures support meets most, each
 * through `scimwatch check` and through `/scim check` on the real Bolt
 * receiver, against the same fake Descope. (An IdP's proof and its real next
 * cycle, which need a connector, are in entra.test.ts.)
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, OKTA_SAML, scimEvent, user } from "../fakes/builders.js";
import { ALIASES, PEOPLE, seedScenario } from "../fakes/scenario.js";
import { blockKitProblems, type Harness, startHarness, textsOf } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const MIN = 60_000;
const now = Date.now();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS" }, (d) => {
    seedScenario(d, now);
    // Initech: JIT and SCIM both on; a sign-in rewrites what SCIM set.
    d.tenants.push({ id: "T-jit", name: "Initech" });
    d.settings["T-jit"] = { JITDisabled: false };
    d.sso["T-jit"] = { saml: OKTA_SAML };
    d.users.push(
      user({
        loginId: "peter@initech.com",
        userId: "U-peter",
        tenantId: "T-jit",
        roles: ["member"],
      }),
    );
    d.audits.push(
      scimEvent({
        at: now - 2 * 86_400_000,
        loginId: "peter@initech.com",
        userId: "U-peter",
        tenant: "T-jit",
      }),
      auditEvent("LoginSucceed", {
        at: now - 10 * MIN,
        loginId: "peter@initech.com",
        userId: "U-peter",
        tenant: "T-jit",
      }),
      auditEvent("UserModified", {
        at: now - 9 * MIN,
        loginId: "peter@initech.com",
        userId: "U-peter",
        tenant: "T-jit",
      }),
    );
    // Multico: SSO for staff on Entra (the default), for contractors on Okta, whose
    // configuration holds the SCIM key.
    d.tenants.push({ id: "T-multi", name: "Multico" });
    d.settings["T-multi"] = { JITDisabled: true };
    d.sso["T-multi"] = { saml: { idpEntityId: "https://sts.windows.net/6f1c/" } };
    d.ssoExtra["T-multi"] = [{ ssoId: "contractors", displayName: "Contractors", saml: OKTA_SAML }];
    d.scimKeys["T-multi"] = [
      {
        ssoId: "contractors",
        key: { id: "K1", name: "scim-okta", status: "active", expireTime: 0 },
      },
    ];
  });
});
afterAll(() => h.stop());

async function cli(...args: string[]): Promise<Record<string, unknown>> {
  const env = {
    PATH: process.env.PATH ?? "",
    DESCOPE_PROJECT_ID: h.descope.projectId,
    DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
    DESCOPE_BASE_URL: h.descope.url,
  };
  const r = await promisify(execFile)(process.execPath, [CLI, "check", ...args, "--json"], {
    env,
    cwd: tmpdir(),
  }).catch((e: { stdout: string }) => e);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function slack(text: string): Promise<{ text: string; all: string }> {
  const r = await h.command(text, { user: "UADMIN", channel: "CSUPPORT" });
  const body = (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body;
  expect(blockKitProblems(body)).toEqual([]);
  return { text: String(body.text), all: `${body.text}\n${textsOf(body.blocks).join("\n")}` };
}

describe("the same answer from the CLI and from /scim check", () => {
  it("2. no tenant given: the audit rows name it, and its IdP's steps follow", async () => {
    const out = await cli(PEOPLE.sso_without_scim);
    expect(out).toMatchObject({
      tenantId: "T-acme",
      tenantSource: "audit",
      verdict: "sso_without_scim",
    });
    expect((out.idp as { id: string }).id).toBe("azure");
    const s = await slack(`check ${PEOPLE.sso_without_scim}`);
    expect(s.all).toMatch(/tenant \*Acme Corp\* · IdP: \*Microsoft Entra ID\*/);
    expect(s.all).not.toMatch(/IdP: \*the IdP\*/);
  });

  it("3. SSO sends the e-mail, SCIM provisioned the UPN: identifier_mismatch, both identifiers, the mapping fix", async () => {
    const out = await cli(PEOPLE.identifier_mismatch);
    expect(out).toMatchObject({
      verdict: "identifier_mismatch",
      matchedBy: "email",
      descopeLoginIds: [ALIASES.identifier_mismatch],
      tenantId: "T-acme",
    });
    expect(String(out.summary)).toMatch(
      /SSO sends priya@acme.com .* SCIM provisioned userName priya.s@acme.onmicrosoft.com/,
    );
    expect((out.remediation as string[])[0]).toMatch(
      /Unique User Identifier \(Name ID\).*userName/,
    );
    const s = await slack(`check ${PEOPLE.identifier_mismatch} Acme Corp`);
    expect(s.text).toMatch(/^Exists under another login ID/);
    expect(s.all).toContain(`in Descope as *${ALIASES.identifier_mismatch}*, matched by e-mail`);
    expect(s.all).not.toMatch(/never provisioned|never pushed/);
  });

  it.each([
    ["renamed: found by e-mail", ALIASES.byEmail, "email", "e-mail"],
    [
      "a guest: found by the userName Entra sent over SCIM",
      ALIASES.byScimUserName,
      "scim_user_name",
      "the userName the IdP sent over SCIM",
    ],
  ] as const)("3. %s: the user's own verdict, with a note", async (_why, who, matchedBy, words) => {
    const out = await cli(who.typed);
    expect(out).toMatchObject({
      verdict: "provisioned",
      matchedBy,
      descopeLoginIds: [who.loginId],
      tenantSource: "user",
    });
    expect((out.notes as string[]).join("\n")).toContain(
      `No Descope user has the login ID ${who.typed}`,
    );
    const s = await slack(`check ${who.typed}`);
    expect(s.text).toMatch(/^Provisioned/);
    expect(s.all).toContain(`matched by ${words}`);
  });

  it("3. the login ID itself: matchedBy login_id; nobody: null", async () => {
    expect(await cli(PEOPLE.provisioned)).toMatchObject({
      matchedBy: "login_id",
      descopeLoginIds: [PEOPLE.provisioned],
    });
    expect(await cli(PEOPLE.not_provisioned, "--tenant", "T-acme")).toMatchObject({
      matchedBy: null,
      descopeLoginIds: [],
    });
  });

  it("4. deleted by the IdP: 'removed by Entra on <date>', no advice about forgotten assignments", async () => {
    const out = await cli(PEOPLE.deleted_by_idp, "--tenant", "Acme Corp");
    expect(out.verdict).toBe("deleted_by_idp");
    const s = await slack(`check ${PEOPLE.deleted_by_idp} Acme Corp`);
    expect(s.text).toMatch(
      /^Removed by the IdP: .*Microsoft Entra ID removed them over SCIM on \d{4}-\d\d-\d\d/,
    );
    expect(s.all).not.toMatch(/next hire is not forgotten/);
  });

  it("6. JIT and SCIM both on: the check says why the roles flip", async () => {
    const out = await cli("peter@initech.com");
    expect((out.notes as string[]).join("\n")).toMatch(/JIT and SCIM are both on for this tenant/);
    const s = await slack("check peter@initech.com Initech");
    expect(s.all).toMatch(/JIT and SCIM are both on .*Descope advises turning JIT off/);
  });

  it("7. several SSO configurations: the IdP of the one holding the SCIM key, and why", async () => {
    const out = await cli("mo@multico.com", "--tenant", "Multico");
    expect(out.idp).toMatchObject({ id: "okta" });
    expect((out.idp as { reason: string }).reason).toMatch(
      /okta\.com.*in the SSO configuration "contractors", which holds the tenant's SCIM key \(2 configurations\)/,
    );
    expect((out.remediation as string[]).join("\n")).toMatch(/Assign to Groups/);
    const s = await slack("check mo@multico.com Multico");
    expect(s.all).toMatch(/IdP: \*Okta\*/);
    expect(s.all).toMatch(/which holds the tenant's SCIM key/);
    // Without a key that tells, the default is used and the doubt is said.
    const keys = h.descope.scimKeys["T-multi"];
    h.descope.scimKeys["T-multi"] = [];
    await h.redis.del(...(await h.redis.keys(`${h.prefix}*cache*`)));
    try {
      const ambiguous = await cli("mo@multico.com", "--tenant", "Multico");
      expect((ambiguous.idp as { reason: string }).reason).toMatch(
        /the tenant has 2 \(the default: Microsoft Entra ID, "contractors": Okta\) and its SCIM keys do not tell/,
      );
    } finally {
      if (keys) h.descope.scimKeys["T-multi"] = keys;
    }
  });
});

describe("alerts and /scim activity say the same", () => {
  it("a sign-in under the e-mail of someone provisioned as the UPN: one identifier-mismatch alert per pair, never 'never provisioned'", async () => {
    await h.runtime.tailOnce();
    await h.runtime.notifyOnce();
    const alerts = () =>
      h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS");
    const texts = alerts().map((a) => String(a.args.text));
    expect(
      texts.filter((t) =>
        t.startsWith(
          "priya@acme.com cannot sign in: Descope has them as priya.s@acme.onmicrosoft.com",
        ),
      ),
    ).toHaveLength(1);
    expect(
      texts.some((t) => t.includes("priya@acme.com tried to sign in but was never provisioned")),
    ).toBe(false);
    // The contractor, who really was never provisioned, still is alerted as such.
    expect(
      texts.some((t) =>
        t.includes(`${PEOPLE.sso_without_scim} tried to sign in but was never provisioned`),
      ),
    ).toBe(true);
    // Another failed sign-in of the same pair, a day later or now: no second alert.
    h.descope.audits.push(
      auditEvent("LoginFailed", {
        at: Date.now(),
        loginId: PEOPLE.identifier_mismatch,
        tenant: "T-acme",
      }),
    );
    await h.runtime.tailOnce();
    await h.runtime.notifyOnce();
    expect(
      alerts()
        .map((a) => String(a.args.text))
        .filter((t) => t.startsWith("priya@acme.com cannot sign in")),
    ).toHaveLength(1);
  });

  it("/scim activity lists JIT rewriting what SCIM set, and not the mismatched person as never provisioned", async () => {
    await h.runtime.tailOnce();
    const jit = await slack("activity Initech");
    expect(jit.all).toMatch(
      /JIT rewrites what SCIM set\*\n• peter@initech.com — modified right after an SSO sign-in/,
    );
    const acme = await slack("activity Acme Corp");
    expect(acme.all).not.toMatch(/JIT rewrites/);
    expect(acme.all).toMatch(/never provisioned\*\n.*contractor@acme.com/);
    expect(acme.all).not.toMatch(/• priya@acme.com/);
  });
});
