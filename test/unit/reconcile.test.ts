/** The one reconciliation rule, as a table: each person's category from both sides, and the CSV. */
import { describe, expect, it } from "vitest";
import { mergePiece } from "../../src/connectors/entra-scope.js";
import { reconcile } from "../../src/core/reconcile/classify.js";
import type { DescopePerson, IdpPerson } from "../../src/core/reconcile/model.js";
import { csvOf } from "../../src/render/reconcile.js";

const NOW = Date.parse("2026-12-06T10:00:00Z");
const OLD = Date.parse("2026-01-01T00:00:00Z");
const p = (login: string, o: Partial<IdpPerson> = {}): IdpPerson => ({
  id: `id-${login}`,
  loginId: login,
  names: [login],
  enabled: true,
  scope: "group",
  via: "All Employees",
  ...o,
});
const d = (login: string, o: Partial<DescopePerson> = {}): DescopePerson => ({
  userId: `U-${login}`,
  loginIds: [login],
  email: login,
  status: "enabled",
  scim: true,
  ...o,
});

const CASES: Array<[string, IdpPerson | null, DescopePerson | null, string]> = [
  ["in scope, in Descope", p("a@x.com"), d("a@x.com"), "in_sync"],
  ["in scope, absent, no time", p("b@x.com"), null, "missing"],
  [
    "direct, absent, assigned long ago",
    p("c@x.com", { scope: "direct", since: OLD }),
    null,
    "missing",
  ],
  [
    "direct, absent, assigned 5 min ago",
    p("n@x.com", { scope: "direct", since: NOW - 300_000 }),
    null,
    "pending",
  ],
  [
    "disabled in IdP, enabled SCIM user",
    p("e@x.com", { enabled: false }),
    d("e@x.com"),
    "orphaned",
  ],
  ["disabled in IdP, absent", p("f@x.com", { enabled: false }), null, "in_sync"],
  [
    "disabled in IdP, disabled in Descope",
    p("g@x.com", { enabled: false }),
    d("g@x.com", { status: "disabled" }),
    "in_sync",
  ],
  [
    "enabled in scope, disabled in Descope",
    p("h@x.com"),
    d("h@x.com", { status: "disabled" }),
    "state_mismatch",
  ],
  ["in scope, JIT user", p("i@x.com"), d("i@x.com", { scim: false }), "not_scim_managed"],
  [
    "nested only, absent",
    p("j@x.com", { scope: "nested", via: "Team in All" }),
    null,
    "nested_only",
  ],
  [
    "not security-enabled, absent",
    p("k@x.com", { scope: "not_security", via: "Sales list" }),
    null,
    "missing",
  ],
  [
    "not security-enabled, enabled SCIM user",
    p("l@x.com", { scope: "not_security" }),
    d("l@x.com"),
    "orphaned",
  ],
  ["Descope only, SCIM enabled", null, d("m@x.com"), "orphaned"],
  ["Descope only, SCIM disabled", null, d("o@x.com", { status: "disabled" }), "in_sync"],
  ["Descope only, JIT", null, d("q@x.com", { scim: false }), "not_scim_managed"],
  [
    "IdP by mail, Descope by e-mail",
    p("upn@x.onmicrosoft.com", { names: ["upn@x.onmicrosoft.com", "r@x.com"] }),
    d("R@X.com"),
    "in_sync",
  ],
];

describe("reconcile: one category per person", () => {
  it.each(CASES)("%s", (_name, idp, descope, category) => {
    const r = reconcile(
      { idp: "azure", appName: "Descope", people: idp ? [idp] : [] },
      descope ? [descope] : [],
      { now: NOW, graceMinutes: 15 },
    );
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]?.category).toBe(category);
    expect(r.counts[category as keyof typeof r.counts]).toBe(1);
    if (category !== "in_sync") expect(r.rows[0]?.fix).not.toBe("");
  });

  it("without a connector: Descope's side only, and what a connector would add", () => {
    const r = reconcile(null, [d("a@x.com"), d("b@x.com", { scim: false })], {
      now: NOW,
      graceMinutes: 15,
    });
    expect(r.counts.unverified).toBe(1);
    expect(r.counts.not_scim_managed).toBe(1);
    expect(r.counts.orphaned).toBe(0);
    expect(r.note).toMatch(/no IdP connector.*still enabled in Descope/);
  });

  it("orphans get the assigned-group fix (not only a role-mapped group)", () => {
    const r = reconcile({ idp: "azure", appName: "Descope", people: [] }, [d("m@x.com")], {
      now: NOW,
      graceMinutes: 15,
    });
    expect(r.rows[0]?.fix).toMatch(
      /group \*assigned\* to Descope \(not only from a role-mapped group\)/,
    );
  });

  it("Entra pieces merge: the strongest scope wins, names come from the user read", () => {
    const a = mergePiece(undefined, { id: "1", scope: "nested", via: "Team in All" });
    const b = mergePiece(a ?? undefined, {
      id: "1",
      scope: "group",
      via: "All",
      names: ["z@x.com"],
      loginId: "z@x.com",
      enabled: true,
    });
    expect(b).toMatchObject({ scope: "group", via: "All", names: ["z@x.com"], enabled: true });
    // A user read that no list put in scope stays out.
    expect(mergePiece(undefined, { id: "2", names: ["y@x.com"], enrichOnly: true })).toBeNull();
  });

  it("CSV: quoted, and a cell a spreadsheet would run as a formula is defused", () => {
    const csv = csvOf([
      {
        loginId: '=HYPERLINK("x")',
        category: "missing",
        idpState: "a, b",
        descopeState: "c",
        fix: "d",
      },
    ]);
    expect(csv.split("\r\n")[0]).toBe("loginId,category,idpState,descopeState,fix");
    expect(csv.split("\r\n")[1]).toBe(`"'=HYPERLINK(""x"")",missing,"a, b",c,d`);
  });
});
