import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/core/diagnosis/diagnose.js";
import type { AuditEvent, CheckFacts, UserFacts } from "../../src/core/diagnosis/facts.js";
import type { Verdict } from "../../src/core/diagnosis/verdicts.js";

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
