import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDescope } from "./fakes/descope.js";
import { FakeSlack } from "./fakes/slack.js";
import { REDIS_URL } from "./helpers.js";

const run = promisify(execFile);
const CLI = new URL("../dist/cli.js", import.meta.url).pathname;
let descope: FakeDescope;
let slack: FakeSlack;
let env: Record<string, string>;

beforeAll(async () => {
  descope = new FakeDescope();
  descope.tenants.push({ id: "T1", name: "Acme" });
  slack = new FakeSlack();
  await Promise.all([descope.start(), slack.start()]);
  env = {
    PATH: process.env.PATH ?? "",
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: "test-signing-secret-0123456789",
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL,
    DESCOPE_PROJECT_ID: descope.projectId,
    DESCOPE_MANAGEMENT_KEY: descope.managementKey,
    DESCOPE_BASE_URL: descope.url,
  };
});
afterAll(async () => {
  await Promise.all([descope.stop(), slack.stop()]);
});

async function cli(args: string[], e: Record<string, string | undefined>) {
  const full = Object.fromEntries(
    Object.entries(e).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;
  try {
    // Run outside the repo so a developer's own .env never leaks into these tests.
    const r = await run(process.execPath, [CLI, ...args], { env: full, cwd: tmpdir() });
    return { code: 0, ...r };
  } catch (err) {
    const x = err as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("scimwatch doctor", () => {
  it("prints OK for every setting and connection, exit 0", async () => {
    const r = await cli(["doctor"], env);
    expect(r.stdout).toMatch(/^OK {4}Descope: credentials accepted .* \(1 tenants\)$/m);
    expect(r.stdout).toMatch(/^OK {4}Redis: /m);
    expect(r.stdout).toMatch(/^OK {4}Slack: bot token works/m);
    expect(r.stdout).toMatch(/^OK {4}Slack mode: HTTP mode/m);
    expect(r.code).toBe(0);
  });

  it("says what is wrong and how to fix it, exit 1, never printing secrets", async () => {
    const r = await cli(["doctor"], {
      ...env,
      DESCOPE_MANAGEMENT_KEY: "wrong-management-key",
      SLACK_BOT_TOKEN: "xoxb-revoked-token",
      REDIS_URL: "redis://127.0.0.1:1",
      SLACK_SIGNING_SECRET: undefined,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}Descope: .*refused the credentials/m);
    expect(r.stdout).toMatch(/^FAIL {2}Redis: cannot reach/m);
    expect(r.stdout).toMatch(/^FAIL {2}Slack: auth.test failed \(invalid_auth\)/m);
    expect(r.stdout).toMatch(/^FAIL {2}SLACK_SIGNING_SECRET: not set/m);
    expect(r.stdout + r.stderr).not.toMatch(/wrong-management-key|xoxb-revoked-token/);
  });

  it("names missing variables", async () => {
    const r = await cli(["doctor"], { PATH: env.PATH, REDIS_URL });
    expect(r.code).toBe(1);
    for (const v of ["SLACK_BOT_TOKEN", "DESCOPE_PROJECT_ID", "DESCOPE_MANAGEMENT_KEY"]) {
      expect(r.stdout).toMatch(new RegExp(`^FAIL {2}${v}: not set`, "m"));
    }
  });
});

describe("scimwatch start", () => {
  it("reads ./.env without overriding the environment", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scimwatch-env-"));
    writeFileSync(
      join(dir, ".env"),
      "SLACK_BOT_TOKEN=from-dotenv-malformed\nSLACK_APP_TOKEN=xapp-1\n",
    );
    const full = Object.fromEntries(
      Object.entries({ ...env, SLACK_BOT_TOKEN: undefined }).filter(([, v]) => v !== undefined),
    ) as NodeJS.ProcessEnv;
    const r = await run(process.execPath, [CLI, "start"], { env: full, cwd: dir }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    // The token came from .env (and is malformed): named, never printed.
    expect((r as { stderr: string }).stderr).toMatch(/SLACK_BOT_TOKEN is malformed/);
    expect((r as { stderr: string }).stderr).not.toContain("from-dotenv");
  });

  it("stops with one line naming a missing setting", async () => {
    const r = await cli(["start"], { ...env, SLACK_BOT_TOKEN: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^scimwatch: SLACK_BOT_TOKEN is not set/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("says what to do when Slack refuses the Socket Mode token", async () => {
    const r = await cli(["start", "--role", "bot"], {
      ...env,
      SLACK_APP_TOKEN: "xapp-1-revoked",
      PORT: "0",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /could not start: .*invalid_auth — Slack refused SLACK_APP_TOKEN: create an app-level token/,
    );
    expect(r.stderr).not.toContain("xapp-1-revoked");
  });

  it("runs in HTTP mode, serves /healthz, and stops gracefully on SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "start"], {
      env: { ...env, PORT: "0" },
      cwd: tmpdir(),
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += String(c);
    });
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start line: ${out}`)), 10_000);
      child.stdout.on("data", () => {
        const m = /"port":(\d+).*"msg":"scimwatch started"/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      });
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(out).toContain("shutting down");
    expect(out).not.toContain("xoxb-test-token");
  });
});
