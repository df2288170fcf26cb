/** Start dates and the webhook signature, as tables of cases. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newHire } from "../../src/core/hires/model.js";
import { parseStartDate, startAlertAt, startAlertDue } from "../../src/core/hires/start.js";
import { verifySignature } from "../../src/features/hires/webhook-auth.js";

describe("start dates", () => {
  it.each([
    ["2026-12-07", "2026-12-07T09:00:00.000Z"],
    ["2026-12-07T08:00+01:00", "2026-12-07T07:00:00.000Z"],
    ["2026-02-30", undefined],
    ["next monday", undefined],
    ["2026-12-07T08:00", undefined],
  ])("%s → %s", (v, iso) => {
    const t = parseStartDate(v);
    expect(t === undefined ? undefined : new Date(t).toISOString()).toBe(iso);
  });

  it.each([
    ["2026-12-07T09:00:00Z", undefined, "2026-12-04T09:00:00.000Z"], // Monday → Friday
    ["2026-12-09T09:00:00Z", undefined, "2026-12-08T09:00:00.000Z"], // Wednesday → Tuesday
    ["2026-12-07T09:00:00Z", 4, "2026-12-07T05:00:00.000Z"],
  ] as const)("alert for a start at %s (lead %s h) at %s", (start, lead, at) => {
    expect(new Date(startAlertAt(Date.parse(start), lead)).toISOString()).toBe(at);
  });

  it("is due only when the start is near and they cannot work yet", () => {
    const h = newHire({
      loginId: "jo@acme.com",
      tenantId: "T",
      tenantName: "Acme",
      idp: "okta",
      idpReason: "",
      assignedAt: 0,
      registeredAt: 0,
      registeredBy: "U",
      channelId: "C",
      batchId: "b",
      startDate: Date.parse("2026-12-07T09:00:00Z"),
    });
    const fri = Date.parse("2026-12-04T10:00:00Z");
    expect(startAlertDue(h, Date.parse("2026-12-03T10:00:00Z"))).toBe(false);
    expect(startAlertDue(h, fri)).toBe(true);
    const ready = {
      ...h,
      items: {
        ...h.items,
        provisioned: { at: 1, by: "descope" as const },
        roles: { at: 1, by: "descope" as const },
      },
    };
    expect(startAlertDue(ready, fri)).toBe(false);
    const noRoles = { ...h, items: { ...h.items, provisioned: { at: 1, by: "descope" as const } } };
    expect(startAlertDue(noRoles, fri)).toBe(true);
    expect(startAlertDue({ ...h, startDate: null }, fri)).toBe(false);
  });
});

describe("webhook signature", () => {
  const secret = "s".repeat(20);
  const body = Buffer.from('{"a":1}');
  const now = 1_800_000_000_000;
  const sig = (ts: number, s = secret) =>
    `sha256=${createHmac("sha256", s).update(`${ts}.${body}`).digest("hex")}`;
  it.each([
    ["good", String(now / 1000), sig(now / 1000), "ok"],
    ["other secret", String(now / 1000), sig(now / 1000, "x".repeat(20)), "bad"],
    ["stale", String(now / 1000 - 301), sig(now / 1000 - 301), "stale"],
    ["missing", undefined, undefined, "bad"],
    ["not a number", "abc", sig(now / 1000), "bad"],
  ] as const)("%s → %s", (_n, ts, s, out) => {
    expect(verifySignature(secret, ts, s, body, now)).toBe(out);
  });
});
