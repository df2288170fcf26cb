import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VERDICTS } from "../../src/core/diagnosis/verdicts.js";
import { FakeDescope } from "../fakes/descope.js";
import { PEOPLE, seedScenario } from "../fakes/scenario.js";

const run = promisify(execFile);
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;

let fake: FakeDescope;
const now = Date.now();

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error("dist/cli.js is missing: npm test builds it first (npm run build)");
  fake = new FakeDescope();
  seedScenario(fake, now);
  await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.calls.length = 0;
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DESCOPE_PROJECT_ID: fake.projectId,
    DESCOPE_MANAGEMENT_KEY: fake.managementKey,
    DESCOPE_BASE_URL: fake.url,
    DESCOPE_TIMEOUT_MS: "400",
    DESCOPE_MAX_RETRY_WAIT_MS: "1500",
    ...env,
  };
  for (const [k, v] of Object.entries(fullEnv)) if (v === undefined) delete fullEnv[k];
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: fullEnv });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("scimwatch check --json: every verdict is reachable", () => {
  it.each(VERDICTS.map((v) => [v]))("%s", async (verdict) => {
    const loginId = PEOPLE[verdict];
    const args = ["check", loginId, "--tenant", "Acme Corp", "--json"];
    if (verdict === "pending_cycle")
      args.push("--assigned-at", new Date(now - 10 * 60_000).toISOString());
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe(verdict);
    expect(out.loginId).toBe(loginId);
    expect(out.tenantId).toBe("T-acme");
    expect(typeof out.summary).toBe("string");
    expect(Array.isArray(out.evidence)).toBe(true);
    for (const e of out.evidence) {
      expect(Object.keys(e).sort()).toEqual(["at", "text"]);
      expect(new Date(e.at).toISOString()).toBe(e.at);
    }
    expect(out.remediation.every((s: unknown) => typeof s === "string")).toBe(true);
    expect(new Date(out.checkedAt).toISOString()).toBe(out.checkedAt);
    // Exactly one JSON object on stdout.
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    // At most one audit search per check.
    expect(fake.count("audit")).toBe(1);
  });
});

describe("scimwatch check: text report and inference", () => {
  it("prints a readable report and infers Entra ID from the SAML entity ID", async () => {
    const r = await cli(["check", PEOPLE.not_provisioned, "--tenant", "T-acme"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Not provisioned [not_provisioned]");
    expect(r.stdout).toContain(
      "IdP: Microsoft Entra ID (inferred from the tenant's SAML IdP entity ID (sts.windows.net))",
    );
    expect(r.stdout).toContain("What to do");
    expect(r.stdout).toMatch(/ {2}1\. /);
  });

  it("--idp overrides the inferred IdP", async () => {
    const r = await cli([
      "check",
      PEOPLE.not_provisioned,
      "--tenant",
      "T-acme",
      "--idp",
      "okta",
      "--json",
    ]);
    expect(JSON.parse(r.stdout).remediation.join(" ")).toContain("Assign to Groups");
  });

  it("without --tenant uses the user's tenant", async () => {
    const r = await cli(["check", PEOPLE.provisioned, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe("provisioned");
    expect(out.tenantId).toBe("T-acme");
  });

  it("without --tenant, an unknown user with no audit row and no matching domain has a null tenantId, and says so", async () => {
    const r = await cli(["check", PEOPLE.not_provisioned, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe("not_provisioned");
    expect(out.tenantId).toBeNull();
    expect(out.tenantSource).toBeNull();
    expect(out.notes.join("\n")).toMatch(/Tenant unknown: .*Add the tenant/);
  });

  it("without --tenant, the tenant comes from the argument, the user, the audit rows or the domain (tenantSource)", async () => {
    const named = JSON.parse(
      (await cli(["check", PEOPLE.provisioned, "--tenant", "Acme Corp", "--json"])).stdout,
    );
    expect(named.tenantSource).toBe("argument");
    expect(
      JSON.parse((await cli(["check", PEOPLE.provisioned, "--json"])).stdout).tenantSource,
    ).toBe("user");
    // The contractor was never provisioned, but their failed sign-in names Acme: its IdP and steps.
    const audit = JSON.parse((await cli(["check", PEOPLE.sso_without_scim, "--json"])).stdout);
    expect(audit.tenantId).toBe("T-acme");
    expect(audit.tenantSource).toBe("audit");
    expect(audit.idp.id).toBe("azure");
    // Nobody has a row, but the e-mail's domain is a tenant's.
    const globex = fake.tenants.find((t) => t.id === "T-globex");
    if (globex) globex.domains = ["globex.example"];
    try {
      const domain = JSON.parse((await cli(["check", "new@globex.example", "--json"])).stdout);
      expect(domain.tenantId).toBe("T-globex");
      expect(domain.tenantSource).toBe("domain");
    } finally {
      if (globex) delete globex.domains;
    }
  });

  it("someone the IdP deleted over SCIM is deleted_by_idp, with no advice about forgotten assignments", async () => {
    const out = JSON.parse(
      (await cli(["check", PEOPLE.deleted_by_idp, "--tenant", "Acme Corp", "--json"])).stdout,
    );
    expect(out.verdict).toBe("deleted_by_idp");
    expect(out.summary).toMatch(/Microsoft Entra ID removed them over SCIM on \d{4}-\d{2}-\d{2}/);
    const fix = out.remediation.join("\n");
    expect(fix).toMatch(/If it was a mistake, add them back to the group assigned/);
    expect(fix).not.toMatch(/so the next hire is not forgotten|never pushed/);
  });

  it("an expired --assigned-at window falls through to not_provisioned", async () => {
    const r = await cli([
      "check",
      PEOPLE.pending_cycle,
      "--tenant",
      "T-acme",
      "--assigned-at",
      new Date(now - 3 * 3_600_000).toISOString(),
      "--json",
    ]);
    expect(JSON.parse(r.stdout).verdict).toBe("not_provisioned");
  });
});

describe("scimwatch check: exit codes", () => {
  it.each([
    [["check"], /missing <loginId>/],
    [["check", "a@b.c", "--idp", "keycloak"], /unknown IdP: keycloak/],
    [["check", "a@b.c", "--assigned-at", "yesterday-ish"], /malformed --assigned-at/],
    [["check", "a@b.c", "--assigned-at", "2026-11-28T09:30"], /has no time zone: add Z/],
    [["check", "a@b.c", "--frobnicate"], /Unknown option/],
    [["check", "a@b.c", "--tenant", "Nope Inc"], /unknown tenant: Nope Inc/],
    [["check", "a@b.c", "--tenant", "Acme"], /unknown tenant: Acme .*; did you mean "Acme Corp"\?/],
    [["check", "a@b.c", "b@c.d"], /unexpected argument/],
    [["check", "eve\u202Egpj.exe@b.c"], /invisible control or direction character \(U\+202E\)/],
  ])("%j exits 2 with the usage line", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).toContain("usage: scimwatch check <loginId>");
  });

  it("exits 2 naming a missing variable, never a value", async () => {
    const r = await cli(["check", "a@b.c"], { DESCOPE_MANAGEMENT_KEY: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DESCOPE_MANAGEMENT_KEY is not set");
  });

  it("exits 1 on refused credentials, with an error object under --json, never the key", async () => {
    const r = await cli(["check", "a@b.c", "--json"], { DESCOPE_MANAGEMENT_KEY: "bad-key-xyz" });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("descope_auth");
    expect(out.error.message).toMatch(/refused the credentials/);
    expect(r.stdout + r.stderr).not.toContain("bad-key-xyz");
  });

  it("a DESCOPE_BASE_URL that does not resolve is named at once, not retried", async () => {
    const preload = new URL("../fakes/dns-nxdomain.mjs", import.meta.url).pathname;
    const fullEnv = {
      PATH: process.env.PATH,
      DESCOPE_PROJECT_ID: fake.projectId,
      DESCOPE_MANAGEMENT_KEY: fake.managementKey,
      DESCOPE_BASE_URL: "https://api.descope-typo.invalid",
      DESCOPE_MAX_RETRY_WAIT_MS: "20000",
    };
    const r = await run(process.execPath, ["--import", preload, CLI, "check", "a@b.c", "--json"], {
      env: fullEnv,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((r as { code?: number }).code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("descope_unreachable");
    expect(out.error.message).toMatch(
      /api\.descope-typo\.invalid does not resolve \(ENOTFOUND\): check DESCOPE_BASE_URL/,
    );
    expect(out.error.message).not.toMatch(/retry in/);
    // One look-up per call (the license handshake, the user load): no retries of a name that
    // does not exist (four attempts each before).
    expect(r.stderr).toMatch(/nxdomain-lookups=[12]\n/);
  });

  it("exits 1 when Descope keeps rate-limiting, saying when to retry", async () => {
    fake.fail("audit", { status: 429, headers: { "retry-after": "30" } });
    const r = await cli(["check", PEOPLE.not_provisioned, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("descope_rate_limited");
    expect(r.stderr).toMatch(/retry in about 30 s/);
  });

  it("exits 1 when Descope is unreachable", async () => {
    const r = await cli(["check", "a@b.c"], { DESCOPE_BASE_URL: "http://127.0.0.1:9" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not reach Descope/);
  });

  it("unknown command exits 2 with usage", async () => {
    const r = await cli(["frob"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command: frob");
  });
});
