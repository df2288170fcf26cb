import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { SocketModeReceiver } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { startHint } from "../../src/cli/start.js";
import { loadBotConfig, receiverMode } from "../../src/config/bot.js";
import { ConfigError, descopeEnvSchema, parseEnv } from "../../src/config/env.js";
import { decideAccess, hireAllowed, namesLinkedTenant, scopeFacts } from "../../src/core/access.js";
import { diagnose } from "../../src/core/diagnosis/diagnose.js";
import type { CheckFacts } from "../../src/core/diagnosis/facts.js";
import { VERDICTS } from "../../src/core/diagnosis/verdicts.js";
import { EXPLAIN_TOPICS, explain } from "../../src/core/explain.js";
import { IDP_IDS } from "../../src/core/idp/catalog.js";
import { USAGE_LINE, VERBS } from "../../src/core/verbs.js";
import { createLogger } from "../../src/log/logger.js";
import { dispatcher, proxiedFetch } from "../../src/net/dispatcher.js";
import {
  capBlocks,
  diagnosisMessage,
  guideMessage,
  helpLines,
  helpMessage,
  section,
} from "../../src/render/blocks.js";
import { decodeMarkAssigned, encodeMarkAssigned } from "../../src/render/ids.js";
import { clip, esc, untrusted } from "../../src/render/mrkdwn.js";
import { appOptions } from "../../src/slack/app.js";
import { decodeSlackText, parseScimCommand } from "../../src/slack/parse.js";
import { blockKitProblems, textsOf } from "../helpers.js";

const base = {
  SLACK_BOT_TOKEN: "xoxb-1-2-3",
  DESCOPE_PROJECT_ID: "P2abc",
  DESCOPE_MANAGEMENT_KEY: "K2secret",
};

describe("who may see or act on an expected hire: one rule", () => {
  const hire = { tenantId: "T-acme", registeredBy: "UIT" };
  it.each([
    ["an admin anywhere", { kind: "any", why: "admin" }, "UX", "CANY", undefined, true],
    ["a support channel", { kind: "any", why: "support_channel" }, "UX", "CSUP", undefined, true],
    [
      "the tenant's linked channel",
      { kind: "tenant", tenantId: "T-acme", tenantName: "Acme" },
      "UX",
      "CACME",
      undefined,
      true,
    ],
    [
      "another tenant's channel, even for the registrant",
      { kind: "tenant", tenantId: "T-globex", tenantName: "Globex" },
      "UIT",
      "CGLOBEX",
      undefined,
      false,
    ],
    ["the registrant elsewhere (App Home)", { kind: "denied" }, "UIT", "", undefined, true],
    ["someone else elsewhere", { kind: "denied" }, "UX", "CRANDOM", undefined, false],
    [
      "the channel chosen for the tenant's alerts",
      { kind: "denied" },
      "UX",
      "CALERTS",
      "CALERTS",
      true,
    ],
  ] as const)("%s → %s", (_label, access, userId, channelId, alertChannel, allowed) => {
    expect(hireAllowed(access as never, hire, { userId, channelId }, alertChannel)).toBe(allowed);
  });
});

describe("settings and logs", () => {
  it("HOST defaults to every interface and can be narrowed", () => {
    expect(loadBotConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-A1-abc" }).HOST).toBe("0.0.0.0");
    expect(
      loadBotConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-A1-abc", HOST: "127.0.0.1" }).HOST,
    ).toBe("127.0.0.1");
  });

  it.each([
    ["HOST", "no such host", /^HOST is malformed: set it to the address to listen on/],
    [
      "SCIMWATCH_ADMIN_USERS",
      "@alice,U123ABC",
      /^SCIMWATCH_ADMIN_USERS is malformed: .*not names like @alice/,
    ],
    [
      "SCIMWATCH_SUPPORT_CHANNELS",
      "#support",
      /^SCIMWATCH_SUPPORT_CHANNELS is malformed: .*not names like #support/,
    ],
    ["GRAPH_API_URL", "ftp://graph.example.com", /^GRAPH_API_URL is malformed/],
    ["ENTRA_LOGIN_URL", "javascript:alert(1)", /^ENTRA_LOGIN_URL is malformed/],
  ])("refuses %s=%s with one line naming the variable", (name, value, message) => {
    expect(() =>
      loadBotConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-A1-abc", [name]: value }),
    ).toThrow(message);
  });

  it("a start-up that cannot listen on HOST blames HOST, not Redis", () => {
    const e = Object.assign(new Error("getaddrinfo ENOTFOUND nosuchhost"), {
      code: "ENOTFOUND",
      hostname: "nosuchhost",
    });
    expect(startHint(e, { mode: "http", PORT: 3000, HOST: "nosuchhost" })).toMatch(/HOST is not/);
    expect(startHint(e, { mode: "http", PORT: 3000, HOST: "nosuchhost" })).not.toMatch(/REDIS_URL/);
    const redis = Object.assign(new Error("getaddrinfo ENOTFOUND redis.internal"), {
      code: "ENOTFOUND",
      hostname: "redis.internal",
    });
    expect(startHint(redis, { mode: "http", PORT: 3000, HOST: "0.0.0.0" })).toMatch(/REDIS_URL/);
  });

  it("error logs keep the stack trace, on one JSON line, scrubbed of secrets", () => {
    const lines: string[] = [];
    const log = createLogger({
      secrets: ["K2-very-secret-key"],
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }),
    });
    log.error({ err: new Error("boom with K2-very-secret-key and xoxb-1234567890-abc") }, "failed");
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0] as string) as { err: { stack: string; message: string } };
    expect(rec.err.stack).toMatch(/^Error: boom/);
    expect(rec.err.stack).toMatch(/slack-units\.test\.ts/);
    expect(lines[0]).not.toMatch(/K2-very-secret-key|xoxb-1234567890/);
  });
});

describe("receiver choice", () => {
  it("Socket Mode when SLACK_APP_TOKEN is set", () => {
    const cfg = loadBotConfig({ ...base, SLACK_APP_TOKEN: "xapp-1-A1-abc" });
    expect(cfg.mode).toBe("socket");
    const opts = appOptions(cfg, undefined);
    // Its own receiver, so that Socket Mode's WebSocket and calls share the process's dispatcher.
    expect(opts.receiver).toBeInstanceOf(SocketModeReceiver);
    const client = (opts.receiver as unknown as { client: { dispatcher: unknown } }).client;
    expect(client.dispatcher).toBe(dispatcher());
    expect(opts.clientOptions?.fetch).toBe(proxiedFetch);
    expect(opts.signingSecret).toBeUndefined();
  });
  it("HTTP mode otherwise, with signature verification and /slack/events", () => {
    const cfg = loadBotConfig({
      ...base,
      SLACK_SIGNING_SECRET: "s3cr3t-signing",
      SLACK_API_URL: "http://127.0.0.1:1234/api",
    });
    expect(cfg.mode).toBe("http");
    const opts = appOptions(cfg, undefined);
    expect(opts.socketMode).toBeUndefined();
    expect(opts.signingSecret).toBe("s3cr3t-signing");
    expect(opts.endpoints).toBe("/slack/events");
    expect(opts.clientOptions?.slackApiUrl).toBe("http://127.0.0.1:1234/api/");
    expect(cfg.PORT).toBe(3000);
    expect(cfg.REDIS_URL).toBe("redis://127.0.0.1:6379");
  });
  it("receiverMode is a pure choice", () => {
    expect(receiverMode({})).toBe("http");
    expect(receiverMode({ SLACK_APP_TOKEN: "xapp-x" })).toBe("socket");
  });
});

describe("config validation names the variable, never its value", () => {
  it.each([
    [{ ...base, SLACK_BOT_TOKEN: undefined }, "SLACK_BOT_TOKEN is not set"],
    [{ ...base, SLACK_BOT_TOKEN: "not-a-token-value" }, "SLACK_BOT_TOKEN is malformed"],
    [{ ...base }, "SLACK_SIGNING_SECRET is not set"],
    [{ ...base, SLACK_APP_TOKEN: "xapp-1", PORT: "http" }, "PORT is malformed"],
    [{ ...base, SLACK_APP_TOKEN: "xapp-1", REDIS_URL: "localhost:6379" }, "REDIS_URL is malformed"],
    [
      { ...base, SLACK_APP_TOKEN: "xapp-1", DESCOPE_MANAGEMENT_KEY: "" },
      "DESCOPE_MANAGEMENT_KEY is not set",
    ],
  ])("%j", (env, message) => {
    try {
      loadBotConfig(env as NodeJS.ProcessEnv);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain(message);
      expect((e as Error).message).not.toContain("not-a-token-value");
      expect((e as Error).message.split("\n")).toHaveLength(1);
    }
  });
  it("parses comma-separated channel and user lists", () => {
    const cfg = loadBotConfig({
      ...base,
      SLACK_APP_TOKEN: "xapp-1",
      SCIMWATCH_SUPPORT_CHANNELS: "C1, C2,,",
      SCIMWATCH_ADMIN_USERS: "U1",
    });
    expect([...cfg.SCIMWATCH_SUPPORT_CHANNELS]).toEqual(["C1", "C2"]);
    expect([...cfg.SCIMWATCH_ADMIN_USERS]).toEqual(["U1"]);
  });
});

describe("parsing /scim text as Slack sends it", () => {
  it.each([
    ["check <mailto:jane@acme.com|jane@acme.com>", { kind: "check", loginId: "jane@acme.com" }],
    [
      "check jane@acme.com Acme Corp",
      { kind: "check", loginId: "jane@acme.com", tenant: "Acme Corp" },
    ],
    [
      'check jane@acme.com "Acme  Corp"',
      { kind: "check", loginId: "jane@acme.com", tenant: "Acme  Corp" },
    ],
    ["CHECK  jane@acme.com   T-123 ", { kind: "check", loginId: "jane@acme.com", tenant: "T-123" }],
    ["check a&amp;b@x.com", { kind: "check", loginId: "a&b@x.com" }],
    ["link Acme Corp", { kind: "link", tenant: "Acme Corp" }],
    ["unlink", { kind: "unlink" }],
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["explain", { kind: "explain" }],
    ["explain timing entra", { kind: "explain", topic: "timing", idp: "azure" }],
    ["explain okta jit", { kind: "explain", topic: "jit", idp: "okta" }],
    ["explain deprov", { kind: "explain", topic: "deprovisioning" }],
  ])("%s", (text, expected) => {
    expect(parseScimCommand(text)).toEqual(expected);
  });

  it.each([
    ["check", /Which user/],
    ["check &lt;!channel&gt;", /not a login ID: it contains spaces, quotes or < >/],
    [`check ${"a".repeat(400)}@x.com`, /not a login ID: it is longer than 320 characters/],
    ["check jane\u202Emoc.emca@x.com", /invisible control or direction character \(U\+202E\)/],
    ["check ja\u200Bne@acme.com", /invisible control or direction character \(U\+200B\)/],
    ["check <@U0JANE|jane>", /a Slack mention, not a login ID.*\/scim check jane@acme\.com/],
    ["forget <@U0JANE>", /a Slack mention, not a login ID/],
    [`check ${"a".repeat(600)}`, /too long/],
    ["explain banana", /don't know "banana"/],
    ["link", /Which tenant/],
    ["frobnicate", /don't know "frobnicate"/],
  ])("%s → usage", (text, message) => {
    const c = parseScimCommand(text);
    expect(c.kind).toBe("usage");
    expect(c.kind === "usage" && c.message).toMatch(message);
  });

  it("decodes channel and user mentions", () => {
    expect(decodeSlackText("alerts <#C0123ABC|it-alerts> <@U0ABC>")).toBe("alerts C0123ABC U0ABC");
  });
});

describe("access policy", () => {
  const cfg = { supportChannels: new Set(["CS"]), adminUsers: new Set(["UA"]) };
  const link = { tenantId: "T1", tenantName: "Acme" };
  it.each([
    [{ userId: "UA", channelId: "CX" }, null, "any"],
    [{ userId: "U1", channelId: "CS" }, null, "any"],
    [{ userId: "U1", channelId: "CL" }, link, "tenant"],
    [{ userId: "U1", channelId: "CX" }, null, "denied"],
  ] as const)("%j with link %j → %s", (who, l, kind) => {
    expect(decideAccess(cfg, who, l).kind).toBe(kind);
  });
  it("recognises the linked tenant by ID or name only", () => {
    expect(namesLinkedTenant(link, "acme")).toBe(true);
    expect(namesLinkedTenant(link, "T1")).toBe(true);
    expect(namesLinkedTenant(link, "Globex")).toBe(false);
  });
  it("scopeFacts hides users and events of other tenants", () => {
    const facts: CheckFacts = {
      loginId: "x@y.z",
      tenant: { id: "T1", name: "Acme", jitDisabled: true, groupMappings: [] },
      tenantRequested: true,
      user: {
        userId: "U",
        loginIds: ["x@y.z"],
        status: "enabled",
        scim: true,
        createdAt: 0,
        tenants: [{ tenantId: "T2", roleNames: ["r"] }],
        projectRoles: [],
      },
      events: [
        { id: "1", action: "LoginFailed", at: 1, loginIds: ["x@y.z"], tenants: ["T2"] },
        { id: "2", action: "LoginFailed", at: 2, loginIds: ["x@y.z"], tenants: ["T1"] },
      ],
      idp: { idp: "generic", reason: "t" },
      assignedAt: null,
    };
    const s = scopeFacts(facts, "T1");
    expect(s.user).toBeNull();
    expect(s.events.map((e) => e.id)).toEqual(["2"]);
  });
});

describe("Block Kit rendering", () => {
  const hostile = "<!channel> <https://evil|click> & <@U123>";
  const facts = (verdict: string): CheckFacts => ({
    loginId: `${hostile}@x.com`,
    tenant: {
      id: hostile,
      name: hostile,
      jitDisabled: false,
      groupMappings: [{ groups: [hostile], role: hostile }],
    },
    tenantRequested: verdict === "other",
    user: null,
    events: Array.from({ length: 60 }, (_, i) => ({
      id: String(i),
      action: i % 2 ? "SCIMEvent" : "LoginFailed",
      at: Date.now() - i * 60_000,
      loginIds: [`${hostile}@x.com`],
      tenants: [],
      error: `${hostile} ${"x".repeat(400)}`,
    })),
    idp: { idp: "azure", reason: hostile },
    assignedAt: null,
  });

  it("names the IdP before why it was chosen, whatever the reason says (issue #24)", () => {
    const d = diagnose(
      {
        ...facts("x"),
        idp: { idp: "generic", reason: "no SSO settings were found to infer the IdP from" },
      },
      Date.now(),
    );
    const all = textsOf(diagnosisMessage(d, { answerId: "0123456789abcdef" }).blocks).join("\n");
    expect(all).toContain("IdP: not known — no SSO settings were found to infer the IdP from");
    expect(all).not.toMatch(/IdP no SSO settings/);
  });

  it("escapes everything and stays within limits", () => {
    const d = diagnose(facts("x"), Date.now());
    const msg = diagnosisMessage(d, { answerId: "0123456789abcdef" });
    expect(blockKitProblems(msg as unknown as Record<string, unknown>)).toEqual([]);
    for (const t of [msg.text, ...textsOf(msg.blocks)]) {
      // The only control sequences left are ours: dates.
      for (const m of t.matchAll(/</g)) expect(t.slice(m.index, m.index + 7)).toBe("<!date^");
    }
  });

  it.each(VERDICTS.map((v) => [v]))("verdict %s renders a header and a fallback", (v) => {
    const d = { ...diagnose(facts("x"), Date.now()), verdict: v };
    const msg = diagnosisMessage(d, { answerId: "0123456789abcdef" });
    expect(msg.blocks[0]?.type).toBe("header");
    expect(msg.text.length).toBeGreaterThan(10);
  });

  it("shows times in each reader's zone and keeps IdP URLs from becoming links", () => {
    const at = Date.parse("2026-11-28T14:05:00Z");
    const d = diagnose(
      {
        loginId: "jane@acme.com",
        tenant: { id: "T1", name: "Acme", jitDisabled: true, groupMappings: [] },
        tenantRequested: true,
        user: null,
        events: [
          {
            id: "e1",
            action: "SCIMEvent",
            at,
            loginIds: ["jane@acme.com"],
            tenants: ["T1"],
            error: "400: see https://evil.example/phish and www.evil.example",
          },
        ],
        idp: { idp: "azure", reason: "test" },
        assignedAt: null,
      },
      at + 60_000,
    );
    // The CLI and --json keep UTC.
    expect(d.summary).toContain("2026-11-28 14:05 UTC");
    const msg = diagnosisMessage(d, { answerId: "0123456789abcdef" });
    const all = textsOf(msg.blocks).join("\n");
    expect(all).toContain(`<!date^${at / 1000}^{date_short_pretty} {time}|2026-11-28 14:05 UTC>`);
    expect(all).not.toMatch(/\d{2}:\d{2} UTC(?!>)/);
    expect(all).toContain("`https://evil.example/phish`");
    expect(all).toContain("`www.evil.example`");
    expect(all).not.toMatch(/[^`]https:\/\/evil/);
  });

  it("caps blocks, keeping the actions", () => {
    const blocks = [
      ...Array.from({ length: 70 }, () => section("x")),
      { type: "actions" as const, elements: [] },
    ];
    const capped = capBlocks(blocks);
    expect(capped).toHaveLength(50);
    expect(capped.at(-1)?.type).toBe("actions");
  });

  it("clip never splits an entity", () => {
    expect(clip(esc("ab<cd"), 5)).toBe("ab…");
  });

  it.each(IDP_IDS.flatMap((i) => [undefined, ...EXPLAIN_TOPICS].map((t) => [t, i] as const)))(
    "explain %s for %s fits a message",
    (topic, idp) => {
      const msg = guideMessage(explain(topic, idp));
      expect(blockKitProblems(msg as unknown as Record<string, unknown>)).toEqual([]);
    },
  );
});

describe("the /scim verbs, listed once", () => {
  const manifest = readFileSync(new URL("../../manifest.yml", import.meta.url), "utf8");
  const hint = /usage_hint: "([^"]+)"/.exec(manifest)?.[1] ?? "";

  it.each(VERBS.map((v) => [v.verb]))("%s is parsed, in the help and in the usage line", (verb) => {
    const parsed = parseScimCommand(verb);
    expect(parsed.kind === "usage" && /don't know/.test(parsed.message)).toBe(false);
    expect(helpLines().join("\n")).toContain(`/scim ${verb}`);
    expect(USAGE_LINE).toContain(`/scim ${verb}`);
  });

  it("the manifest's usage hint names only known verbs", () => {
    const hinted = hint.split(" · ").map((part) => part.split(" ")[0]);
    expect(hinted.length).toBeGreaterThan(3);
    for (const v of hinted) expect(VERBS.map((x) => x.verb)).toContain(v);
  });

  it("the help's fallback text is the usage line", () => {
    expect(helpMessage().text).toContain(esc(USAGE_LINE));
  });
});

describe("untrusted text is inert everywhere (render/mrkdwn.ts)", () => {
  it.each([
    ["a bidi override is shown, not obeyed", "evil\u202Eexe.pdf", "evil\\u202Eexe.pdf"],
    ["an isolate and a zero-width space", "a\u2066b\u200Bc", "a\\u2066b\\u200Bc"],
    ["a control character", "bell\u0007", "bell\\u0007"],
    [
      "Slack's controls",
      "<!channel> & <https://x|y>",
      "&lt;!channel&gt; &amp; &lt;https://x|y&gt;",
    ],
    ["newlines, tabs and emoji joiners stay", "a\nb\tc 👨‍👩‍👧", "a\nb\tc 👨‍👩‍👧"],
  ])("esc: %s", (_why, input, out) => {
    expect(esc(input)).toBe(out);
  });

  it.each([
    ["a URL", "see http://evil.example/x", "see `http://evil.example/x`"],
    ["a bare domain", "Jane (evil.example.com)", "Jane (`evil.example.com`)"],
    ["www", "www.evil.example", "`www.evil.example`"],
    ["an e-mail stays", "jane@acme.com exists", "jane@acme.com exists"],
    ["a plain name stays", "Dr. Jane Doe-Smith", "Dr. Jane Doe-Smith"],
    [
      "a permission name stays",
      "the AuditLog.Read.All permission",
      "the AuditLog.Read.All permission",
    ],
    [
      "a path stays",
      "Graph refused /auditLogs/provisioning",
      "Graph refused /auditLogs/provisioning",
    ],
  ])("untrusted: %s", (_why, input, out) => {
    expect(untrusted(input)).toBe(out);
  });
});

describe("'Mark one assigned…' option values (issue #22)", () => {
  it("fit Slack's 150 characters whatever the login ID, and still match it", () => {
    const long = `${"a".repeat(200)}@example.com`;
    const v = encodeMarkAssigned("0b9f3c2e-8d5e-4c55-9d7e-2f1a7b9a1c3d", long);
    expect(v.length).toBeLessThanOrEqual(150);
    const d = decodeMarkAssigned(v);
    expect(d.batchId).toBe("0b9f3c2e-8d5e-4c55-9d7e-2f1a7b9a1c3d");
    expect(d.matches(long.toUpperCase())).toBe(true);
    expect(d.matches(`${"a".repeat(199)}@example.com`)).toBe(false);
    // A value drawn before the digest (the login ID itself) still decodes.
    expect(decodeMarkAssigned("b1|ana@acme.com").matches("ANA@acme.com")).toBe(true);
  });
});

describe("Descope's own name for the base URL (issue #24)", () => {
  it("DESCOPE_BASE_URI is read as DESCOPE_BASE_URL; DESCOPE_BASE_URL wins when both are set", () => {
    const env = { DESCOPE_PROJECT_ID: "P2x", DESCOPE_MANAGEMENT_KEY: "K2x" };
    expect(
      parseEnv(descopeEnvSchema, { ...env, DESCOPE_BASE_URI: "https://api.euc1.descope.com" })
        .DESCOPE_BASE_URL,
    ).toBe("https://api.euc1.descope.com");
    expect(
      parseEnv(descopeEnvSchema, {
        ...env,
        DESCOPE_BASE_URI: "https://api.euc1.descope.com",
        DESCOPE_BASE_URL: "https://api.descope.com",
      }).DESCOPE_BASE_URL,
    ).toBe("https://api.descope.com");
  });
});
