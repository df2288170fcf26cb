import { describe, expect, it } from "vitest";
import { scimKeyResult } from "../../src/cli/doctor-idp.js";
import {
  type KeySnapshot,
  keyFindings,
  lastUsableExpiry,
  parseWarnDays,
  renewed,
  type ScimKeyInfo,
} from "../../src/core/scim-keys.js";
import { keyExpiryLine } from "../../src/render/scim-keys.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-06T08:00:00Z");
const key = (o: Partial<ScimKeyInfo>): ScimKeyInfo => ({
  id: "K1",
  name: "scim",
  status: "active",
  expiresAt: null,
  createdAt: null,
  ssoId: null,
  ...o,
});
const snap = (keys: ScimKeyInfo[]): KeySnapshot => ({
  tenantId: "T1",
  tenantName: "Acme",
  keys,
  readAt: NOW,
});

describe("which SCIM keys to warn about", () => {
  it.each([
    ["never expires", [key({})], true, []],
    ["20 days left: none of 14,7,1", [key({ expiresAt: NOW + 20 * DAY })], true, []],
    [
      "10 days left: the 14-day warning",
      [key({ expiresAt: NOW + 10 * DAY })],
      true,
      ["expiring:14:10"],
    ],
    [
      "6 days left: the 7-day one only",
      [key({ expiresAt: NOW + 6 * DAY })],
      true,
      ["expiring:7:6"],
    ],
    ["12 hours left: the 1-day one", [key({ expiresAt: NOW + DAY / 2 })], true, ["expiring:1:1"]],
    [
      "expired, the tenant's only key: expired, and no usable key",
      [key({ expiresAt: NOW - DAY })],
      true,
      ["expired", "none_active"],
    ],
    [
      "an inactive key expiring is not warned about",
      [key({ status: "inactive", expiresAt: NOW + DAY })],
      false,
      [],
    ],
    [
      "all inactive with SCIM users",
      [key({ status: "inactive" }), key({ id: "K2", status: "revoked" })],
      true,
      ["none_active"],
    ],
    ["all inactive without SCIM users: nothing to stop", [key({ status: "inactive" })], false, []],
    ["no keys at all: nothing said", [], true, []],
    [
      "a key two days old the IdP never used",
      [key({ createdAt: NOW - 2 * DAY })],
      false,
      ["never_called"],
    ],
    ["a key made an hour ago: not yet", [key({ createdAt: NOW - 3_600_000 })], false, []],
    ["a key the IdP uses", [key({ createdAt: NOW - 30 * DAY })], true, []],
  ])("%s", (_, keys, scimUsers, want) => {
    const got = keyFindings(snap(keys as ScimKeyInfo[]), NOW, [14, 7, 1], {
      scimUsers: scimUsers as boolean,
    }).map((f) => (f.kind === "expiring" ? `expiring:${f.threshold}:${f.daysLeft}` : f.kind));
    expect(got).toEqual(want);
  });

  it("reads the warning days, largest first, dropping nonsense", () => {
    expect(parseWarnDays("1, 7,14")).toEqual([14, 7, 1]);
    expect(parseWarnDays("30,x,0,7,7")).toEqual([30, 7]);
    expect(parseWarnDays(undefined)).toEqual([14, 7, 1]);
  });

  it("a renewal: a later expiry of the same key, or another usable key outliving it", () => {
    const warned = { keyId: "K1", expiresAt: NOW + 5 * DAY };
    expect(renewed(warned, snap([key({ expiresAt: NOW + 5 * DAY })]), NOW)).toBe(false);
    expect(renewed(warned, snap([key({ expiresAt: NOW + 300 * DAY })]), NOW)).toBe(true);
    expect(renewed(warned, snap([key({ expiresAt: null })]), NOW)).toBe(true);
    expect(
      renewed(
        warned,
        snap([key({ expiresAt: NOW + 5 * DAY }), key({ id: "K2", expiresAt: null })]),
        NOW,
      ),
    ).toBe(true);
    expect(
      renewed(warned, snap([key({ id: "K2", status: "inactive", expiresAt: null })]), NOW),
    ).toBe(false);
  });

  it("the line shown per tenant", () => {
    expect(keyExpiryLine(snap([]), NOW)).toBe("no SCIM key");
    expect(keyExpiryLine(snap([key({})]), NOW)).toBe("SCIM key never expires");
    expect(keyExpiryLine(snap([key({ expiresAt: NOW + 7 * DAY })]), NOW)).toBe(
      "SCIM key expires 2026-12-13 (in 7 days)",
    );
    expect(keyExpiryLine(snap([key({ status: "inactive" })]), NOW)).toMatch(/^no usable SCIM key/);
    expect(lastUsableExpiry(snap([key({ expiresAt: NOW - 1 })]), NOW)).toBe("none");
  });
});

describe("doctor's SCIM key line", () => {
  it.each([
    [[], "OK", /not read yet/],
    [
      [snap([key({ expiresAt: NOW + 100 * DAY })])],
      "OK",
      /1 tenant\(s\) read; no SCIM key runs out within 14 days/,
    ],
    [
      [snap([key({ expiresAt: NOW + 3 * DAY })])],
      "WARN",
      /^Acme: SCIM key expires 2026-12-09 \(in 3 days\)$/,
    ],
  ])("%#", (snaps, level, re) => {
    const r = scimKeyResult(snaps as KeySnapshot[], NOW, [14, 7, 1]);
    expect(r.ok ? (r.warn ? "WARN" : "OK") : "FAIL").toBe(level);
    expect(r.detail).toMatch(re);
  });
});
