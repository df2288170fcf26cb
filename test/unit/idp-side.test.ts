/** The Entra decision rules (idp-apis.md §4) as a table of cases. */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EntraHttp, permissionFor } from "../../src/connectors/entra-http.js";
import {
  clientAssertionHeader,
  oktaKeyId,
  oktaPrivateKey,
} from "../../src/connectors/okta-oauth.js";
import type { Diagnosis } from "../../src/core/diagnosis/diagnose.js";
import { decideEntra, type EntraFacts } from "../../src/core/idp-side/entra.js";
import { entraTenantOf } from "../../src/core/idp-side/model.js";
import {
  entraNextCycle,
  isoDurationMs,
  type NextCycle,
} from "../../src/core/idp-side/next-cycle.js";
import { decideOkta, type OktaFacts } from "../../src/core/idp-side/okta.js";
import { withIdpSide } from "../../src/features/check/service.js";
import { SecretBox } from "../../src/redis/secret-box.js";

const G = (id: string, securityEnabled = true) => ({ id, displayName: id, securityEnabled });
const base: EntraFacts = {
  appName: "Descope",
  user: { id: "u1", upn: "jane@acme.com", accountEnabled: true },
  assignments: [
    { principalId: "all", principalType: "Group", principalDisplayName: "All Employees" },
  ],
  directGroups: [],
  transitiveGroups: [],
  assignedGroups: [],
  logs: [],
  job: { code: "Active" },
};
const log = (status: string, o: Record<string, string> = {}) => ({
  at: "2026-11-29T08:00:00Z",
  action: "create",
  status,
  ...o,
});

describe("decideEntra", () => {
  it.each<[string, Partial<EntraFacts>, string]>([
    ["no such user", { user: null }, "not_in_idp"],
    [
      "disabled",
      { user: { id: "u1", upn: "jane@acme.com", accountEnabled: false } },
      "user_disabled_in_idp",
    ],
    [
      "in no assigned group",
      { directGroups: [G("eng")], transitiveGroups: [G("eng")] },
      "not_assigned",
    ],
    [
      "only through a nested group",
      { directGroups: [G("team")], transitiveGroups: [G("team"), G("all")] },
      "nested_group_only",
    ],
    [
      "nested, but direct groups unreadable: assumed direct (no false accusation)",
      { directGroups: null, transitiveGroups: [G("all")] },
      "waiting_for_cycle",
    ],
    [
      "assigned group not security-enabled",
      { directGroups: [G("all", false)], transitiveGroups: [G("all", false)] },
      "group_not_security_enabled",
    ],
    [
      "assigned directly, job quarantined",
      {
        assignments: [{ principalId: "u1", principalType: "User" }],
        job: { code: "Quarantine", quarantineReason: "EncounteredQuarantineException" },
      },
      "job_quarantined",
    ],
    [
      "job paused",
      { directGroups: [G("all")], transitiveGroups: [G("all")], job: { code: "Paused" } },
      "job_paused",
    ],
    [
      "pushed",
      { directGroups: [G("all")], transitiveGroups: [G("all")], logs: [log("success")] },
      "pushed",
    ],
    [
      "push failed",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logs: [log("failure", { errorCode: "EntryConflict" })],
      },
      "push_failed",
    ],
    [
      "skipped (attribute)",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logs: [log("skipped", { skipReason: "AttributeValidationFailed" })],
      },
      "push_skipped",
    ],
    [
      "RedundantExport is not a problem: the success before it counts",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logs: [log("skipped", { skipReason: "RedundantExport" }), log("success")],
      },
      "pushed",
    ],
    [
      "assigned, nothing yet",
      { directGroups: [G("all")], transitiveGroups: [G("all")] },
      "waiting_for_cycle",
    ],
    [
      "assigned, logs unreadable: unknown, never 'waiting'",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logs: null,
        logsUnread: "Graph refused /auditLogs/provisioning (403)",
      },
      "idp_unreadable",
    ],
    [
      "not assigned, logs unreadable: what was read decides",
      { directGroups: [G("eng")], transitiveGroups: [G("eng")], logs: null, logsUnread: "403" },
      "not_assigned",
    ],
    [
      "assigned, no row in the pages read and more exist",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logsReach: { pages: 10, ended: false },
      },
      "idp_unreadable",
    ],
    [
      "assigned, no row and the list ended: waiting",
      {
        directGroups: [G("all")],
        transitiveGroups: [G("all")],
        logsReach: { pages: 2, ended: true },
      },
      "waiting_for_cycle",
    ],
    ["the enterprise app is gone", { appMissing: true }, "app_not_found"],
    [
      "assigned directly 60 days ago, no row in the logs' 30 days: not 'waiting'",
      {
        assignments: [
          { principalId: "u1", principalType: "User", createdDateTime: "2026-09-29T08:00:00Z" },
        ],
        readAt: Date.parse("2026-11-28T08:00:00Z"),
      },
      "idp_unreadable",
    ],
    [
      "assigned directly yesterday, no row yet: waiting",
      {
        assignments: [
          { principalId: "u1", principalType: "User", createdDateTime: "2026-11-27T08:00:00Z" },
        ],
        readAt: Date.parse("2026-11-28T08:00:00Z"),
      },
      "waiting_for_cycle",
    ],
    [
      "not assigned, but a provisioning row exists (the job syncs all users): the row is believed",
      { directGroups: [G("eng")], transitiveGroups: [G("eng")], logs: [log("success")] },
      "pushed",
    ],
    [
      "not assigned, skipped as NotEffectivelyEntitled: still not assigned",
      {
        directGroups: [G("eng")],
        transitiveGroups: [G("eng")],
        logs: [log("skipped", { skipReason: "NotEffectivelyEntitled" })],
      },
      "not_assigned",
    ],
    [
      "in two assigned groups, one of them security-enabled: assigned",
      {
        assignments: [
          { principalId: "sales", principalType: "Group", principalDisplayName: "Sales" },
          { principalId: "all", principalType: "Group", principalDisplayName: "All Employees" },
        ],
        directGroups: [G("sales", false), G("all")],
        transitiveGroups: [G("sales", false), G("all")],
      },
      "waiting_for_cycle",
    ],
  ])("%s → %s", (_n, facts, cause) => {
    expect(decideEntra({ ...base, ...facts }, "jane@acme.com").cause).toBe(cause);
  });

  it("names the groups in a not-assigned answer and the fix", () => {
    const s = decideEntra(
      { ...base, directGroups: [G("Engineering")], transitiveGroups: [G("Engineering")] },
      "jane@acme.com",
    );
    expect(s.summary).toMatch(/All Employees/);
    expect(s.fix).toMatch(/Add jane@acme.com to All Employees, or assign Engineering to Descope/);
  });
});

describe("entraTenantOf and permissionFor", () => {
  it.each([
    [
      { saml: { idpEntityId: "https://sts.windows.net/6F1C7E2A-0000-4000-8000-000000000000/" } },
      "6f1c7e2a-0000-4000-8000-000000000000",
    ],
    [
      {
        oidc: {
          issuer: "https://login.microsoftonline.com/6f1c7e2a-0000-4000-8000-000000000000/v2.0",
        },
      },
      "6f1c7e2a-0000-4000-8000-000000000000",
    ],
    [{ saml: { idpEntityId: "http://www.okta.com/exk1" } }, null],
    [null, null],
  ])("%o → %s", (sso, id) => {
    expect(entraTenantOf(sso)).toBe(id);
  });

  it.each([
    ["/auditLogs/provisioning?$filter=x", "AuditLog.Read.All and Directory.Read.All"],
    ["/servicePrincipals/sp/synchronization/jobs", "Synchronization.Read.All"],
    ["/users/u/memberOf", "Directory.Read.All"],
    ["/users/u/transitiveMemberOf", "User.Read.All"],
    ["/servicePrincipals?$filter=x", "Application.Read.All"],
  ])("%s needs %s", (path, perm) => {
    expect(permissionFor(path)).toBe(perm);
  });
});

describe("decideOkta", () => {
  const base: OktaFacts = {
    appName: "Descope",
    user: { id: "u1", login: "jo@globex.com", status: "ACTIVE" },
    appUser: { scope: "USER", status: "PROVISIONED", externalId: "U2x" },
    userGroups: [{ id: "g1", name: "Everyone" }],
    appGroups: [{ id: "g1", name: "Everyone" }],
    lifecycleCreate: "ENABLED",
    events: [],
  };
  it.each<[string, Partial<OktaFacts>, string]>([
    ["no such user", { user: null }, "not_in_idp"],
    [
      "suspended",
      { user: { id: "u1", login: "jo@globex.com", status: "SUSPENDED" } },
      "user_disabled_in_idp",
    ],
    ["not assigned (404)", { appUser: null }, "not_assigned"],
    [
      "Create Users off, not pushed yet",
      { lifecycleCreate: "DISABLED", appUser: { scope: "USER", status: "STAGED" } },
      "job_paused",
    ],
    [
      "Create Users off, already provisioned: pushed (it governs new accounts only)",
      { lifecycleCreate: "DISABLED" },
      "pushed",
    ],
    [
      "ACTIVE with an externalId: pushed, not 'push not done yet'",
      { appUser: { scope: "GROUP", status: "ACTIVE", externalId: "U9" } },
      "pushed",
    ],
    [
      "sync error",
      { appUser: { scope: "GROUP", status: "PROVISIONED", syncState: "ERROR" } },
      "push_failed",
    ],
    [
      "push event failed",
      {
        appUser: { scope: "USER", status: "STAGED" },
        events: [{ at: "t", result: "FAILURE", reason: "dup" }],
      },
      "push_failed",
    ],
    ["provisioned with externalId", {}, "pushed"],
    ["active, never pushed", { appUser: { scope: "USER", status: "ACTIVE" } }, "push_skipped"],
    ["staged", { appUser: { scope: "USER", status: "STAGED" } }, "waiting_for_cycle"],
  ])("%s → %s", (_n, facts, cause) => {
    expect(decideOkta({ ...base, ...facts }, "jo@globex.com").cause).toBe(cause);
  });
});

describe("SecretBox", () => {
  it("seals and opens; a tampered value or another key does not open", () => {
    const key = randomBytes(32).toString("base64");
    const box = new SecretBox(key);
    const sealed = box.seal("00okta-token", "okta:T1:https://acme.okta.com:token:");
    expect(sealed).toMatch(new RegExp(`^v2:${box.keyId}:`));
    expect(sealed).not.toContain("00okta-token");
    expect(box.open(sealed, "okta:T1:https://acme.okta.com:token:")).toBe("00okta-token");
    const [v, kid, iv, tag, body] = sealed.split(":");
    const flipped = Buffer.from(body as string, "base64");
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() =>
      box.open(
        [v, kid, iv, tag, flipped.toString("base64")].join(":"),
        "okta:T1:https://acme.okta.com:token:",
      ),
    ).toThrow(/tampered/);
    expect(() =>
      new SecretBox(randomBytes(32).toString("base64")).open(
        sealed,
        "okta:T1:https://acme.okta.com:token:",
      ),
    ).toThrow(/SCIMWATCH_SECRETS_OLD_KEYS/);
    expect(() => new SecretBox("short")).toThrow(/32 random bytes/);
  });

  it("a seal is bound to its record: another tenant, URL, auth kind or client does not open it", () => {
    const box = new SecretBox(randomBytes(32).toString("base64"));
    const sealed = box.seal("tok", "okta:T1:https://acme.okta.com:token:");
    for (const other of [
      "okta:T2:https://acme.okta.com:token:",
      "okta:T1:https://evil.example.com:token:",
      "okta:T1:https://acme.okta.com:oauth:",
      "okta:T1:https://acme.okta.com:token:0oaX",
    ])
      expect(() => box.open(sealed, other)).toThrow(/does not belong to this record/);
  });

  it("rotates: the old key still opens what it sealed, new seals use the current key", () => {
    const oldKey = randomBytes(32).toString("base64");
    const before = new SecretBox(oldKey).seal("tok", "ctx");
    const rotated = new SecretBox(randomBytes(32).toString("base64"), [oldKey]);
    expect(rotated.open(before, "ctx")).toBe("tok");
    const after = rotated.seal("tok", "ctx");
    expect(after.split(":")[1]).toBe(rotated.keyId);
    expect(after.split(":")[1]).not.toBe(before.split(":")[1]);
  });

  it("refuses values sealed by older versions, bound to nothing", () => {
    const box = new SecretBox(randomBytes(32).toString("base64"));
    expect(() => box.open("v1:aaaa:bbbb:cccc", "ctx")).toThrow(/connect again/);
  });
});

describe("links and assertions the IdPs require (issue 21, finding 10)", () => {
  it("the admin-consent link is the v2 form with the registered redirect_uri", () => {
    const http = new EntraHttp({
      clientId: "11111111-2222-3333-4444-555555555555",
      clientSecret: "s",
      redirectUri: "https://scimwatch.example.com/entra/consented",
    });
    const u = new URL(http.consentUrl("6f1c7e2a-0000-4000-8000-000000000000"));
    expect(u.pathname).toBe("/6f1c7e2a-0000-4000-8000-000000000000/v2.0/adminconsent");
    expect(u.searchParams.get("redirect_uri")).toBe(
      "https://scimwatch.example.com/entra/consented",
    );
    expect(u.searchParams.get("scope")).toBe("https://graph.microsoft.com/.default");
    expect(u.searchParams.get("client_id")).toBe("11111111-2222-3333-4444-555555555555");
  });

  it("the Okta client assertion names the key's kid when the JWK has one", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid: "key-2026" });
    expect(oktaKeyId(jwk)).toBe("key-2026");
    expect(clientAssertionHeader(oktaPrivateKey(jwk), oktaKeyId(jwk))).toEqual({
      alg: "RS256",
      typ: "JWT",
      kid: "key-2026",
    });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(clientAssertionHeader(oktaPrivateKey(pem), oktaKeyId(pem))).toEqual({
      alg: "RS256",
      typ: "JWT",
    });
  });
});

describe("what the IdP side could not read is labelled with that IdP", () => {
  it.each([
    ["okta", "Okta: Okta refused /api/v1/logs"],
    ["azure", "Entra ID: Graph refused /auditLogs/provisioning"],
  ] as const)("%s", (idp, note) => {
    const d = {
      verdict: "not_provisioned",
      summary: "s",
      remediation: [],
      notes: [],
    } as unknown as Diagnosis;
    const side = {
      idp,
      cause: "not_assigned" as const,
      summary: "x",
      evidence: [],
      fix: null,
      unread: [note.slice(note.indexOf(": ") + 2)],
    };
    expect(withIdpSide(d, { side }).notes).toEqual([note]);
  });
});

describe("Entra's next cycle, from the job's state (idp-apis.md E6)", () => {
  const steady = {
    code: "Active",
    scheduleState: "Active",
    interval: "PT40M",
    steadyStateFirstAchieved: "2026-01-02T00:00:00Z",
    lastExecutionBegan: "2026-11-29T07:55:00Z",
    lastExecutionEnded: "2026-11-29T08:00:00Z",
  };
  it.each<[string, Partial<typeof steady> & { nextAttempt?: string }, NextCycle]>([
    ["steady: last start + interval", {}, { kind: "at", at: Date.parse("2026-11-29T08:35:00Z") }],
    [
      "a custom interval",
      { interval: "PT1H" },
      { kind: "at", at: Date.parse("2026-11-29T08:55:00Z") },
    ],
    [
      "initial cycle (never steady)",
      { steadyStateFirstAchieved: "0001-01-01T00:00:00Z" },
      { kind: "initial" },
    ],
    ["a cycle running now", { lastExecutionEnded: "0001-01-01T00:00:00Z" }, { kind: "running" }],
    [
      "quarantine: its next attempt",
      { code: "Quarantine", nextAttempt: "2026-11-29T12:00:00Z" },
      { kind: "quarantine", at: Date.parse("2026-11-29T12:00:00Z") },
    ],
    ["paused", { code: "Paused" }, { kind: "stopped" }],
    ["schedule disabled", { scheduleState: "Disabled" }, { kind: "stopped" }],
  ])("%s", (_why, o, next) => {
    expect(entraNextCycle({ ...steady, ...o })).toEqual(next);
  });

  it.each([
    ["PT40M", 40 * 60_000],
    ["PT1H30M", 90 * 60_000],
    ["P1D", 86_400_000],
    ["PT1M", 60_000],
    ["nonsense", null],
    ["PT", null],
  ] as const)("ISO-8601 %s", (d, ms) => {
    expect(isoDurationMs(d)).toBe(ms);
  });
});
