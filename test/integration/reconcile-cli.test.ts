/**
 * `scimwatch reconcile` as a process (dist/cli.js) against a loopback
 * Descope and a loopback Okta org: the JSON report's fields, the CSV file,
 * the text, and the exit codes (0 an answer, 1 a source failed, 2 bad usage).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../fakes/builders.js";
import { FakeDescope } from "../fakes/descope.js";
import { FakeOkta } from "../fakes/okta.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const okta = new FakeOkta();
const descope = new FakeDescope();

beforeAll(async () => {
  okta.users = [
    { id: "00u-ana", login: "ana@globex.com" },
    { id: "00u-bob", login: "bob@globex.com" },
    { id: "00u-dee", login: "dee@globex.com", status: "SUSPENDED" },
    { id: "00u-eve", login: "eve@globex.com" },
    { id: "00u-fay", login: "fay@globex.com" },
  ];
  okta.apps = [
    {
      id: "0oa1descope0000000",
      label: "Descope",
      groups: [],
      users: {
        "00u-ana": { scope: "GROUP", status: "PROVISIONED", syncState: "SYNCHRONIZED" },
        "00u-bob": { scope: "GROUP", status: "PROVISIONED", syncState: "ERROR" },
        "00u-dee": { scope: "USER", status: "PROVISIONED" },
        "00u-eve": { scope: "USER", status: "DEPROVISIONED" },
        "00u-fay": {
          scope: "USER",
          status: "STAGED",
          created: new Date(Date.now() - 60_000).toISOString(),
        },
      },
      lifecycleCreate: "ENABLED",
    },
  ];
  descope.tenants.push({ id: "T-globex", name: "Globex" });
  const g = { tenantId: "T-globex", tenantName: "Globex" };
  descope.users.push(
    user({ loginId: "ana@globex.com", ...g }),
    user({ loginId: "dee@globex.com", ...g }),
    user({ loginId: "eve@globex.com", ...g }),
    user({ loginId: "hand@globex.com", ...g, scim: false }),
  );
  await Promise.all([okta.start(), descope.start()]);
});
afterAll(async () => {
  await Promise.all([okta.stop(), descope.stop()]);
});

async function cli(args: string[], extra: Record<string, string> = {}) {
  const env = {
    PATH: process.env.PATH ?? "",
    DESCOPE_PROJECT_ID: descope.projectId,
    DESCOPE_MANAGEMENT_KEY: descope.managementKey,
    DESCOPE_BASE_URL: descope.url,
    OKTA_API_TOKEN: okta.token,
    SCIMWATCH_ALLOW_LOOPBACK_IDP: "true",
    ...extra,
  };
  return promisify(execFile)(process.execPath, [CLI, "reconcile", ...args], { env, cwd: tmpdir() })
    .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }));
}

describe("scimwatch reconcile", () => {
  it("--json: the report's fields, one category per person, against Okta", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-"));
    const csv = join(dir, "out.csv");
    const r = await cli([
      "--tenant",
      "Globex",
      "--okta-url",
      okta.url,
      "--okta-app",
      "Descope",
      "--json",
      "--csv",
      csv,
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      tenantId: string;
      tenantName: string;
      idp: string;
      at: string;
      counts: Record<string, number>;
      people: Array<{
        loginId: string;
        category: string;
        idpState: string;
        descopeState: string;
        fix: string;
      }>;
    };
    expect(Object.keys(j).slice(0, 6)).toEqual([
      "tenantId",
      "tenantName",
      "idp",
      "at",
      "counts",
      "people",
    ]);
    expect(j).toMatchObject({ tenantId: "T-globex", tenantName: "Globex", idp: "okta" });
    expect(Date.parse(j.at)).toBeGreaterThan(0);
    const cat = Object.fromEntries(j.people.map((p) => [p.loginId, p.category]));
    expect(cat).toEqual({
      "ana@globex.com": "in_sync",
      "bob@globex.com": "missing",
      "dee@globex.com": "orphaned",
      "eve@globex.com": "orphaned",
      "fay@globex.com": "pending",
      "hand@globex.com": "not_scim_managed",
    });
    expect(j.counts).toMatchObject({
      missing: 1,
      orphaned: 2,
      pending: 1,
      not_scim_managed: 1,
      in_sync: 1,
    });
    const eve = j.people.find((p) => p.loginId === "eve@globex.com");
    expect(eve?.idpState).toMatch(/DEPROVISIONED/);
    expect(j.people.find((p) => p.loginId === "bob@globex.com")?.idpState).toMatch(
      /^assigned via a group · enabled · PROVISIONED · ERROR$/,
    );
    expect(eve?.fix).toMatch(/Deactivate Users/);
    expect(readFileSync(csv, "utf8").split("\r\n")).toHaveLength(8);
    expect(r.stderr).toMatch(/Reading Descope users/);
  });

  it("text without a connector; usage errors exit 2; an unreachable Descope exits 1", async () => {
    const t = await cli(["--tenant", "T-globex"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/Counts: not_scim_managed 1 · unverified 3/);
    expect(t.stdout).toMatch(/no IdP connector/);
    expect((await cli([])).code).toBe(2);
    expect((await cli(["--tenant", "Globex", "--okta-url", okta.url])).stderr).toMatch(
      /--okta-url and --okta-app go together/,
    );
    expect((await cli(["--tenant", "Globex", "--sync-all"])).code).toBe(2);
    const down = await cli(["--tenant", "Globex", "--json"], {
      DESCOPE_BASE_URL: "http://127.0.0.1:9",
      DESCOPE_TIMEOUT_MS: "300",
      DESCOPE_MAX_RETRY_WAIT_MS: "0",
    });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).error.message).toMatch(/Descope/);
  });

  it("a Descope that caps the page size silently is read to the end, at the size it answers", async () => {
    descope.userPageCap = 2;
    try {
      const r = await cli(["--tenant", "Globex", "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as { people: unknown[] };
      expect(j.people).toHaveLength(4);
    } finally {
      descope.userPageCap = null;
    }
  });
});
