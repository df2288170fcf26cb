/** The one tenant-health decision, as a table of cases. */
import { describe, expect, it } from "vitest";
import { summarizeActivity } from "../../src/core/activity.js";
import type { AuditEvent } from "../../src/core/diagnosis/facts.js";
import { type EpisodeState, type EpisodeStep, episodeStep } from "../../src/core/episodes.js";
import { blindness } from "../../src/core/own-health.js";
import {
  DEFAULT_THRESHOLDS,
  errorCause,
  massDeactivation,
  recovered,
  tenantHealth,
} from "../../src/core/tenant-health.js";
import { activityMessage } from "../../src/render/activity.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 27, 12);
let n = 0;
const scim = (ago: number, o: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `e${++n}`,
  action: "SCIMEvent",
  at: NOW - ago,
  loginIds: [`u${n}@acme.com`],
  tenants: ["T"],
  scimAction: "UpdateUser",
  ...o,
});
/** Three calls a day on the 5 days before `lastAgo`, and one at `lastAgo`. */
const regular = (lastAgo: number) => [
  ...[5, 4, 3, 2, 1].flatMap((d) => [0, 1, 2].map((i) => scim(lastAgo + d * DAY - i * HOUR))),
  scim(lastAgo),
];
const errs = (k: number, error = "401 Unauthorized") =>
  Array.from({ length: k }, (_, i) => scim(20 * MIN - i * MIN, { error }));

describe("tenantHealth", () => {
  it.each([
    ["no SCIM call ever: quiet", [], "quiet"],
    ["a tenant that pushed once long ago: ok, never stopped", [scim(13 * DAY)], "ok"],
    ["regular pushes, last 30 minutes ago: ok", regular(30 * MIN), "ok"],
    ["regular pushes, then silent for 2 days: stopped", regular(2 * DAY), "stopped"],
    ["regular pushes, silent 20 h (less than a day): ok", regular(20 * HOUR), "ok"],
    ["6 failures of 7 calls in the hour: failing", [...regular(30 * MIN), ...errs(6)], "failing"],
    ["4 failures: below the minimum of 5 calls", [...errs(4)], "ok"],
    ["failures, then two successes: ok", [...errs(6), scim(2 * MIN), scim(MIN)], "ok"],
    [
      "12 deactivated within the hour: mass deactivation",
      [
        ...regular(30 * MIN),
        ...Array.from({ length: 12 }, (_, i) => scim(10 * MIN - i * 1000, { active: false })),
      ],
      "mass_deactivation",
    ],
    [
      "9 deactivated: below the minimum",
      Array.from({ length: 9 }, (_, i) => scim(10 * MIN - i * 1000, { active: false })),
      "ok",
    ],
  ] as const)("%s", (_name, events, state) => {
    expect(tenantHealth("T", [...events], NOW).state).toBe(state);
  });

  it("a failing tenant stays failing through silence (quarantine) until two calls succeed", () => {
    const failing = tenantHealth("T", errs(6), NOW);
    expect(failing.state).toBe("failing");
    // Three hours later the window is empty, but nothing succeeded: still the same episode.
    const later = tenantHealth("T", errs(6), NOW + 3 * HOUR, { previous: failing });
    expect(later.state).toBe("failing");
    expect(later.episode).toBe(failing.episode);
    const ok = tenantHealth("T", [...errs(6), scim(-HOUR), scim(-HOUR - MIN)], NOW + 3 * HOUR, {
      previous: later,
    });
    expect(ok.state).toBe("ok");
    expect(recovered("failing", ok.state)).toBe(true);
  });

  it("the episode is the same in every process (derived from the audit data)", () => {
    const ev = regular(2 * DAY);
    expect(tenantHealth("T", ev, NOW).episode).toBe(tenantHealth("T", ev, NOW + MIN).episode);
  });

  it("overdue hires with nothing pushed since their assignment: stopped", () => {
    const h = tenantHealth("T", [scim(3 * DAY)], NOW, {
      overdue: { since: NOW - 2 * HOUR, count: 2 },
    });
    expect(h.state).toBe("stopped");
    expect(h.overdueHires).toBe(2);
  });

  it.each([
    ["401 Unauthorized", "auth"],
    ["Token expired", "auth"],
    ["409 Conflict: user already exists", "conflict"],
    ["400 Bad Request: invalid attribute emails", "mapping"],
    ["500 internal", "other"],
  ] as const)("error %s → %s", (e, cause) => {
    expect(errorCause(e)).toBe(cause);
  });
});

describe("mass deactivation", () => {
  it.each<[string, number, number | null, number, boolean]>([
    ["10 of 50 (20 %): alerted", 10, 50, 50, true],
    ["9 of 50: below the minimum of 10", 9, 50, 50, false],
    ["12 of 100 (12 %): below the share", 12, 100, 100, false],
    ["a 5-person tenant losing all 5: alerted (the floor is its size)", 5, 5, 5, true],
    ["a 5-person tenant losing 2: below the floor of 3", 2, 5, 5, false],
    ["a 5-person tenant losing 3 of 5 (60 %): alerted", 3, 5, 5, true],
    ["size unknown, 9 seen in the index: the minimum holds", 9, null, 9, false],
    ["size unknown, 12 of 30 seen: alerted", 12, null, 30, true],
  ])("%s", (_why, removed, known, managed, mass) => {
    expect(massDeactivation(removed, known, managed, DEFAULT_THRESHOLDS)).toBe(mass);
  });
});

describe("blindness", () => {
  it.each([
    [{}, false, null],
    [{ failedRuns: 1, lastErrorCode: "descope_auth", failingSince: 5 }, true, "key_refused"],
    [{ failedRuns: 4, lastErrorCode: "descope_unreachable" }, false, null],
    [
      { failedRuns: 5, lastErrorCode: "descope_unreachable", failingSince: 5 },
      true,
      "reads_failing",
    ],
  ] as const)("%o → blind %s (%s)", (s, blind, reason) => {
    const b = blindness(s, 5);
    expect(b.blind).toBe(blind);
    expect(b.reason).toBe(reason);
  });
});

describe("flapping is one episode (core/episodes.ts)", () => {
  const d = { settleMs: 10 * 60_000, cooldownMs: 60 * 60_000 };
  const T = 1_800_000_000_000;
  it.each<[string, EpisodeState, boolean, number, EpisodeStep]>([
    [
      "bad, nothing open: alert",
      { open: false, goodSince: null, closedAt: null },
      true,
      T,
      "alert",
    ],
    [
      "bad with the alert open (a new streak): continue",
      { open: true, goodSince: T - 1000, closedAt: null },
      true,
      T,
      "continue",
    ],
    [
      "good for the first time: settling",
      { open: true, goodSince: null, closedAt: null },
      false,
      T,
      "settling",
    ],
    [
      "good for 9 min: still settling",
      { open: true, goodSince: T - 9 * 60_000, closedAt: null },
      false,
      T,
      "settling",
    ],
    [
      "good for 10 min: recover",
      { open: true, goodSince: T - 10 * 60_000, closedAt: null },
      false,
      T,
      "recover",
    ],
    [
      "bad 30 min after a recovery: reopen",
      { open: false, goodSince: null, closedAt: T - 30 * 60_000 },
      true,
      T,
      "reopen",
    ],
    [
      "bad 2 h after a recovery: a new alert",
      { open: false, goodSince: null, closedAt: T - 120 * 60_000 },
      true,
      T,
      "alert",
    ],
    [
      "good, nothing open: quiet",
      { open: false, goodSince: null, closedAt: T - 1 },
      false,
      T,
      "quiet",
    ],
  ])("%s", (_why, s, bad, now, step) => {
    expect(episodeStep(s, bad, now, d)).toBe(step);
  });

  it("with no settle time a recovery is said at once (the old behaviour, settable)", () => {
    expect(
      episodeStep({ open: true, goodSince: null, closedAt: null }, false, T, {
        settleMs: 0,
        cooldownMs: 0,
      }),
    ).toBe("recover");
  });

  it("a storm of five failing/healthy flips a minute apart is one alert and no recovery", () => {
    let s: EpisodeState = { open: false, goodSince: null, closedAt: null };
    const steps: EpisodeStep[] = [];
    for (let i = 0; i < 10; i++) {
      const now = T + i * 60_000;
      const step = episodeStep(s, i % 2 === 0, now, d);
      steps.push(step);
      if (step === "alert" || step === "reopen")
        s = { open: true, goodSince: null, closedAt: null };
      if (step === "continue") s = { ...s, goodSince: null };
      if (step === "settling") s = { ...s, goodSince: s.goodSince ?? now };
      if (step === "recover") s = { open: false, goodSince: null, closedAt: now };
    }
    expect(steps.filter((x) => x === "alert")).toHaveLength(1);
    expect(steps.filter((x) => x === "recover")).toHaveLength(0);
  });
});

describe("/scim activity's wording (issue #24)", () => {
  it("says 1 error, 2 errors", () => {
    const at = Date.parse("2026-11-28T12:00:00Z");
    const fail = (id: string): AuditEvent => ({
      id,
      action: "SCIMEvent",
      at: at - 60_000,
      loginIds: [`${id}@acme.com`],
      tenants: ["T1"],
      scimAction: "CreateUser",
      error: "409",
    });
    const text = (events: AuditEvent[]) =>
      activityMessage(summarizeActivity("T1", events, { from: at - 86_400_000, to: at }), {
        tenantName: "Acme",
        idp: "azure",
        asOf: at,
      }).text;
    expect(text([fail("a")])).toMatch(/, 1 error;/);
    expect(text([fail("a"), fail("b")])).toMatch(/, 2 errors;/);
  });
});
