/**
 * Rows Descope makes searchable late: the usual read re-reads 30 s before its
 * cursor; a row that appears later than that is found by the deeper re-read
 * (SCIMWATCH_REREAD_WINDOW_SEC every SCIMWATCH_REREAD_EVERY_SEC), stored, and
 * counted in /metrics.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML, scimEvent } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { type Harness, startHarness } from "../helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

describe("the deeper re-read", () => {
  it("finds a row written late, stores it once, and counts it", async () => {
    let t = Date.now();
    const now = () => t;
    h = await startHarness(
      { SCIMWATCH_REREAD_WINDOW_SEC: "900", SCIMWATCH_REREAD_EVERY_SEC: "600" },
      seed,
      { now },
    );
    const hh = h;
    hh.descope.now = now;
    hh.descope.audits.push(scimEvent({ at: t - 60_000, loginId: "a@acme.com", tenant: "T-acme" }));
    await hh.runtime.tailOnce(); // backfill
    t += 60_000;
    await hh.runtime.tailOnce(); // the first deeper re-read (nothing late yet)
    // A row that occurred 5 minutes ago appears only now: the usual reads (30 s back) miss it.
    t += 60_000;
    hh.descope.audits.push(
      scimEvent({ at: t - 5 * 60_000, loginId: "late@acme.com", tenant: "T-acme" }),
    );
    await hh.runtime.tailOnce();
    expect(await hh.runtime.index.count()).toBe(1);
    // Ten minutes after the last deeper re-read, the next one finds it.
    t += 10 * 60_000;
    await hh.runtime.tailOnce();
    expect(await hh.runtime.index.count()).toBe(2);
    const metrics = await (await fetch(`${hh.url}/metrics`)).text();
    expect(metrics).toMatch(/^scimwatch_audit_late_rows_total 1$/m);
    expect(metrics).toMatch(/^scimwatch_audit_late_row_age_seconds_count 1$/m);
    expect(hh.logs.join("")).toMatch(
      /the deeper re-read found audit rows earlier reads had missed/,
    );
  });
});
