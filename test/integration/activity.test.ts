import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sparkline, summarizeActivity } from "../../src/core/activity.js";
import type { AuditEvent } from "../../src/core/diagnosis/facts.js";
import { classifyScim } from "../../src/core/diagnosis/facts.js";
import { bursts, spacing } from "../../src/redis/rate-budget.js";
import { tailHealth, tailLiveness } from "../../src/redis/tail-state.js";
import { activityMessage } from "../../src/render/activity.js";
import { auditEvent, scimEvent } from "../fakes/builders.js";
import { blockKitProblems, type Harness, startHarness, textsOf } from "../helpers.js";

const NOW = Date.parse("2026-11-28T12:00:00Z");
const H = 3_600_000;
const ev = (o: Partial<AuditEvent> & { at: number }): AuditEvent => ({
  id: String(Math.random()),
  action: "SCIMEvent",
  loginIds: ["a@x.com"],
  tenants: ["T1"],
  ...o,
});

describe("classifyScim", () => {
  it.each([
    [{ scimAction: "CreateUser" }, "create"],
    [{ scimAction: "POST /Users" }, "create"],
    [{ scimAction: "PatchUser" }, "update"],
    [{ scimAction: "ReplaceUser" }, "update"],
    [{ scimAction: "PatchUser", active: false }, "deactivate"],
    [{ scimAction: "DeleteUser" }, "delete"],
    [{ scimAction: "GetUsers" }, "read"],
    [{ scimAction: "Mystery" }, "other"],
  ] as const)("%j → %s", (o, kind) => {
    expect(classifyScim(ev({ at: 0, ...o }))).toBe(kind);
  });
});

describe("summarizeActivity", () => {
  const from = NOW - 7 * 24 * H;
  it("counts per day, finds the last push, top errors and never-provisioned sign-ins", () => {
    const s = summarizeActivity(
      "T1",
      [
        ev({ at: NOW - 2 * H, scimAction: "CreateUser" }),
        ev({ at: NOW - 3 * H, scimAction: "PatchUser" }),
        ev({ at: NOW - 26 * H, scimAction: "PatchUser", active: false }),
        ev({
          at: NOW - 1 * H,
          scimAction: "CreateUser",
          error: "409 conflict",
          loginIds: ["dup@x.com"],
        }),
        ev({
          at: NOW - 5 * H,
          scimAction: "CreateUser",
          error: "409 conflict",
          loginIds: ["dup@x.com"],
        }),
        ev({ at: NOW - 4 * H, action: "LoginFailed", loginIds: ["ghost@x.com"] }),
        ev({ at: NOW - 4 * H, action: "LoginFailed", loginIds: ["a@x.com"] }),
      ],
      { from, to: NOW },
    );
    expect(s.totals).toEqual({ created: 1, updated: 1, deactivated: 1, errors: 2 });
    expect(s.days.find((d) => d.day === "2026-11-28")).toMatchObject({
      created: 1,
      updated: 1,
      errors: 2,
    });
    expect(s.lastPush).toBe(NOW - H);
    expect(s.lastSuccessfulPush).toBe(NOW - 2 * H);
    expect(s.topErrors).toEqual([{ error: "409 conflict", count: 2, last: NOW - H }]);
    expect(s.neverProvisioned.map((n) => n.loginId)).toEqual(["ghost@x.com"]);
    expect(s.status).toBe("active");
  });

  it.each([
    ["silent", []],
    // The one tenant-health decision (core/tenant-health.ts): ≥ 5 calls in the hour, ≥ 80 % failed.
    [
      "failing",
      [1, 2, 3, 4, 5, 6].map((i) => ev({ at: NOW - i * 5 * 60_000, error: "401 unauthorized" })),
    ],
    ["active", [1, 2, 3].map((i) => ev({ at: NOW - i * H, error: "401 unauthorized" }))],
    // Pushed on 5 days, then silent for 2 days: stopped. A single push 3 days ago is not "regular".
    [
      "stopped",
      [2, 3, 4, 5, 6].flatMap((d) =>
        [0, 1, 2].map((i) => ev({ at: NOW - d * 24 * H - i * H, scimAction: "UpdateUser" })),
      ),
    ],
    [
      "mass_deactivation",
      Array.from({ length: 12 }, (_, i) =>
        ev({
          at: NOW - 10 * 60_000 + i,
          loginIds: [`g${i}@x.com`],
          scimAction: "UpdateUser",
          active: false,
        }),
      ),
    ],
  ] as const)("status %s", (status, events) => {
    expect(summarizeActivity("T1", [...events], { from, to: NOW }).status).toBe(status);
  });

  it("renders a compact chart within Block Kit limits, explaining a quarantine", () => {
    const s = summarizeActivity(
      "T1",
      [1, 2, 3, 4, 5, 6].map((i) => ev({ at: NOW - i * 5 * 60_000, error: "<!channel> 401" })),
      { from, to: NOW },
    );
    const msg = activityMessage(s, { tenantName: "Acme <b>", idp: "azure", asOf: NOW });
    expect(blockKitProblems(msg as unknown as Record<string, unknown>)).toEqual([]);
    const all = textsOf(msg.blocks).join("\n");
    expect(all).toMatch(/quarantine/);
    expect(all).toContain("&lt;!channel&gt; 401");
    expect(all).not.toContain("<!channel>");
    expect(all).toMatch(/11-28 {2}\+ {2}0 ~ {2}0 − {2}0 ✖ {2}6/);
  });

  it("sparkline scales to the busiest day", () => {
    expect(sparkline([0, 1, 8])).toBe("·▁█");
  });
});

describe("budget spacing and tail health", () => {
  it.each([
    [10, { points: 1, duration: 6 }],
    [7, { points: 1, duration: 9 }],
    [60, { points: 1, duration: 1 }],
    [600, { points: 9, duration: 1 }],
  ])("%i/min → %j", (rate, s) => {
    expect(spacing(rate)).toEqual(s);
    // Never more than `rate` in any 60-second window.
    expect(s.points * Math.ceil(60 / s.duration)).toBeLessThanOrEqual(rate);
  });

  it.each([
    [80, { points: 16, duration: 15 }],
    [100, { points: 20, duration: 15 }],
    [7, { points: 1, duration: 9 }],
  ])("bursts of %i/min → %j, never more than the rate in any 60 s window", (rate, b) => {
    expect(bursts(rate)).toEqual(b);
    // A 60 s window overlaps at most 60/duration + 1 fixed windows.
    expect(
      b.points * (Math.ceil(60 / b.duration) + (60 % b.duration === 0 ? 1 : 0)),
    ).toBeLessThanOrEqual(rate);
  });

  it.each([
    [{}, NOW - 100_000, [], true],
    [{}, NOW - 181_000, [], false],
    [{ lastSuccessAt: NOW - 170_000 }, NOW - 999_000, [], true],
    [{ lastSuccessAt: NOW - 200_000 }, NOW - 999_000, [], false],
    [{ lastSuccessAt: NOW - 200_000, lastPageAt: NOW - 10_000 }, NOW - 999_000, [], true],
    [{ lastSuccessAt: NOW - 1_000 }, NOW - 999_000, ["audit-tail"], false],
  ])("tail liveness %j (started %s, missing %j) → %s", (state, startedAt, missing, ok) => {
    const l = tailLiveness(state, NOW, 60, startedAt, missing);
    expect(l.ok).toBe(ok);
    if (!ok) expect(l.reason).toMatch(/no (successful )?tail run|schedulers missing/);
  });

  it.each([
    [{}, false, null],
    [{ lastSuccessAt: NOW - 119_000, lastTo: NOW - 120_000 }, true, 120_000],
    [{ lastSuccessAt: NOW - 121_000, lastTo: NOW - 121_000 }, false, 121_000],
  ])("%j → healthy %s, lag %s", (state, healthy, lag) => {
    const h = tailHealth(state, NOW, 60);
    expect(h.healthy).toBe(healthy);
    expect(h.lagMs).toBe(lag);
  });
});

describe("/scim activity in Slack", () => {
  let h: Harness;
  const now = Date.now();
  beforeAll(async () => {
    h = await startHarness({}, (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme Corp" });
      d.sso["T-acme"] = { saml: { idpEntityId: "https://sts.windows.net/x/" } };
      d.audits.push(
        scimEvent({ at: now - 3 * H, loginId: "ada@acme.com", tenant: "T-acme" }),
        scimEvent({
          at: now - 2 * H,
          loginId: "bob@acme.com",
          tenant: "T-acme",
          error: "email is required",
        }),
        auditEvent("LoginFailed", {
          at: now - H,
          loginId: "contractor@acme.com",
          tenant: "T-acme",
        }),
      );
    });
    await h.runtime.tailOnce();
  });
  afterAll(() => h.stop());

  it("summarises the tenant from the index, with zero audit searches", async () => {
    const before = h.descope.count("audit");
    const r = await h.command("activity Acme Corp 7d");
    const msg = (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body;
    const all = textsOf(msg.blocks).join("\n");
    expect(all).toContain("SCIM activity · Acme Corp");
    expect(all).toContain("1 created");
    expect(all).toContain("1× email is required");
    expect(all).toContain("contractor@acme.com");
    expect(all).toMatch(/Microsoft Entra ID is pushing/);
    expect(h.descope.count("audit")).toBe(before);
    expect(blockKitProblems(msg)).toEqual([]);
  });

  it("asks for a tenant in a support channel", async () => {
    const r = await h.command("activity");
    const msg = (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body;
    expect(String(msg.text)).toMatch(/Which tenant/);
  });

  it("rejects a period beyond 30 days", async () => {
    const r = await h.command("activity Acme Corp 45d");
    expect(String(r.ack.text)).toMatch(/1d to 30d/);
  });
});

describe("Block Kit as plain text (the demo's Slack stand-in)", () => {
  it("renders headers, sections, buttons, dates and entities readably", async () => {
    const { blocksToPlain } = await import("../../src/render/plain.js");
    const text = blocksToPlain(
      [
        { type: "header", text: { type: "plain_text", text: "Title" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: "*jane* &lt;x&gt; <!date^1764331200^{date_short_pretty}|2026-11-28T12:00:00Z> <@U1>",
          },
        },
        {
          type: "actions",
          elements: [{ type: "button", text: { type: "plain_text", text: "Re-check" } }],
        },
      ],
      "fallback",
    );
    expect(text).toBe("━━ Title ━━\njane <x> 11-28 12:00 UTC @U1\n[Re-check]");
    expect(blocksToPlain(undefined, "only &amp; text")).toBe("only & text");
  });
});
