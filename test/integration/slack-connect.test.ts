/**
 * Slack Connect: in a channel shared with another organisation, its members
 * read scimwatch's answers but change nothing (SCIMWATCH_EXTERNAL_MEMBERS=read,
 * the default); `none` serves them nothing, `full` as the workspace's own.
 * Through signed requests to the real Bolt receiver; "external" is a user
 * team that is not the bot's own (auth.test's team_id).
 */
import { afterEach, describe, expect, it } from "vitest";
import { hireId } from "../../src/core/hires/model.js";
import { seedScenario } from "../fakes/scenario.js";
import { type Harness, startHarness } from "../helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const start = (policy?: string) =>
  startHarness(policy ? { SCIMWATCH_EXTERNAL_MEMBERS: policy } : {}, (d) =>
    seedScenario(d, Date.now()),
  );
const OTHER = "TPARTNER";
const said = async (rid: string) =>
  JSON.stringify((await (h as Harness).slack.waitFor(() => h?.slack.respondedTo(rid)[0])).body);

describe("members of another organisation", () => {
  it("by default read answers but cannot register, forget, dismiss or share", async () => {
    h = await start();
    // Linked to the customer's tenant, shared with the customer's organisation.
    await said((await h.command("link Acme Corp", { channel: "CSHARED", user: "UADMIN" })).rid);

    const check = await h.command("check carl@acme.com", {
      channel: "CSHARED",
      user: "UEXT",
      team: OTHER,
    });
    expect(await said(check.rid)).toMatch(/carl@acme\.com/);

    const reg = await h.command("expect new@acme.com", {
      channel: "CSHARED",
      user: "UEXT",
      team: OTHER,
    });
    expect(await said(reg.rid)).toMatch(/Members of another organisation can read/);
    expect(await h.runtime.hires.get(hireId("T-acme", "new@acme.com"))).toBeNull();

    // One of the workspace's own registers; the external member cannot dismiss or forget it.
    await said((await h.command("expect new@acme.com", { channel: "CSHARED", user: "UOWN" })).rid);
    const id = hireId("T-acme", "new@acme.com");
    expect(await h.runtime.hires.get(id)).not.toBeNull();
    const dismiss = await h.click("hire_dismiss", id, {
      channel: "CSHARED",
      user: "UEXT",
      team: OTHER,
    });
    expect(await said(dismiss.rid)).toMatch(/Members of another organisation/);
    expect((await h.runtime.hires.get(id))?.dismissed).not.toBe(true);
    const forget = await h.command("forget new@acme.com", {
      channel: "CSHARED",
      user: "UEXT",
      team: OTHER,
    });
    expect(await said(forget.rid)).toMatch(/Members of another organisation/);
    expect(await h.runtime.hires.get(id)).not.toBeNull();

    // An admin is named by user ID: not refused, whatever the workspace (Enterprise Grid, guests).
    const adminOut = await h.command("link Acme Corp", {
      channel: "CSHARED2",
      user: "UADMIN",
      team: OTHER,
    });
    expect(await said(adminOut.rid)).toMatch(/linked to/);

    // The workspace's own member in the same channel can.
    const own = await h.click("hire_dismiss", id, { channel: "CSHARED", user: "UOWN" });
    expect(await said(own.rid)).not.toMatch(/another organisation/);
  });

  it("SCIMWATCH_EXTERNAL_MEMBERS=none serves them nothing; full serves them as the workspace's own", async () => {
    h = await start("none");
    const refused = await h.command("check carl@acme.com", { user: "UEXT", team: OTHER });
    expect(await said(refused.rid)).toMatch(/members of this workspace only/);
    await h.stop();

    h = await start("full");
    const reg = await h.command("expect new@acme.com Acme Corp", { user: "UEXT", team: OTHER });
    expect(await said(reg.rid)).not.toMatch(/another organisation/);
    expect(await h.runtime.hires.get(hireId("T-acme", "new@acme.com"))).not.toBeNull();
  });

  it("another workspace of the same Enterprise Grid organisation is not another organisation", async () => {
    h = await start();
    h.slack.enterpriseId = "E0GRID";
    const same = await h.command("expect grid@acme.com Acme Corp", {
      user: "UGRID",
      team: "T0OTHERWS",
      enterprise: "E0GRID",
    });
    expect(await said(same.rid)).not.toMatch(/another organisation/);
    const other = await h.command("expect out@acme.com Acme Corp", {
      user: "UOUT",
      team: "T0OTHERWS2",
      enterprise: "E0ELSEWHERE",
    });
    expect(await said(other.rid)).toMatch(/Members of another organisation/);
  });
});
