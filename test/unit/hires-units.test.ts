import { describe, expect, it } from "vitest";
import { type Hire, hireId, newHire } from "../../src/core/hires/model.js";
import { oneByOneSignal } from "../../src/core/hires/one-by-one.js";
import { parseExpectArgs } from "../../src/core/hires/parse-expect.js";
import {
  closesAt,
  eventsSeen,
  readSinceDue,
  type SliceCandidate,
  usersToLoad,
} from "../../src/core/hires/slice.js";
import {
  alertOwed,
  dueAt,
  type HireView,
  hireState,
  observe,
  reminderOwed,
  resolutionOwed,
} from "../../src/core/hires/state.js";
import { followUps, overdueMessages } from "../../src/features/hires/hire-messages.js";
import { alertMessage, checklistMessage, unknownSigninMessage } from "../../src/render/hires.js";
import { homeView } from "../../src/render/home.js";
import { blockKitProblems, mrkdwnTextsOf, textsOf } from "../helpers.js";

const NOW = Date.parse("2026-11-28T12:00:00Z");
const MIN = 60_000;

function hire(o: Partial<Hire> = {}): Hire {
  return {
    ...newHire({
      loginId: "jane@acme.com",
      tenantId: "T1",
      tenantName: "Acme",
      idp: "azure",
      idpReason: "test",
      assignedAt: NOW - 20 * MIN,
      registeredAt: NOW - 20 * MIN,
      registeredBy: "U1",
      channelId: "C1",
      batchId: "b1",
    }),
    ...o,
  };
}

describe("parseExpectArgs", () => {
  it.each([
    [
      ["a@x.com", "b@x.com", "Acme", "Corp"],
      { emails: ["a@x.com", "b@x.com"], tenant: "Acme Corp", assignedAt: NOW },
    ],
    [
      ["a@x.com", "idp=entra", "at=-20m"],
      { emails: ["a@x.com"], idp: "azure", assignedAt: NOW - 20 * MIN },
    ],
    [["a@x.com", "at=2h", "ago"], { emails: ["a@x.com"], assignedAt: NOW - 120 * MIN }],
    [["a@x.com", "at=2026-11-28T11:00:00Z"], { emails: ["a@x.com"], assignedAt: NOW - 60 * MIN }],
  ])("%j", (words, expected) => {
    expect(parseExpectArgs(words, NOW)).toMatchObject({ ...expected, rejected: [] });
  });

  it("rejects bad lines one by one and keeps the good ones", () => {
    const r = parseExpectArgs(["ok@x.com", "bad@", "@x.com", "ok@x.com", "a@b"], NOW);
    expect(r).toMatchObject({
      emails: ["ok@x.com"],
      rejected: [
        { input: "bad@", reason: "not an email address" },
        { input: "@x.com", reason: "not an email address" },
        { input: "ok@x.com", reason: "listed twice" },
        { input: "a@b", reason: "not an email address" },
      ],
    });
  });

  it("refuses control and direction characters, saying why", () => {
    const r = parseExpectArgs(["ok@x.com", "a\u0007b@x.com", "eve\u202Egpj.exe@x.com"], NOW);
    expect(r).toMatchObject({
      emails: ["ok@x.com"],
      rejected: [
        { input: "a\\u0007b@x.com", reason: expect.stringMatching(/control .*U\+0007/) },
        { input: "eve\\u202Egpj.exe@x.com", reason: expect.stringMatching(/direction .*U\+202E/) },
      ],
    });
  });

  it.each([
    [["a@x.com", "at=2026-11-28T09:30"], /has no time zone/],
    [["a@x.com", "idp=keycloak"], /Unknown IdP/],
    [["a@x.com", "at=soon"], /Malformed/],
    [["a@x.com", "at=2099-01-01"], /in the future/],
    [["a@x.com", "at=2026-01-01"], /more than 30 days/],
  ])("%j → error", (words, err) => {
    const r = parseExpectArgs(words, NOW);
    expect("error" in r && r.error).toMatch(err);
  });
});

describe("hire evaluation", () => {
  const user = (o: Record<string, unknown> = {}) => ({
    userId: "U",
    loginIds: ["jane@acme.com"],
    status: "enabled",
    scim: true,
    createdAt: NOW - 5 * MIN,
    tenants: [{ tenantId: "T1", roleNames: ["member"] }],
    projectRoles: [],
    ...o,
  });

  it("due time is the assignment plus the IdP's window plus grace", () => {
    expect(dueAt(hire(), 15)).toBe(NOW - 20 * MIN + 75 * MIN);
    expect(dueAt(hire({ idp: "okta" }), 0)).toBe(NOW - 10 * MIN);
  });

  it.each([
    ["nothing yet, within the window", {}, NOW, "waiting"],
    ["nothing, after the window", {}, NOW + 60 * MIN, "overdue"],
    [
      "a SCIM error",
      {
        events: [
          {
            id: "1",
            action: "SCIMEvent",
            at: NOW,
            loginIds: ["jane@acme.com"],
            tenants: ["T1"],
            error: "409",
          },
        ],
      },
      NOW,
      "scim_error",
    ],
    [
      "provisioned, no role",
      { user: user({ tenants: [{ tenantId: "T1", roleNames: [] }] }) },
      NOW,
      "provisioned",
    ],
    ["provisioned with role and sign-in", { user: user(), lastSignIn: NOW - MIN }, NOW, "complete"],
    ["deactivated", { user: user({ status: "disabled" }) }, NOW, "deprovisioned"],
    [
      "in another tenant only",
      { user: user({ tenants: [{ tenantId: "T2", roleNames: ["x"] }] }) },
      NOW,
      "waiting",
    ],
  ] as const)("%s → %s", (_n, obs, at, status) => {
    const h = observe(hire(), { user: null, events: [], lastSignIn: null, ...obs } as never, at);
    expect(hireState(h, at, 15).status).toBe(status);
  });

  it("ticks never untick; provisioning ticks assignment", () => {
    const h = observe(hire(), { user: user(), events: [], lastSignIn: null }, NOW);
    expect(h.items.assigned).toEqual({ at: NOW - 5 * MIN, by: "descope" });
    expect(h.items.roles.at).not.toBeNull();
    const again = observe(h, { user: null, events: [], lastSignIn: null }, NOW);
    expect(again.items.provisioned.at).toBe(NOW - 5 * MIN);
  });

  it("alerts are owed once, reminders after a snooze, resolution on late arrival", () => {
    const late = NOW + 60 * MIN;
    const v = hireState(hire(), late, 15);
    expect(alertOwed(v, late)).toBe(true);
    const alerted = hire({ alert: { channel: "C", ts: "1.2", at: late, resolvedAt: null } });
    expect(alertOwed(hireState(alerted, late, 15), late)).toBe(false);
    expect(alertOwed(hireState(hire({ dismissed: true }), late, 15), late)).toBe(false);
    expect(reminderOwed(hireState({ ...alerted, snoozedUntil: late - 1 }, late, 15), late)).toBe(
      true,
    );
    expect(reminderOwed(hireState({ ...alerted, snoozedUntil: late + 1 }, late, 15), late)).toBe(
      false,
    );
    const arrived = observe(
      alerted,
      { user: user({ createdAt: late }), events: [], lastSignIn: null },
      late,
    );
    const av = hireState(arrived, late, 15);
    expect(resolutionOwed(av)).toBe(true);
    expect(av.lateMinutes).toBe(5);
  });

  it("hire IDs are key-safe and case-insensitive", () => {
    expect(hireId("T:1", "Jane@Acme.com")).toBe(hireId("T:1", "jane@acme.com"));
    expect(hireId("T:1", "a@b.c")).not.toMatch(/[:\s]/);
  });
});

describe("one by one", () => {
  const users = [1, 2, 3, 4].map((i) => ({ userId: `U${i}`, loginId: `u${i}@x.com` }));
  it.each([
    ["no groups pushed", [], true],
    ["most users in no group", [{ display: "g", memberUserIds: ["U1"] }], true],
    [
      "a group holds them",
      [{ display: "All Employees", memberUserIds: ["U1", "U2", "U3"] }],
      false,
    ],
  ] as const)("%s → %s", (_n, groups, signal) => {
    const s = oneByOneSignal({
      scimUsers: users,
      scimGroups: groups.map((g) => ({ ...g, memberUserIds: [...g.memberUserIds] })),
    });
    expect(Boolean(s)).toBe(signal);
    if (s) expect(s.message).toMatch(/appear to be assigned one by one/);
  });
  it("needs a few users before it says anything", () => {
    expect(oneByOneSignal({ scimUsers: users.slice(0, 2), scimGroups: [] })).toBeNull();
  });
});

describe("rendering", () => {
  it("a checklist of 200 hires stays within Block Kit's limits", () => {
    const views = Array.from({ length: 200 }, (_, i) =>
      hireState(hire({ loginId: `hire${i}@acme.com` }), NOW, 15),
    );
    const msg = checklistMessage("b1", views);
    expect(blockKitProblems(msg as never)).toEqual([]);
    const menus = msg.blocks.flatMap(
      (b) => ("elements" in b ? b.elements : []) as Array<{ type: string; options?: unknown[] }>,
    );
    // Past 100 options, type-ahead: nobody is silently cut off.
    expect(menus.find((e) => e.type === "static_select")).toBeUndefined();
    expect(menus.find((e) => e.type === "external_select")).toMatchObject({ min_query_length: 1 });
    const few = checklistMessage("b2", views.slice(0, 40));
    const select = few.blocks
      .flatMap(
        (b) => ("elements" in b ? b.elements : []) as Array<{ type: string; options?: unknown[] }>,
      )
      .find((e) => e.type === "static_select");
    expect(select?.options?.length).toBe(40);
  });

  it("escapes hostile login IDs and errors in alerts", () => {
    const h = hire({
      loginId: "<!channel>@x.com",
      tenantName: "<https://evil|x>",
      scimError: "<!here>",
    });
    for (const msg of [
      alertMessage(hireState(h, NOW + 99 * MIN, 15), "id"),
      unknownSigninMessage({
        loginId: "<!channel>@x.com",
        tenantName: "<!here>",
        idp: "okta",
        at: NOW,
      }),
    ]) {
      const all = [msg.text, ...mrkdwnTextsOf(msg.blocks)].join("\n");
      expect(all).toContain("&lt;!channel&gt;@x.com");
      for (const m of all.matchAll(/</g)) expect(all.slice(m.index, m.index + 7)).toBe("<!date^");
    }
  });

  it("the Home tab summarises beyond 100 blocks", () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      id: String(i),
      view: hireState(hire({ loginId: `h${i}@x.com` }), NOW + 99 * MIN, 15),
    }));
    const v = homeView({
      overdue: rows,
      pending: rows,
      provisioned24h: rows,
      alerts: [],
      tenants: ["Acme"],
    });
    expect(v.blocks.length).toBeLessThanOrEqual(100);
    expect(textsOf(v.blocks).join(" ")).toContain("/scim pending");
  });
});

describe("which hires a run reads (core/hires/slice.ts)", () => {
  const c = (o: Partial<SliceCandidate> & { id: string }): SliceCandidate => ({
    cost: 1,
    dueAt: NOW + 60 * MIN,
    alertPending: true,
    check: { at: NOW - MIN, seen: "1:5" },
    seen: "1:5",
    ...o,
  });
  const opts = { maxIds: 100, refreshMs: 30 * MIN };

  it.each<[string, SliceCandidate, boolean]>([
    ["never read", c({ id: "a", check: null }), true],
    ["a new row in the index since", c({ id: "a", seen: "2:9" }), true],
    ["nothing new, read a minute ago", c({ id: "a" }), false],
    ["fell due since its last read, alert to decide", c({ id: "a", dueAt: NOW - 1 }), true],
    [
      "fell due since, but already alerted",
      c({ id: "a", dueAt: NOW - 1, alertPending: false }),
      false,
    ],
    ["due, read after it fell due", c({ id: "a", dueAt: NOW - 2 * MIN }), false],
    [
      "read longer ago than the refresh",
      c({ id: "a", check: { at: NOW - 31 * MIN, seen: "1:5" } }),
      true,
    ],
  ])("%s → read: %s", (_why, cand, read) => {
    expect(usersToLoad([cand], NOW, opts)).toEqual(read ? ["a"] : []);
  });

  it("the most urgent first (falling due first), then the stalest, within the run's share", () => {
    const list = [
      c({ id: "stale-new", check: { at: NOW - 40 * MIN, seen: "1:5" } }),
      c({ id: "stale-old", check: { at: NOW - 90 * MIN, seen: "1:5" } }),
      c({ id: "event-late", seen: "2:9", dueAt: NOW + 30 * MIN }),
      c({ id: "due-now", dueAt: NOW - 1 }),
      c({ id: "new", check: null, dueAt: NOW + 10 * MIN, cost: 2 }),
    ];
    expect(usersToLoad(list, NOW, opts)).toEqual([
      "due-now",
      "new",
      "event-late",
      "stale-old",
      "stale-new",
    ]);
    // Four login IDs: the hire that costs two still fits, the refreshes wait.
    expect(usersToLoad(list, NOW, { ...opts, maxIds: 4 })).toEqual([
      "due-now",
      "new",
      "event-late",
    ]);
  });

  it("an alert waits for a read made after the hire fell due", () => {
    expect(readSinceDue(null, NOW)).toBe(false);
    expect(readSinceDue({ at: NOW - 1, seen: "" }, NOW)).toBe(false);
    expect(readSinceDue({ at: NOW, seen: "" }, NOW)).toBe(true);
  });

  it("events are fingerprinted by count and latest time", () => {
    expect(eventsSeen([])).toBe("0:0");
    expect(
      eventsSeen([
        { id: "a", at: 5 },
        { id: "b", at: 9 },
      ]),
    ).toBe("2:9");
  });

  it("a hire closes its horizon after the latest of assignment, registration and start", () => {
    const h = hire({ startDate: NOW + 5 * 86_400_000 });
    expect(closesAt(h, 30)).toBe(NOW + 35 * 86_400_000);
    expect(closesAt(hire(), 30)).toBe(NOW - 20 * MIN + 30 * 86_400_000);
    const closed = hire({ closedAt: NOW + 30 * 86_400_000 - 20 * MIN });
    const v = hireState(closed, NOW + 31 * 86_400_000, 15);
    expect(v.status).toBe("closed");
    expect(alertOwed(v, NOW + 31 * 86_400_000)).toBe(false);
    const msg = checklistMessage("b1", [v]);
    expect(textsOf(msg.blocks).join("\n")).toMatch(
      /Closed .*: Microsoft Entra ID never pushed them in 30 days, so scimwatch stopped watching — `\/scim check jane@acme.com`/,
    );
  });
});

describe("the IdP's real next cycle moves a hire's due time (issue #23)", () => {
  const windowDue = dueAt(hire(), 15);
  it.each<[string, Hire["idpNextCycle"], number]>([
    ["no connector: the window rule", null, windowDue],
    [
      "next cycle later than the window: that cycle plus the grace",
      { kind: "at", at: windowDue + 60 * MIN },
      windowDue + 75 * MIN,
    ],
    ["next cycle before the window ends: the window", { kind: "at", at: NOW }, windowDue],
    [
      "initial cycle: a day more, not missing",
      { kind: "initial", at: null },
      windowDue + 24 * 60 * MIN,
    ],
    ["a cycle running now: the window", { kind: "running", at: null }, windowDue],
  ])("%s", (_why, next, due) => {
    expect(dueAt(hire({ idpNextCycle: next }), 15)).toBe(due);
  });

  it("an initial cycle is said as such, and not alerted as missing within its day", () => {
    const h = hire({ idpNextCycle: { kind: "initial", at: null }, assignedAt: NOW - 3 * 60 * MIN });
    const v = hireState(h, NOW, 15);
    expect(v.status).toBe("waiting");
    expect(alertOwed(v, NOW)).toBe(false);
    expect(textsOf(checklistMessage("b1", [v]).blocks).join("\n")).toMatch(
      /Waiting for Microsoft Entra ID's initial cycle \(it reads everyone in scope once/,
    );
  });
});

describe("the hires' alerts are decided from their state alone (issue #22)", () => {
  const calls: string[] = [];
  const record = {
    alerted: async (id: string, a: { channel: string; ts: string }) => {
      calls.push(`alerted ${id} ${a.channel} ${a.ts}`);
    },
    resolved: async (id: string) => {
      calls.push(`resolved ${id}`);
    },
    reminded: async (id: string) => {
      calls.push(`reminded ${id}`);
    },
  };
  const late = (login: string) =>
    hireState(hire({ loginId: login, assignedAt: NOW - 3 * 60 * MIN }), NOW, 15);

  it("one alert each below the threshold; a digest first, the alerts in its thread, at it", () => {
    const two = overdueMessages(
      [
        ["h1", late("a@acme.com")],
        ["h2", late("b@acme.com")],
      ],
      () => "CALERTS",
      NOW,
      record,
    );
    expect(two.map((m) => [m.kind, m.key, m.thread])).toEqual([
      ["hire_overdue", "alert:h1", undefined],
      ["hire_overdue", "alert:h2", undefined],
    ]);
    const three = overdueMessages(
      ["a", "b", "c"].map((x) => [`h-${x}`, late(`${x}@acme.com`)] as [string, HireView]),
      () => "CALERTS",
      NOW,
      record,
    );
    expect(three[0]?.kind).toBe("hire_digest");
    expect(
      three
        .slice(1)
        .every((m) => JSON.stringify(m.thread) === JSON.stringify({ key: three[0]?.key })),
    ).toBe(true);
    expect(three[1]?.recent).toMatchObject({
      text: "a@acme.com missing in Acme",
      registeredBy: "U1",
    });
  });

  it("a late arrival edits its alert to resolved; a snooze past its hour is a reminder in the thread", async () => {
    const alert = { channel: "CALERTS", ts: "1.2", at: NOW - 60 * MIN, resolvedAt: null };
    const arrived = hireState(
      hire({ alert, items: { ...hire().items, provisioned: { at: NOW - MIN, by: "descope" } } }),
      NOW,
      15,
    );
    const snoozed = hireState(
      hire({ alert, snoozedUntil: NOW - MIN, assignedAt: NOW - 3 * 60 * MIN }),
      NOW,
      15,
    );
    const out = followUps(
      new Map([
        ["h1", arrived],
        ["h2", snoozed],
      ]),
      NOW,
      record,
    );
    expect(out.map((m) => [m.kind, m.edit?.ts ?? null, m.thread ?? null])).toEqual([
      ["hire_resolved", "1.2", null],
      ["hire_reminder", null, "1.2"],
    ]);
    calls.length = 0;
    for (const m of out) await m.afterSend?.({ channel: "CALERTS", ts: "1.2", found: false });
    expect(calls).toEqual(["resolved h1", "reminded h2"]);
  });
});
