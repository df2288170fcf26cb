/**
 * Descope's audit log as it really is, through the CLI against the fake:
 * SCIM rows that name the person only in what the IdP sent, busy users,
 * mixed-case login IDs, OIDC roleMappings, refused optional look-ups and the
 * license handshake.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvent, ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import { FakeDescope, type WireAudit } from "../fakes/descope.js";

const run = promisify(execFile);
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const MIN = 60_000;
const now = Date.now();
let fake: FakeDescope;

beforeEach(async () => {
  fake = new FakeDescope();
  fake.tenants.push({ id: "T-acme", name: "Acme Corp" });
  fake.settings["T-acme"] = { JITDisabled: true };
  fake.sso["T-acme"] = { saml: ENTRA_SAML };
  await fake.start();
});
afterEach(() => fake.stop());

async function check(loginId: string, ...extra: string[]) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DESCOPE_PROJECT_ID: fake.projectId,
    DESCOPE_MANAGEMENT_KEY: fake.managementKey,
    DESCOPE_BASE_URL: fake.url,
    DESCOPE_TIMEOUT_MS: "2000",
  };
  try {
    const { stdout } = await run(
      process.execPath,
      [CLI, "check", loginId, "--tenant", "Acme Corp", "--json", ...extra],
      { env, cwd: "/" },
    );
    return JSON.parse(stdout);
  } catch (e) {
    throw new Error(`check failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
}

/** A failed SCIM create whose row does not carry the login ID in externalIds. */
function failedCreate(at: number, request: Record<string, unknown>): WireAudit {
  const row = scimEvent({
    at,
    loginId: "x",
    tenant: "T-acme",
    error: "400 Bad Request: bad attribute",
  });
  return { ...row, externalIds: [], data: { ...row.data, scim_request: request } };
}

const audits = () => fake.calls.filter((c) => c.route === "audit");

describe("live checks find SCIM rows however they carry the person", () => {
  it("a failed create with the login ID only in scim_request.userName is a scim_error", async () => {
    fake.audits.push(failedCreate(now - 20 * MIN, { userName: "jane@acme.com" }));
    const out = await check("jane@acme.com");
    expect(out.verdict).toBe("scim_error");
    expect(out.summary).toContain("bad attribute");
    expect(audits()).toHaveLength(1);
    const body = audits()[0]?.body as Record<string, unknown>;
    expect(body.text).toBe("jane@acme.com");
    expect(body).not.toHaveProperty("externalIds");
  });

  it("a failed create that names the person only in emails[].value is a scim_error", async () => {
    fake.audits.push(
      failedCreate(now - 20 * MIN, {
        userName: "7f3a-object-id",
        emails: [{ value: "Raj@Acme.com", primary: true }],
      }),
    );
    expect((await check("raj@acme.com")).verdict).toBe("scim_error");
  });

  it("login IDs compare case-insensitively", async () => {
    fake.audits.push(failedCreate(now - 20 * MIN, { userName: "mia@acme.com" }));
    const out = await check("Mia@ACME.com");
    expect(out.verdict).toBe("scim_error");
  });

  it("a user stored in lower case is found when the login ID is typed in mixed case", async () => {
    fake.caseSensitiveLogins = true;
    fake.users.push(user({ loginId: "lea@acme.com", tenantId: "T-acme", roles: ["member"] }));
    fake.audits.push(scimEvent({ at: now - 60 * MIN, loginId: "lea@acme.com", tenant: "T-acme" }));
    const out = await check("Lea@Acme.COM");
    expect(out.verdict).toBe("provisioned");
  });

  it("rows of another person that the text search also matches are not evidence", async () => {
    fake.audits.push(failedCreate(now - 20 * MIN, { userName: "anna.jane@acme.com" }));
    fake.audits.push(
      auditEvent("LoginFailed", {
        at: now - 5 * MIN,
        loginId: "mary.jane@acme.com",
        tenant: "T-acme",
      }),
    );
    const out = await check("jane@acme.com");
    expect(out.verdict).toBe("not_provisioned");
  });
});

describe("a busy user: sign-ins cannot crowd out SCIM rows, nor the reverse", () => {
  it("1,200 failed sign-ins newer than the failed create: still a scim_error, two searches", async () => {
    fake.audits.push(failedCreate(now - 3 * 86_400_000, { userName: "busy@acme.com" }));
    for (let i = 0; i < 1200; i++) {
      fake.audits.push(
        auditEvent("LoginFailed", {
          at: now - 2 * 86_400_000 + i * 1000,
          loginId: "busy@acme.com",
          tenant: "T-acme",
          errorMessage: "user not found",
        }),
      );
    }
    const out = await check("busy@acme.com");
    expect(out.verdict).toBe("scim_error");
    expect(audits()).toHaveLength(2);
  });

  it("1,100 SCIM updates newer than the last sign-in: the sign-in is still seen", async () => {
    fake.users.push(
      user({
        loginId: "pat@acme.com",
        tenantId: "T-acme",
        roles: ["member"],
        createdAt: now - 9 * 86_400_000,
      }),
    );
    fake.audits.push(
      auditEvent("LoginFailed", {
        at: now - 8 * 86_400_000,
        loginId: "pat@acme.com",
        tenant: "T-acme",
        errorMessage: "mfa failed",
      }),
    );
    for (let i = 0; i < 1100; i++) {
      fake.audits.push(
        scimEvent({
          at: now - 7 * 86_400_000 + i * 1000,
          loginId: "pat@acme.com",
          tenant: "T-acme",
          scimAction: "PatchUser",
        }),
      );
    }
    const out = await check("pat@acme.com");
    expect(out.verdict).toBe("provisioned");
    expect(JSON.stringify(out.evidence)).toContain("mfa failed");
    expect(audits()).toHaveLength(2);
  });

  it("a page that is not full costs exactly one search", async () => {
    for (let i = 0; i < 999; i++) {
      fake.audits.push(
        auditEvent("LoginFailed", {
          at: now - 86_400_000 + i,
          loginId: "q@acme.com",
          tenant: "T-acme",
        }),
      );
    }
    await check("q@acme.com");
    expect(audits()).toHaveLength(1);
  });
});

describe("tenant settings as Descope sends them", () => {
  it("OIDC roleMappings [{ groups, roleName }] name the role", async () => {
    fake.sso["T-acme"] = {
      oidc: {
        issuer: "https://login.microsoftonline.com/6f1c7e2a-0000-4000-8000-000000000000/v2.0",
        roleMappings: [{ groups: ["Engineering"], roleName: "Engineer" }],
      },
    };
    fake.users.push(user({ loginId: "noor@acme.com", tenantId: "T-acme", roles: [] }));
    fake.audits.push(scimEvent({ at: now - 60 * MIN, loginId: "noor@acme.com", tenant: "T-acme" }));
    const out = await check("noor@acme.com");
    expect(out.verdict).toBe("provisioned_no_roles");
    const text = out.remediation.join("\n");
    expect(text).toContain("Engineer");
    expect(text).not.toContain("unnamed role");
  });

  it("an optional look-up refused with 403 does not abort the check and is named", async () => {
    fake.users.push(user({ loginId: "ada@acme.com", tenantId: "T-acme", roles: ["member"] }));
    fake.audits.push(scimEvent({ at: now - 60 * MIN, loginId: "ada@acme.com", tenant: "T-acme" }));
    fake.fail("sso", {
      status: 403,
      body: '{"errorCode":"E011003","errorDescription":"Forbidden"}',
    });
    const out = await check("ada@acme.com");
    expect(out.verdict).toBe("provisioned");
    expect(out.notes.join("\n")).toMatch(
      /SSO settings .* could not be read: Descope refused it \(HTTP 403/,
    );
  });
});

describe("rate-limit bucket and identity", () => {
  it("does the license handshake once and sends x-descope-license and an honest User-Agent", async () => {
    fake.audits.push(failedCreate(now - 20 * MIN, { userName: "jane@acme.com" }));
    await check("jane@acme.com");
    expect(fake.count("license")).toBe(1);
    const mgmt = fake.headers.filter((h) => h.route !== "license");
    expect(mgmt.length).toBeGreaterThanOrEqual(3);
    for (const h of mgmt) {
      expect(h.headers["x-descope-license"]).toBe("tier2");
      expect(h.headers["user-agent"]).toMatch(/^scimwatch\/\d+\.\d+\.\d+ /);
      expect(h.headers["user-agent"]).not.toMatch(/descope-?sdk/i);
    }
  });

  it("goes on without the header when the handshake fails", async () => {
    fake.rateLimitTier = null;
    fake.audits.push(failedCreate(now - 20 * MIN, { userName: "jane@acme.com" }));
    expect((await check("jane@acme.com")).verdict).toBe("scim_error");
    for (const h of fake.headers) expect(h.headers["x-descope-license"]).toBeUndefined();
  });
});
