import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FakeDescope } from "../fakes/descope.js";
import { FakeSlack, postSigned } from "../fakes/slack.js";
import { REDIS_URL } from "../helpers.js";

const run = promisify(execFile);
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
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

  it("warns when the audit tail in Redis is behind or blind, and is silent when it is fresh", async () => {
    const { Redis } = await import("ioredis");
    const redis = new Redis(REDIS_URL);
    const prefix = `{doctor-${Date.now()}}`;
    const key = `${prefix}:tail:state`;
    const run = (s: Record<string, string>) =>
      redis
        .del(key)
        .then(() => redis.hset(key, s))
        .then(() => cli(["doctor"], { ...env, SCIMWATCH_REDIS_PREFIX: prefix }));
    const now = Date.now();
    expect(
      (await run({ lastSuccessAt: String(now - 60 * 60_000), lastTo: String(now - 3_600_000) }))
        .stdout,
    ).toMatch(/^WARN {2}Audit tail: behind: the last successful read was 60 minutes ago/m);
    expect(
      (
        await run({
          lastSuccessAt: String(now - 60 * 60_000),
          failedRuns: "1",
          lastErrorCode: "descope_auth",
        })
      ).stdout,
    ).toMatch(/^WARN {2}Audit tail: blind: Descope refused the management key/m);
    expect((await run({ lastSuccessAt: String(now), lastTo: String(now) })).stdout).not.toMatch(
      /Audit tail/,
    );
    await redis.del(key);
    redis.disconnect();
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

describe("scimwatch doctor: what a new user gets wrong", () => {
  it(".env.example's placeholders are not settings: named, with what to set, and start refuses them too", async () => {
    const r = await cli(["doctor"], {
      ...env,
      SLACK_BOT_TOKEN: "xoxb-...",
      SLACK_APP_TOKEN: "xapp-...",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}SLACK_APP_TOKEN: still \.env\.example's placeholder: set it to an app-level token with connections:write .*, or leave it empty for HTTP mode$/m,
    );
    expect(r.stdout).toMatch(
      /^FAIL {2}SLACK_BOT_TOKEN: still \.env\.example's placeholder: set it to the app's Bot User OAuth Token/m,
    );
    expect(r.stdout).not.toMatch(/Socket Mode \(SLACK_APP_TOKEN set\)|^OK {4}Socket Mode/m);
    const start = await cli(["start"], { ...env, SLACK_APP_TOKEN: "xapp-..." });
    expect(start.code).toBe(2);
    expect(start.stderr).toMatch(/SLACK_APP_TOKEN is still \.env\.example's placeholder/);
  });

  it("a malformed setting gets the same hint as start and check give", async () => {
    const r = await cli(["doctor"], { ...env, SCIMWATCH_SUPPORT_CHANNELS: "#support" });
    expect(r.stdout).toMatch(
      /^FAIL {2}SCIMWATCH_SUPPORT_CHANNELS: malformed: set it to channel IDs \(C…\), comma-separated, not names like #support/m,
    );
  });

  it("checks the bot's scopes against the manifest, the app-level token, the channels, the connectors", async () => {
    const scopes = slack.botScopes;
    slack.botScopes = ["commands", "chat:write"];
    slack.notInChannels.add("CALERTS");
    try {
      const r = await cli(["doctor"], {
        ...env,
        SLACK_APP_TOKEN: "xapp-1-test-token",
        SCIMWATCH_ALERT_CHANNEL: "CALERTS",
        SCIMWATCH_SUPPORT_CHANNELS: "CSUPPORT",
        SCIMWATCH_REDIS_PREFIX: `{doctor-idp-${Date.now()}}`,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /^FAIL {2}Slack scopes: the bot token lacks channels:history, groups:history, files:write: add them under OAuth & Permissions/m,
      );
      expect(r.stdout).toMatch(/^OK {4}Socket Mode: the app-level token opens a connection/m);
      expect(r.stdout).toMatch(
        /^FAIL {2}Channel CALERTS: the bot is not in the alert channel \(not_in_channel\): run \/invite @scimwatch/m,
      );
      expect(r.stdout).toMatch(/^OK {4}Channel CSUPPORT: the bot is in the support channel/m);
      expect(r.stdout).toMatch(/^OK {4}IdP connectors: none connected/m);
    } finally {
      slack.botScopes = scopes;
      slack.notInChannels.delete("CALERTS");
    }
    const bad = await cli(["doctor"], { ...env, SLACK_APP_TOKEN: "xapp-1-revoked" });
    expect(bad.stdout).toMatch(
      /^FAIL {2}Socket Mode: apps\.connections\.open failed \(invalid_auth\)/m,
    );
    const ok = await cli(["doctor"], env);
    expect(ok.stdout).toMatch(/^OK {4}Slack scopes: the manifest's 5 bot scopes are granted/m);
    // The proxy in force is said, its password masked; NO_PROXY lets these loopback fakes through.
    const proxied = await cli(["doctor"], {
      ...env,
      HTTPS_PROXY: "http://user:s3cret-proxy-pw@127.0.0.1:9",
      NO_PROXY: "127.0.0.1,localhost",
    });
    expect(proxied.stdout).toMatch(
      /^OK {4}Proxy: calls go through http:\/\/user:\*\*\*\*@127\.0\.0\.1:9\/ \(CONNECT\), except NO_PROXY: 127\.0\.0\.1,localhost$/m,
    );
    expect(proxied.stdout).not.toContain("s3cret-proxy-pw");
  });
});

describe("SCIMWATCH_ADMIN_PORT", () => {
  it("serves health and metrics on its own port, and only Slack and the webhook on the public one", async () => {
    const child = spawn(process.execPath, [CLI, "start"], {
      env: {
        ...env,
        PORT: "0",
        SCIMWATCH_ADMIN_PORT: "0",
        SCIMWATCH_REDIS_PREFIX: `{admin-${Date.now()}}`,
      },
      cwd: tmpdir(),
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += String(c);
    });
    try {
      const [port, admin] = await new Promise<[number, number]>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no start line: ${out}`)), 10_000);
        child.stdout.on("data", () => {
          const m = /"port":(\d+),"adminPort":(\d+).*"msg":"scimwatch started"/.exec(out);
          if (m) {
            clearTimeout(t);
            resolve([Number(m[1]), Number(m[2])]);
          }
        });
      });
      expect(admin).not.toBe(port);
      for (const path of ["/healthz", "/readyz", "/healthz/tail", "/metrics"]) {
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(404);
      }
      expect((await fetch(`http://127.0.0.1:${admin}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${admin}/readyz`)).status).toBe(200);
      const metrics = await fetch(`http://127.0.0.1:${admin}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^scimwatch_build_info\{/m);
      // Slack's requests stay on the public port.
      const signed = await postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        {
          command: "/scim",
          text: "help",
          user_id: "U1",
          channel_id: "C1",
          team_id: "T1",
          response_url: slack.responseUrl("admin-port"),
          trigger_id: "t",
        },
        "test-signing-secret-0123456789",
      );
      expect(signed.status).toBe(200);
      expect(
        (await fetch(`http://127.0.0.1:${admin}/slack/events`, { method: "POST" })).status,
      ).toBe(404);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.on("exit", r));
    }
  });
});

describe("scimwatch doctor: each line right about what it checked", () => {
  it("pings the configured REDIS_URL even when another setting is invalid", async () => {
    const r = await cli(["doctor"], {
      ...env,
      SCIMWATCH_TAIL_INTERVAL: "often",
      REDIS_URL: "redis://127.0.0.1:1",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}SCIMWATCH_TAIL_INTERVAL: malformed/m);
    expect(r.stdout).toMatch(/^FAIL {2}Redis: cannot reach redis:\/\/127\.0\.0\.1:1 /m);
    expect(r.stdout).not.toMatch(/^OK {4}Redis/m);
  });

  it("an unreachable Slack is not a bad token; a mistyped DESCOPE_BASE_URL is not a retry", async () => {
    const r = await cli(["doctor"], {
      ...env,
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      DESCOPE_BASE_URL: "http://127.0.0.1:9",
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}Slack: could not reach Slack at http:\/\/127\.0\.0\.1:9\/api\//m,
    );
    expect(r.stdout).not.toMatch(/reinstall/);
    expect(r.stdout).toMatch(
      /^FAIL {2}Descope: could not reach Descope at .*check DESCOPE_BASE_URL/m,
    );
    expect(r.stdout).not.toMatch(/Descope: .*retry in/);
  });

  it("warns when nobody may use a command and when alerts have nowhere to go", async () => {
    const r = await cli(["doctor"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WARN {2}Access: .*every \/scim command will be refused/m);
    expect(r.stdout).toMatch(/^WARN {2}Alerts: SCIMWATCH_ALERT_CHANNEL is not set/m);
    const ok = await cli(["doctor"], {
      ...env,
      SCIMWATCH_ADMIN_USERS: "U0ADMIN",
      SCIMWATCH_ALERT_CHANNEL: "C0ALERTS",
    });
    expect(ok.stdout).not.toMatch(/^WARN/m);
    expect(ok.stdout).toMatch(/All good/);
  });

  it("warns when Redis may evict (maxmemory-policy is not noeviction)", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory-policy",
        "allkeys-lru",
      ],
      { stdio: "ignore" },
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      const r = await cli(["doctor"], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
      expect(r.stdout).toMatch(/^OK {4}Redis: /m);
      expect(r.stdout).toMatch(
        /^WARN {2}Redis eviction: maxmemory-policy is allkeys-lru.*noeviction/m,
      );
    } finally {
      server.kill();
    }
  });
});

describe("scimwatch: help, version, .env and the manifest", () => {
  it.each(["check", "start", "doctor", "manifest"])(
    "%s --help exits 0 with its usage",
    async (c) => {
      for (const flag of ["--help", "-h"]) {
        const r = await cli([c, flag], { PATH: env.PATH });
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(`usage: scimwatch ${c}`);
      }
    },
  );

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const r = await cli(["--version"], { PATH: env.PATH });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`scimwatch ${version}`);
  });

  it("check reads ./.env, and the environment wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scimwatch-check-env-"));
    writeFileSync(
      join(dir, ".env"),
      `DESCOPE_PROJECT_ID=${descope.projectId}\nDESCOPE_MANAGEMENT_KEY=${descope.managementKey}\nDESCOPE_BASE_URL=http://127.0.0.1:9\n`,
    );
    const r = await run(process.execPath, [CLI, "check", "nobody@acme.com", "--json"], {
      env: { PATH: env.PATH, DESCOPE_BASE_URL: descope.url },
      cwd: dir,
    });
    expect(JSON.parse(r.stdout).verdict).toBe("not_provisioned");
  });

  it("manifest --http fills every request URL and turns Socket Mode off", async () => {
    const r = await cli(["manifest", "--http", "https://scim.example.com"], { PATH: env.PATH });
    expect(r.code).toBe(0);
    const m = parse(r.stdout) as {
      features: { slash_commands: { url?: string }[] };
      settings: {
        socket_mode_enabled: boolean;
        interactivity: { request_url?: string; message_menu_options_url?: string };
        event_subscriptions: { request_url?: string };
      };
    };
    const url = "https://scim.example.com/slack/events";
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.features.slash_commands[0]?.url).toBe(url);
    expect(m.settings.interactivity.request_url).toBe(url);
    expect(m.settings.interactivity.message_menu_options_url).toBe(url);
    expect(m.settings.event_subscriptions.request_url).toBe(url);
    const bad = await cli(["manifest", "--http", "http://plain.example.com"], { PATH: env.PATH });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/https/);
  });
});
