/** The one leaver rule, as a table, and how a last day and a leaver row are read. */
import { describe, expect, it } from "vitest";
import { checkLeaverRows } from "../../src/core/leavers/intake.js";
import { newLeaver, parseLastDay } from "../../src/core/leavers/model.js";
import { type LeaverFacts, leaverView } from "../../src/core/leavers/state.js";

const LAST = Date.parse("2026-12-01T23:59:59.999Z");
const l = (idp: "azure" | "okta" | "generic" = "azure") =>
  newLeaver({
    loginId: "ana@acme.com",
    tenantId: "T",
    tenantName: "Acme",
    idp,
    lastDay: LAST,
    registeredAt: LAST - 86_400_000,
    registeredBy: "U1",
    source: "slack",
    channelId: "C1",
  });
const AFTER_WINDOW = LAST + 2 * 3_600_000;
const INSIDE_WINDOW = LAST + 10 * 60_000;
const f = (o: Partial<LeaverFacts>): LeaverFacts => ({
  descope: { status: "enabled" },
  idp: { cause: "pushed" },
  lastSignInAt: null,
  now: AFTER_WINDOW,
  ...o,
});

const CASES: Array<[string, LeaverFacts, string, boolean, RegExp]> = [
  ["still assigned, enabled, past the window", f({}), "still_enabled", true, /still assigned/],
  [
    "still assigned, inside the window",
    f({ now: INSIDE_WINDOW }),
    "waiting",
    false,
    /still assigned/,
  ],
  [
    "out of scope, enabled past the window",
    f({ idp: { cause: "not_assigned" } }),
    "still_enabled",
    true,
    /did not deprovision/,
  ],
  [
    "out of scope, disabled",
    f({ idp: { cause: "not_assigned" }, descope: { status: "disabled" } }),
    "gone",
    false,
    /removed them/,
  ],
  [
    "deleted in Descope, no connector",
    f({ idp: "none", descope: "deleted" }),
    "gone",
    false,
    /no Microsoft Entra ID connector/,
  ],
  ["enabled, IdP unreadable", f({ idp: null }), "still_enabled", true, /could not be read/],
  ["Descope unreadable", f({ descope: null }), "unknown", false, /./],
  [
    "assigned, logs unreadable",
    f({ idp: { cause: "idp_unreadable", inScope: true } }),
    "still_enabled",
    true,
    /still assigned/,
  ],
  [
    "not known whether assigned",
    f({ idp: { cause: "app_not_found" } }),
    "still_enabled",
    true,
    /could not tell whether/,
  ],
  [
    "disabled but still assigned",
    f({ descope: { status: "disabled" } }),
    "waiting",
    false,
    /still assigned/,
  ],
  ["before the last day", f({ now: LAST - 3_600_000 }), "waiting", false, /./],
];

describe("leaver: one status per case", () => {
  it.each(CASES)("%s", (_n, facts, status, overdue, did) => {
    const v = leaverView(l(), facts, 15);
    expect(v.status).toBe(status);
    expect(v.overdue).toBe(overdue);
    expect(v.idpDid).toMatch(did);
  });

  it("a sign-in after the last day un-ticks the checklist and is kept", () => {
    const v = leaverView(
      l(),
      f({
        lastSignInAt: LAST + 60_000,
        descope: { status: "disabled" },
        idp: { cause: "not_assigned" },
      }),
      15,
    );
    expect(v.items.noSignin).toBe(false);
    expect(v.signedInAfter).toBe(LAST + 60_000);
    expect(v.done).toBe(false);
  });

  it("the fix names the assigned group for Entra, Deactivate Users for Okta", () => {
    expect(leaverView(l(), f({}), 15).fix).toMatch(/group \*assigned\*/);
    expect(leaverView(l("okta"), f({ idp: { cause: "not_assigned" } }), 15).fix).toMatch(
      /Deactivate Users/,
    );
  });
});

describe("last days and rows", () => {
  it.each([
    ["2026-12-18", Date.parse("2026-12-18T23:59:59.999Z")],
    ["2026-12-18T17:00:00+01:00", Date.parse("2026-12-18T16:00:00Z")],
    ["2026-12-18T17:00:00Z", Date.parse("2026-12-18T17:00:00Z")],
    ["2026-12-18T17:00:00", null],
    ["2026-02-30", null],
    ["tomorrow", null],
  ])("%s", (s, ms) => {
    expect(parseLastDay(s)).toBe(ms);
  });

  it("rows: bad e-mails, bad days and duplicates are rejected with their reason; no day means now", () => {
    const r = checkLeaverRows(
      [
        { email: "a@x.com" },
        { email: "A@x.com", lastDay: "2026-12-01" },
        { email: "nope" },
        { email: "b@x.com", lastDay: "soon" },
      ],
      1_000,
    );
    expect(r.leavers).toEqual([{ email: "a@x.com", name: null, lastDay: 1_000 }]);
    expect(r.rejected.map((x) => x.input).sort()).toEqual(["A@x.com", "b@x.com", "nope"].sort());
  });
});
