/**
 * Descope's audit stream: POST /hooks/descope-audit on the real HTTP port.
 * Off without SCIMWATCH_AUDIT_HOOK_TOKEN; bearer token compared in constant
 * time; 5 MiB; the accepted shapes (one record, an array, {audits}, {events});
 * bad bodies answered 400 with the reason; stored once by audit ID (a second
 * push and the poll's copy add nothing); and a checklist that ticks within
 * seconds of the push, without a poll.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import type { FakeDescope } from "../fakes/descope.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const TOKEN = "audit-hook-token-0123456789abcdef";
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function seed(d: FakeDescope) {
  d.tenants.push({ id: "T-acme", name: "Acme Corp" });
  d.settings["T-acme"] = { JITDisabled: true };
  d.sso["T-acme"] = { saml: ENTRA_SAML };
}

const push = (body: unknown, auth: string | null = `Bearer ${TOKEN}`) =>
  fetch(`${h?.url}/hooks/descope-audit`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("POST /hooks/descope-audit", () => {
  it("is off (404) without SCIMWATCH_AUDIT_HOOK_TOKEN", async () => {
    h = await startHarness({}, seed);
    expect((await push([])).status).toBe(404);
  });

  it("refuses a missing or wrong token, oversized and malformed bodies, with the reason", async () => {
    h = await startHarness({ SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN }, seed);
    expect((await push([], null)).status).toBe(401);
    expect((await push([], "Bearer not-the-token")).status).toBe(401);
    expect((await push([], `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`)).status).toBe(
      401,
    );
    expect((await push("x".repeat(5 * 1024 * 1024 + 10))).status).toBe(413);
    const notJson = await push("{nope");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });
    const noAction = await push([{ ID: "a1", occurred: "1" }, { nothing: true }]);
    expect(noAction.status).toBe(400);
    expect(((await noAction.json()) as { error: string }).error).toMatch(
      /record 1 is not an audit record \(action\)/,
    );
    expect((await push(42)).status).toBe(400);
  });

  it("takes one record, an array, {audits} or {events}; stores each once, whoever reads it first", async () => {
    // The poll at every interval even while pushes flow (no longer wait than the interval).
    h = await startHarness(
      { SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN, SCIMWATCH_TAIL_MAX_INTERVAL: "60" },
      seed,
    );
    const at = Date.now() - 60_000;
    const e1 = scimEvent({ at, loginId: "a@acme.com", tenant: "T-acme" });
    const e2 = scimEvent({ at, loginId: "b@acme.com", tenant: "T-acme" });
    const e3 = scimEvent({ at, loginId: "c@acme.com", tenant: "T-acme" });
    const e4 = { ...scimEvent({ at, loginId: "d@acme.com", tenant: "T-acme" }), extra: { x: 1 } };
    const stored = async (r: Response) => ((await r.json()) as { stored: number }).stored;
    expect(await stored(await push(e1))).toBe(1);
    expect(await stored(await push([e2]))).toBe(1);
    expect(await stored(await push({ audits: [e3] }))).toBe(1);
    expect(await stored(await push({ events: [e4, e1] }))).toBe(1);
    // A record with `id` and an ISO `occurred` (the pushed shape is unverified) is taken too.
    const { ID, ...rest } = scimEvent({ at, loginId: "e@acme.com", tenant: "T-acme" });
    expect(
      await stored(await push([{ ...rest, id: ID, occurred: new Date(at).toISOString() }])),
    ).toBe(1);
    // Again: nothing new.
    expect(await stored(await push([e1, e2, e3, e4]))).toBe(0);
    expect(await h.runtime.index.count()).toBe(5);
    // The poll finds the same events: stored once.
    h.descope.audits.push(e1, e2, e3, e4);
    await h.runtime.tailOnce();
    expect(await h.runtime.index.count()).toBe(5);
  });

  it("a pushed provisioning ticks the checklist within seconds, without a poll", async () => {
    h = await startHarness({ SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN }, seed);
    const hh = h;
    const reg = await hh.command("expect jane@acme.com Acme Corp at=-20m");
    await hh.slack.waitFor(() => hh.slack.respondedTo(reg.rid)[0]);
    await hh.runtime.tailOnce();
    const before = hh.slack.callsTo("chat.update").length;
    const audits = hh.descope.count("audit");
    hh.descope.users.push(
      user({
        loginId: "jane@acme.com",
        tenantId: "T-acme",
        tenantName: "Acme Corp",
        roles: ["member"],
      }),
    );
    const t0 = Date.now();
    const r = await push([
      scimEvent({ at: Date.now() - 1_000, loginId: "jane@acme.com", tenant: "T-acme" }),
    ]);
    expect(r.status).toBe(200);
    const edit = await hh.slack.waitFor(
      () =>
        hh.slack.callsTo("chat.update").length > before && hh.slack.callsTo("chat.update").at(-1),
      8_000,
    );
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(`${edit.args.text}\n${textsOf(edit.args.blocks).join("\n")}`).toMatch(
      /\*jane@acme.com\*\n☑ Assigned in the IdP · ☑ Provisioned to Descope/,
    );
    // No audit search was spent on it.
    expect(hh.descope.count("audit")).toBe(audits);
  });

  it("says once when the stream stops while the poll still finds events", async () => {
    let t = Date.now();
    const now = () => t;
    h = await startHarness(
      { SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN, SCIMWATCH_ALERT_CHANNEL: "COPS" },
      seed,
      { now },
    );
    const hh = h;
    hh.descope.now = now;
    expect(
      (await push([scimEvent({ at: t - 1_000, loginId: "a@acme.com", tenant: "T-acme" })])).status,
    ).toBe(200);
    await hh.runtime.tailOnce();
    const said = () =>
      hh.slack
        .callsTo("chat.postMessage")
        .filter(
          (c) => c.args.channel === "COPS" && /audit stream stopped/.test(String(c.args.text)),
        );
    expect(said()).toHaveLength(0);
    // 20 minutes without a push; the poll finds new events.
    t += 20 * 60_000;
    hh.descope.audits.push(scimEvent({ at: t - 5_000, loginId: "b@acme.com", tenant: "T-acme" }));
    await hh.runtime.tailOnce();
    expect(said()).toHaveLength(1);
    t += 5 * 60_000;
    hh.descope.audits.push(scimEvent({ at: t - 5_000, loginId: "c@acme.com", tenant: "T-acme" }));
    await hh.runtime.tailOnce();
    expect(said()).toHaveLength(1);
  });

  it("while pushes flow the poll waits up to SCIMWATCH_TAIL_MAX_INTERVAL, and health agrees", async () => {
    let t = Date.now();
    const now = () => t;
    h = await startHarness(
      { SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN, SCIMWATCH_TAIL_MAX_INTERVAL: "600" },
      seed,
      {
        now,
      },
    );
    const hh = h;
    hh.descope.now = now;
    await hh.runtime.tailOnce(); // the first read
    const searches = () => hh.descope.count("audit");
    const first = searches();
    expect(
      (await push([scimEvent({ at: t - 1_000, loginId: "a@acme.com", tenant: "T-acme" })])).status,
    ).toBe(200);
    t += 5 * 60_000;
    const skipped = await hh.runtime.tailOnce();
    expect(skipped.status).toBe("skipped");
    expect(searches()).toBe(first);
    // Five minutes without a poll (five intervals): not unhealthy while the stream flows.
    expect((await fetch(`${hh.url}/healthz/tail`)).status).toBe(200);
    expect(
      (await push([scimEvent({ at: t - 1_000, loginId: "b@acme.com", tenant: "T-acme" })])).status,
    ).toBe(200);
    t += 6 * 60_000;
    const due = await hh.runtime.tailOnce();
    expect(due.status).toBe("ok");
    expect(searches()).toBeGreaterThan(first);
  });
});
