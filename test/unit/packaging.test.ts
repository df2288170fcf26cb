import { readdirSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { httpManifest } from "../../src/cli/manifest.js";

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; usage_hint?: string }>;
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
    event_subscriptions?: { bot_events?: string[]; request_url?: string };
  };
}

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");

describe("manifest.yml", () => {
  const manifest = parse(read("manifest.yml")) as Manifest;

  it("validates against Slack's manifest JSON Schema (v1)", () => {
    const schema = JSON.parse(read("schemas/slack-manifest.schema.1.0.0.json"));
    // The published schema uses a non-standard "regex" keyword and the "uri" format.
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the HTTP-mode manifest (scimwatch manifest --http) validates too", () => {
    const schema = JSON.parse(read("schemas/slack-manifest.schema.1.0.0.json"));
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    const validate = ajv.compile(schema);
    const http = parse(httpManifest(read("manifest.yml"), "https://scim.example.com")) as Manifest;
    expect(validate(http), JSON.stringify(validate.errors)).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
  });

  it("--http with the events path already in it does not double it (issue #24)", () => {
    for (const base of ["https://h.example.com", "https://h.example.com/slack/events/"]) {
      const m = parse(httpManifest(read("manifest.yml"), base)) as Manifest;
      expect(m.settings.event_subscriptions?.request_url).toBe(
        "https://h.example.com/slack/events",
      );
    }
  });

  it("CI runs the suite on every Node LTS in use: 20, 22 and 24 (issue #24)", () => {
    const ci = read(".ci/run");
    expect(ci).toMatch(/for v in 22 24; do/);
    expect(ci).toMatch(/npx vitest run/);
    expect(read("README.md")).toMatch(/Prerequisites: \*\*Node 22 or 24\*\*/);
  });

  it("the repository says its licence and where to report a vulnerability (issue #24)", () => {
    const pkg = JSON.parse(read("package.json")) as Record<string, unknown>;
    expect(read("LICENSE")).toMatch(/^MIT License/);
    expect(pkg.license).toBe("MIT");
    expect(read("SECURITY.md")).toMatch(/report/i);
    expect(read("CHANGELOG.md")).toMatch(/^# Changelog/);
  });

  it("declares /scim with a usage hint, interactivity and Socket Mode", () => {
    const cmd = manifest.features.slash_commands.find(
      (c: { command: string }) => c.command === "/scim",
    );
    expect(cmd?.usage_hint).toContain("check <login ID>");
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions?.bot_events).toContain("app_home_opened");
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("asks only for the scopes the code uses", () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    const src = ["src/slack/", "src/features/"]
      .flatMap((dir) =>
        readdirSync(new URL(dir, root), { recursive: true, encoding: "utf8" })
          .filter((f) => f.endsWith(".ts"))
          .map((f) => read(`${dir}${f}`)),
      )
      .join("\n");
    expect(scopes).toContain("commands");
    if (scopes.includes("chat:write")) expect(src).toMatch(/chat\.(postMessage|update)/);
    if (scopes.includes("channels:history")) expect(src).toMatch(/conversations\.history/);
    if (scopes.includes("files:write")) expect(src).toMatch(/filesUploadV2/);
    expect(
      scopes.every((s) =>
        [
          "commands",
          "chat:write",
          "channels:history",
          "groups:history",
          "files:write",
          "users:read",
          "users:read.email",
        ].includes(s),
      ),
    ).toBe(true);
  });
});

describe("deployment files", () => {
  it("Dockerfile is multi-stage, non-root, production deps, with a /healthz HEALTHCHECK", () => {
    const d = read("Dockerfile");
    expect(d.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(d).toMatch(/^USER (node|\d+)/m);
    expect(d).toMatch(/npm ci --omit=dev/);
    expect(d).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    // The health check follows health to the admin port when one is set.
    expect(d).toMatch(/HEALTHCHECK[\s\S]*SCIMWATCH_ADMIN_PORT\|\|process\.env\.PORT/);
  });

  it("docker-compose.yml runs Redis and the bot from .env", () => {
    const c = parse(read("docker-compose.yml")) as {
      services: Record<
        string,
        {
          env_file?: unknown;
          init?: boolean;
          ports?: string[];
          depends_on?: Record<string, { condition?: string }>;
          healthcheck?: unknown;
          stop_grace_period?: string;
          command?: string[];
          environment?: Record<string, string>;
        }
      >;
    };
    expect(Object.keys(c.services)).toEqual(expect.arrayContaining(["redis", "scimwatch"]));
    const bot = c.services.scimwatch;
    expect(bot?.env_file).toBeDefined();
    // An init process, Redis health-gated, ports on loopback, a grace period longer than the bounded stop.
    expect(bot?.init).toBe(true);
    expect(bot?.depends_on?.redis?.condition).toBe("service_healthy");
    expect(c.services.redis?.healthcheck).toBeDefined();
    expect(bot?.ports?.every((p) => p.startsWith("127.0.0.1:"))).toBe(true);
    expect(Number.parseInt(bot?.stop_grace_period ?? "0", 10)).toBeGreaterThan(25);
    expect(c.services.redis?.command?.join(" ")).toMatch(/maxmemory-policy noeviction/);
    // HOST from .env never reaches the container: the published port must stay reachable.
    expect(bot?.environment?.HOST).toBe("0.0.0.0");
  });

  it("the image runs the current Node LTS; engines still allow Node 20.18+; .dockerignore keeps secrets and output out", () => {
    const d = read("Dockerfile");
    expect(d.match(/^FROM node:24-/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(read("package.json")).engines.node).toBe(">=20.18.1");
    const ignore = read(".dockerignore").split("\n");
    for (const x of [".env", ".git", "node_modules", "dist"]) expect(ignore).toContain(x);
  });

  it(".env.example documents every variable the config reads", () => {
    const example = read(".env.example");
    const src = ["src/config/bot.ts", "src/config/env.ts"].map(read).join("\n");
    const vars = new Set(
      [...src.matchAll(/\b((?:SLACK|DESCOPE|SCIMWATCH|REDIS|LOG)_[A-Z_]+|PORT):/g)].map(
        (m) => m[1],
      ),
    );
    for (const v of vars) expect(example, v).toMatch(new RegExp(`^#? ?${v}=`, "m"));
  });
});
