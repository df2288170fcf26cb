import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/core/diagnosis/diagnose.js";
import type { AuditEvent, CheckFacts, UserFacts } from "../../src/core/diagnosis/facts.js";
import { scimAliases, signInsAs } from "../../src/core/diagnosis/identity.js";
import { jitRewrites } from "../../src/core/diagnosis/notes.js";
import type { Verdict } from "../../src/core/diagnosis/verdicts.js";
import type { SsoSettings, TenantScimKey } from "../../src/descope/schemas.js";
import { scimConfiguration } from "../../src/descope/sso-choice.js";
import { idpOf } from "../../src/descope/tenant-idp.js";

const NOW = Date.parse("2026-11-28T12:00:00Z");
const MIN = 60_000;
const LOGIN = "jane@acme.com";

const acme = { id: "T1", name: "Acme", jitDisabled: true, groupMappings: [] };
const acmeMapped = { ...acme, groupMappings: [{ groups: ["security"], role: "securityadmin" }] };

function ev(action: string, minsAgo: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `${action}-${minsAgo}`,
    action,
    at: NOW - minsAgo * MIN,
    loginIds: [LOGIN],
    tenants: ["T1"],
    ...extra,
  };
}
function usr(extra: Partial<UserFacts> = {}): UserFacts {
  return {
    userId: "U1",
    loginIds: [LOGIN],
    status: "enabled",
    scim: true,
    createdAt: NOW - 120 * MIN,
    tenants: [{ tenantId: "T1", tenantName: "Acme", roleNames: ["member"] }],
    projectRoles: [],
    ...extra,
  };
}
function facts(extra: Partial<CheckFacts> = {}): CheckFacts {
  return {
    loginId: LOGIN,
    tenant: acme,
    tenantRequested: true,
    user: null,
    events: [],
    idp: { idp: "azure", reason: "test" },
    assignedAt: null,
    ...extra,
  };
}

const cases: Array<[string, Partial<CheckFacts>, Verdict]> = [
  ["user in tenant, SCIM flag, a role", { user: usr() }, "provisioned"],
  [
    "SCIM evidence from a SCIMEvent only",
    { user: usr({ scim: false }), events: [ev("SCIMEvent", 90, { scimAction: "CreateUser" })] },
    "provisioned",
  ],
  [
    "no role, but the tenant maps no groups",
    { user: usr({ tenants: [{ tenantId: "T1", roleNames: [] }] }) },
    "provisioned",
  ],
  [
    "no role while the tenant maps groups to roles",
    { user: usr({ tenants: [{ tenantId: "T1", roleNames: [] }] }), tenant: acmeMapped },
    "provisioned_no_roles",
  ],
  ["a role while the tenant maps groups", { user: usr(), tenant: acmeMapped }, "provisioned"],
  ["disabled user", { user: usr({ status: "disabled" }) }, "deprovisioned"],
  [
    "disabled after SCIM active=false",
    {
      user: usr({ status: "disabled" }),
      events: [ev("SCIMEvent", 10, { active: false, scimAction: "PatchUser" })],
    },
    "deprovisioned",
  ],
  [
    "user exists only in another tenant",
    { user: usr({ tenants: [{ tenantId: "T2", tenantName: "Other", roleNames: ["x"] }] }) },
    "other_tenant",
  ],
  [
    "other tenant wins over disabled",
    { user: usr({ status: "disabled", tenants: [{ tenantId: "T2", roleNames: [] }] }) },
    "other_tenant",
  ],
  ["user without SCIM flag nor SCIMEvent", { user: usr({ scim: false }) }, "not_scim_managed"],
  [
    "a failed SCIMEvent is not SCIM evidence",
    { user: usr({ scim: false }), events: [ev("SCIMEvent", 5, { error: "409 conflict" })] },
    "not_scim_managed",
  ],
  ["no user, no events", {}, "not_provisioned"],
  [
    "no user, SCIM error",
    { events: [ev("SCIMEvent", 5, { error: "email is required" })] },
    "scim_error",
  ],
  [
    "scim_error beats pending_cycle",
    { events: [ev("SCIMEvent", 5, { error: "boom" })], assignedAt: NOW - 10 * MIN },
    "scim_error",
  ],
  [
    "scim_error beats sso_without_scim",
    { events: [ev("SCIMEvent", 5, { error: "boom" }), ev("LoginFailed", 3)] },
    "scim_error",
  ],
  ["within Entra's window", { assignedAt: NOW - 20 * MIN }, "pending_cycle"],
  // The window is the IdP's cycle plus the grace (15 min by default), as for the checklist.
  ["Entra window + grace not passed", { assignedAt: NOW - 70 * MIN }, "pending_cycle"],
  ["Entra window + grace passed", { assignedAt: NOW - 76 * MIN }, "not_provisioned"],
  [
    "no grace: Entra window passed",
    { assignedAt: NOW - 61 * MIN, graceMinutes: 0 },
    "not_provisioned",
  ],
  [
    "pending_cycle beats sso_without_scim",
    { assignedAt: NOW - 5 * MIN, events: [ev("LoginFailed", 2)] },
    "pending_cycle",
  ],
  [
    "Okta's window is short",
    { assignedAt: NOW - 26 * MIN, idp: { idp: "okta", reason: "t" } },
    "not_provisioned",
  ],
  [
    "Google's window is hours",
    { assignedAt: NOW - 120 * MIN, idp: { idp: "google", reason: "t" } },
    "pending_cycle",
  ],
  ["failed sign-ins, no user", { events: [ev("LoginFailed", 30)] }, "sso_without_scim"],
  [
    "window passed and failed sign-ins",
    { assignedAt: NOW - 300 * MIN, events: [ev("LoginFailed", 30)] },
    "sso_without_scim",
  ],
  [
    "events of other login IDs are ignored",
    { events: [ev("LoginFailed", 30, { loginIds: ["bob@acme.com"] })] },
    "not_provisioned",
  ],
  [
    "login ID matched case-insensitively",
    { events: [ev("LoginFailed", 30, { loginIds: ["Jane@Acme.com"] })] },
    "sso_without_scim",
  ],
  [
    "no tenant requested: the user's tenant is used, no other_tenant",
    { tenantRequested: false, tenant: null, user: usr() },
    "provisioned",
  ],
];

describe("diagnose: verdicts and precedence", () => {
  it.each(cases)("%s", (_name, extra, verdict) => {
    const d = diagnose(facts(extra), NOW);
    expect(d.verdict).toBe(verdict);
    expect(d.summary.length).toBeGreaterThan(20);
    expect(d.remediation.length).toBeGreaterThan(0);
    expect(d.checkedAt).toBe("2026-11-28T12:00:00.000Z");
    for (const e of d.evidence)
      expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe("diagnose: what it says", () => {
  it("evidence lists the events in time order with ISO times", () => {
    const d = diagnose(
      facts({ events: [ev("LoginFailed", 5, { error: "user not found" }), ev("LoginFailed", 50)] }),
      NOW,
    );
    const texts = d.evidence.map((e) => e.text);
    expect(texts.some((t) => t.includes("Sign-in failed") && t.includes("user not found"))).toBe(
      true,
    );
    const ats = d.evidence.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
  });

  it("pending_cycle says when the user is due", () => {
    const d = diagnose(facts({ assignedAt: NOW - 20 * MIN }), NOW);
    expect(d.summary).toContain("expected by 2026-11-28 12:55 UTC");
    expect(d.summary).toContain("in 55 min");
    expect(d.remediation.join(" ")).toContain("Provision on demand");
  });

  it("absence of SCIM rows is flagged as not proof", () => {
    const d = diagnose(facts(), NOW);
    expect(d.notes.join(" ")).toMatch(/SCIM audit logging/);
  });

  it("remediation names the IdP's group-assignment path", () => {
    const az = diagnose(facts(), NOW);
    expect(az.remediation.join(" ")).toContain("Enterprise apps");
    expect(az.remediation.join(" ")).toMatch(/Nested groups/);
    const okta = diagnose(facts({ idp: { idp: "okta", reason: "t" } }), NOW);
    expect(okta.remediation.join(" ")).toContain("Assign to Groups");
    expect(okta.remediation.join(" ")).toContain("Provision User");
  });

  it("scim_error maps a 409 to the duplicate-user fix", () => {
    const d = diagnose(
      facts({ events: [ev("SCIMEvent", 5, { error: "409: user already exists" })] }),
      NOW,
    );
    expect(d.summary).toContain("409: user already exists");
    expect(d.remediation[0]).toMatch(/already exists/);
  });

  it("provisioned_no_roles explains that group mapping is not provisioning", () => {
    const d = diagnose(
      facts({ user: usr({ tenants: [{ tenantId: "T1", roleNames: [] }] }), tenant: acmeMapped }),
      NOW,
    );
    expect(d.summary).toMatch(/Group mapping is not provisioning/);
    expect(d.remediation.join(" ")).toContain("security → securityadmin");
  });

  it("deprovisioned points at removal from the assigned group", () => {
    const d = diagnose(
      facts({
        user: usr({ status: "disabled" }),
        events: [ev("SCIMEvent", 10, { active: false })],
      }),
      NOW,
    );
    expect(d.summary).toMatch(/removed from the group assigned/);
  });

  it("a deleted user is mentioned", () => {
    const d = diagnose(facts({ events: [ev("UserDeleted", 100)] }), NOW);
    expect(d.verdict).toBe("not_provisioned");
    expect(d.notes.join(" ")).toMatch(/deleted from Descope/);
  });

  it("caps the evidence list", () => {
    const many = Array.from({ length: 40 }, (_, i) => ev("LoginFailed", i + 1));
    const d = diagnose(facts({ events: many }), NOW);
    expect(d.evidence.length).toBeLessThanOrEqual(15);
    expect(d.evidence.some((e) => e.text.includes("28 other audit event(s) not shown"))).toBe(true);
  });

  it("keeps the events a verdict turns on in the evidence, however old", () => {
    const old = { ...ev("SCIMEvent", 200), error: "409 Conflict" };
    const many = Array.from({ length: 40 }, (_, i) => ev("LoginFailed", i + 1));
    const d = diagnose(facts({ events: [old, ...many] }), NOW);
    expect(d.evidence.some((e) => e.text.includes("409 Conflict"))).toBe(true);
    expect(d.evidence.length).toBeLessThanOrEqual(15);
  });
});

describe("diagnose: JIT and SCIM both on (issue #23)", () => {
  it("says so when a SCIM-managed user is modified right after an SSO sign-in", () => {
    const d = diagnose(
      facts({
        tenant: { ...acme, jitDisabled: false },
        user: usr(),
        events: [ev("LoginSucceed", 10), ev("UserModified", 9)],
      }),
      NOW,
    );
    expect(d.notes.join("\n")).toMatch(
      /JIT and SCIM are both on .* Descope advises turning JIT off/,
    );
  });

  it.each([
    ["JIT off", { jitDisabled: true }, [ev("LoginSucceed", 10), ev("UserModified", 9)]],
    ["no sign-in before the change", { jitDisabled: false }, [ev("UserModified", 9)]],
    [
      "the change long after the sign-in",
      { jitDisabled: false },
      [ev("LoginSucceed", 60), ev("UserModified", 9)],
    ],
  ] as const)("stays quiet: %s", (_why, t, events) => {
    const d = diagnose(facts({ tenant: { ...acme, ...t }, user: usr(), events: [...events] }), NOW);
    expect(d.notes.join("\n")).not.toMatch(/JIT and SCIM are both on/);
  });
});

describe("identity resolution (issue #23): one person, several identifiers", () => {
  const UPN = "jane.d@acme.onmicrosoft.com";
  const found = usr({ loginIds: [UPN], email: LOGIN });

  it.each([
    [
      "found by e-mail, sign-ins with the e-mail fail: identifier_mismatch",
      { user: found, matchedBy: "email" as const, events: [ev("LoginFailed", 5)] },
      "identifier_mismatch",
    ],
    [
      "found by e-mail, a later sign-in succeeded: the user's verdict",
      {
        user: found,
        matchedBy: "email" as const,
        events: [ev("LoginFailed", 50), ev("LoginSucceed", 5)],
      },
      "provisioned",
    ],
    [
      "found by e-mail, no sign-in at all: the user's verdict",
      { user: found, matchedBy: "email" as const },
      "provisioned",
    ],
    [
      "found by the SCIM userName, disabled: deprovisioned wins",
      {
        user: { ...found, status: "disabled" },
        matchedBy: "scim_user_name" as const,
        events: [ev("LoginFailed", 5)],
      },
      "deprovisioned",
    ],
    [
      "found by login ID: failed sign-ins are not a mismatch",
      { user: usr(), matchedBy: "login_id" as const, events: [ev("LoginFailed", 5)] },
      "provisioned",
    ],
  ] as const)("%s", (_why, f, verdict) => {
    const d = diagnose(
      facts({ ...f, events: [...((f as { events?: AuditEvent[] }).events ?? [])] }),
      NOW,
    );
    expect(d.verdict).toBe(verdict);
  });

  it("the mismatch names both identifiers, which side sends which, and the IdP's mapping fix", () => {
    const d = diagnose(
      facts({ user: found, matchedBy: "email", events: [ev("LoginFailed", 5)] }),
      NOW,
    );
    expect(d.summary).toContain(LOGIN);
    expect(d.summary).toContain(UPN);
    expect(d.summary).toMatch(/SSO sends .* as the identifier .* SCIM provisioned userName/);
    expect(d.remediation[0]).toMatch(/Attributes & Claims › Unique User Identifier/);
    expect(d.remediation.join("\n")).not.toMatch(/so the next hire is not forgotten/);
    expect(d.matchedBy).toBe("email");
    expect(d.descopeLoginIds).toEqual([UPN]);
  });

  it("a person found elsewhere is answered with a note naming the identifier matched", () => {
    const d = diagnose(facts({ user: found, matchedBy: "scim_user_name" }), NOW);
    expect(d.verdict).toBe("provisioned");
    expect(d.summary).toContain(`${LOGIN} (login ID ${UPN})`);
    expect(d.notes.join("\n")).toMatch(
      /No Descope user has the login ID jane@acme.com; this is the user found by the userName the IdP sent over SCIM/,
    );
    expect(d.matchedBy).toBe("scim_user_name");
  });

  it("nobody found: matchedBy null, no login IDs", () => {
    const d = diagnose(facts(), NOW);
    expect(d.matchedBy).toBeNull();
    expect(d.descopeLoginIds).toEqual([]);
  });

  it("scimAliases: the other identifiers on successful SCIM rows naming the person, newest first", () => {
    const rows = [
      ev("SCIMEvent", 60, { loginIds: ["old@acme.onmicrosoft.com", LOGIN], userId: "U0" }),
      ev("SCIMEvent", 10, { loginIds: [UPN, LOGIN], userId: "U1" }),
      ev("SCIMEvent", 5, { loginIds: ["x@acme.com", LOGIN], error: "409" }),
      ev("LoginFailed", 3, { loginIds: [LOGIN] }),
      ev("SCIMEvent", 2, { loginIds: ["someone@else.com"] }),
    ];
    expect(scimAliases(LOGIN, rows)).toEqual({
      loginIds: [UPN, "old@acme.onmicrosoft.com"],
      userIds: ["U1", "U0"],
    });
  });

  it("signInsAs counts only the typed identifier's sign-ins", () => {
    const rows = [ev("LoginFailed", 9), ev("LoginSucceed", 5, { loginIds: [UPN] })];
    expect(signInsAs(LOGIN, rows)).toMatchObject({ lastFailed: true });
    expect(signInsAs(UPN, rows)).toMatchObject({ lastFailed: false, failed: [] });
  });
});

describe("a tenant with several SSO configurations (issue #23)", () => {
  const entra = {
    ssoId: "",
    saml: { idpEntityId: "https://sts.windows.net/x/", groupsMapping: [] },
  };
  const okta = {
    ssoId: "contractors",
    saml: { idpEntityId: "http://www.okta.com/exk1", groupsMapping: [] },
  };
  const key = (ssoId: string, status = "active") => ({ ssoId, key: { id: `k-${ssoId}`, status } });

  it.each([
    ["one configuration: itself, nothing to say", [entra], null, "azure", null],
    [
      "the SCIM key names the Okta configuration",
      [entra, okta],
      [key("contractors")],
      "okta",
      /in the SSO configuration "contractors", which holds the tenant's SCIM key \(2 configurations\)/,
    ],
    [
      "the key is on the default one",
      [entra, okta],
      [key("")],
      "azure",
      /in the default SSO configuration, which holds the tenant's SCIM key/,
    ],
    [
      "an inactive key does not count: ambiguous, the default, said",
      [entra, okta],
      [key("contractors", "inactive")],
      "azure",
      /the tenant has 2 \(the default: Microsoft Entra ID, "contractors": Okta\) and its SCIM keys do not tell/,
    ],
    [
      "keys unreadable: ambiguous, said",
      [entra, okta],
      null,
      "azure",
      /its SCIM keys could not be read/,
    ],
    [
      "both configurations on Okta: Okta, whatever the keys",
      [{ ...okta, ssoId: "" }, okta],
      [],
      "okta",
      /all 2 SSO configurations use it/,
    ],
  ] as const)("%s", (_why, configs, keys, idp, reason) => {
    const chosen = scimConfiguration(
      configs as unknown as SsoSettings[],
      keys as unknown as TenantScimKey[] | null,
    );
    const guess = idpOf(chosen);
    expect(guess.idp).toBe(idp);
    if (reason) expect(guess.reason).toMatch(reason);
    else expect(guess.reason).not.toMatch(/configuration/);
  });
});

describe("jitRewrites: the one JIT-rewrite rule (check note and /scim activity)", () => {
  it("pairs a modification with the same person's sign-in within two minutes", () => {
    const a = { loginIds: ["a@acme.com"], userId: "UA" };
    const b = { loginIds: ["b@acme.com"], userId: "UB" };
    const rows = [
      ev("LoginSucceed", 10, a),
      ev("UserModified", 9, a),
      ev("LoginSucceed", 30, b),
      ev("UserModified", 9, { ...b, id: "mb" }),
    ];
    expect(jitRewrites(rows).map((r) => r.userId)).toEqual(["UA"]);
  });
});

describe("answers say what the case needs (issue #24)", () => {
  it("a provisioned user's answer carries no group-assignment lecture", () => {
    const d = diagnose(facts({ user: usr() }), NOW);
    expect(d.verdict).toBe("provisioned");
    expect(d.remediation.join("\n")).not.toMatch(/Assign a group, not individual users/);
    expect(d.remediation.join("\n").length).toBeLessThan(400);
  });
});
