/**
 * The Entra ID connector end to end: /scim connect through Slack, then
 * /scim check and `scimwatch check --json` show the IdP's side with its cause,
 * read from a loopback Entra (token endpoint and Graph) over HTTP.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EntraHttp } from "../../src/connectors/entra-http.js";
import { ENTRA_SAML, scimEvent, user } from "../fakes/builders.js";
import { startEavesdropper } from "../fakes/eavesdropper.js";
import { FakeEntra, provisioningLog } from "../fakes/entra.js";
import { type Harness, startHarness, textsOf } from "../helpers.js";

const TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
const SP = "sp-descope";
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const entra = new FakeEntra();
let h: Harness;

function seedEntra() {
  const u = (id: string, upn: string, accountEnabled = true) => ({
    id,
    userPrincipalName: upn,
    mail: upn,
    accountEnabled,
  });
  entra.tenants[TENANT] = {
    users: [
      u("u-ana", "ana@acme.com"),
      u("u-ben", "ben@acme.com"),
      u("u-bob", "bob@acme.com"),
      u("u-carl", "carl@acme.com"),
      u("u-nina", "nina@acme.com"),
      u("u-dis", "dis@acme.com", false),
      u("u-sal", "sal@acme.com"),
    ],
    groups: [
      {
        id: "g-all",
        displayName: "All Employees",
        members: ["u-ana", "u-ben", "u-bob", "u-dis", "g-team"],
      },
      { id: "g-team", displayName: "Team A", members: ["u-nina"] },
      { id: "g-eng", displayName: "Engineering", members: ["u-carl"] },
      { id: "g-sales", displayName: "Sales list", securityEnabled: false, members: ["u-sal"] },
    ],
    sps: [
      {
        id: SP,
        appId: "aaaaaaaa-1111-2222-3333-444444444444",
        displayName: "Descope",
        assignments: [
          {
            principalId: "g-all",
            principalType: "Group",
            principalDisplayName: "All Employees",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
          {
            principalId: "g-sales",
            principalType: "Group",
            principalDisplayName: "Sales list",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
          {
            principalId: "u-x",
            principalType: "User",
            principalDisplayName: "Someone",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
        ],
        jobs: [
          {
            id: "scim.job",
            templateId: "scim",
            schedule: { interval: "PT40M", state: "Active" },
            status: {
              code: "Active",
              steadyStateFirstAchievedTime: "2026-01-02T00:00:00Z",
              lastExecution: {
                timeBegan: "2026-11-29T07:55:00Z",
                timeEnded: "2026-11-29T08:00:00Z",
              },
            },
          },
        ],
      },
    ],
    logs: [
      provisioningLog({ spId: SP, userId: "u-ana", at: "2026-11-29T08:01:00Z", status: "success" }),
      provisioningLog({
        spId: SP,
        userId: "u-bob",
        at: "2026-11-29T08:02:00Z",
        status: "failure",
        errorCode: "EntryConflict",
        reason: "A user with this userName already exists",
      }),
    ],
  };
  entra.consented.add(TENANT);
}

/** The bot's settings for the fake Entra (its app, its login and Graph endpoints). */
const entraEnv = () => ({
  ...entra.env(),
});

beforeAll(async () => {
  await entra.start();
  seedEntra();
  h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS", ...entraEnv() }, (d) => {
    d.tenants.push({ id: "T-acme", name: "Acme" });
    d.sso["T-acme"] = {
      saml: {
        ...ENTRA_SAML,
        groupsMapping: [{ groups: ["Security"], role: { id: "r-sec", name: "securityadmin" } }],
      },
    };
    d.users.push(
      user({
        loginId: "ana@acme.com",
        userId: "U-ana",
        tenantId: "T-acme",
        tenantName: "Acme",
        roles: ["member"],
      }),
    );
  });
});
afterAll(async () => {
  await h.stop();
  await entra.stop();
});

const text = (b: Record<string, unknown>) => `${b.text}\n${textsOf(b.blocks).join("\n")}`;
/** Graph's reports budget (5 per 10 s per tenant) starts afresh, so each case reads its logs. */
const freshBudget = () => h.redis.del(`${h.prefix}:budget:graph-reports:${TENANT}`);

async function answer(cmd: string, userId = "UADMIN", channel = "CSUPPORT") {
  await freshBudget();
  const r = await h.command(cmd, { user: userId, channel });
  return (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as Record<
    string,
    unknown
  >;
}

/** One person per cause the seed can show, and what the answer says about them. */
const CAUSES: Array<[string, string, RegExp]> = [
  ["carl@acme.com", "not_assigned", /not assigned to Descope.*All Employees/],
  ["nina@acme.com", "nested_group_only", /only through a nested group \(Team A\)/],
  ["sal@acme.com", "group_not_security_enabled", /not security-enabled/],
  ["dis@acme.com", "user_disabled_in_idp", /disabled in Entra ID/],
  ["ghost@acme.com", "not_in_idp", /does not exist in Entra ID/],
  ["ana@acme.com", "pushed", /Entra pushed them/],
  ["bob@acme.com", "push_failed", /EntryConflict/],
  [
    "ben@acme.com",
    "waiting_for_cycle",
    /has not processed them yet.*next cycle starts about 2026-11-29 08:35 UTC/,
  ],
];

/** `scimwatch check <login> --tenant Acme --entra-tenant … --entra-app Descope --json`. */
async function cliCheck(login: string, idp = true): Promise<Record<string, unknown>> {
  await freshBudget();
  const env = {
    PATH: process.env.PATH ?? "",
    DESCOPE_PROJECT_ID: h.descope.projectId,
    DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
    DESCOPE_BASE_URL: h.descope.url,
    ...entra.env(),
  };
  const args = [CLI, "check", login, "--tenant", "Acme", "--json"];
  if (idp) args.push("--entra-tenant", TENANT, "--entra-app", "Descope");
  const r = await promisify(execFile)(process.execPath, args, { env, cwd: tmpdir() }).catch(
    (e: { stdout: string }) => e,
  );
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe("Entra ID connector", () => {
  it("a next-page link to another origin is not followed: the token stays with Graph", async () => {
    const thief = await startEavesdropper('{"value":[]}');
    entra.nextOrigin = thief.url;
    try {
      const http = new EntraHttp({
        clientId: entra.clientId,
        clientSecret: entra.clientSecret,
        loginUrl: entra.url,
        graphUrl: entra.url,
      });
      await expect(http.list(TENANT, `/servicePrincipals/${SP}/appRoleAssignedTo`)).rejects.toThrow(
        /another origin: not followed/,
      );
      expect(thief.heard).toEqual([]);
    } finally {
      entra.nextOrigin = null;
      await thief.stop();
    }
  });

  it("connect: admins only; finds the Entra tenant in the SSO settings, the app and its job", async () => {
    expect(text(await answer("connect Acme entra app=Descope", "UX"))).toMatch(
      /Only scimwatch admins/,
    );
    const a = text(await answer("connect Acme entra app=Descope"));
    expect(a).toMatch(/Acme\* is connected to Entra tenant `6f1c7e2a/);
    expect(a).toMatch(/adminconsent\?client_id=11111111/);
    expect(a).toMatch(/Provisioning job scim\.job \(Active\)/);
    expect(text(await answer("connections"))).toMatch(/Acme\* → Entra 6f1c7e2a.*Descope/);
  });

  it.each(CAUSES)("/scim check %s shows the IdP side: %s", async (login, cause, why) => {
    const body = await answer(`check ${login} Acme`);
    const all = text(body);
    expect(all).toContain(`\`${cause}\``);
    expect(all).toMatch(why);
  });

  it("a quarantined job is named, with the credential fix", async () => {
    const job = entra.tenants[TENANT]?.sps[0]?.jobs[0] as { status: Record<string, unknown> };
    const before = job.status;
    job.status = {
      code: "Quarantine",
      quarantine: {
        reason: "EncounteredQuarantineException",
        error: {
          code: "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
          message: "invalid credentials",
        },
      },
    };
    try {
      const all = text(await answer("check ben@acme.com Acme"));
      expect(all).toContain("`job_quarantined`");
      expect(all).toMatch(/Restart provisioning/);
    } finally {
      job.status = before;
    }
  });

  it("a $filter Graph refuses falls back to a narrower query filtered here", async () => {
    entra.refuseLogFilter = true;
    try {
      expect(text(await answer("check bob@acme.com Acme"))).toContain("`push_failed`");
    } finally {
      entra.refuseLogFilter = false;
    }
  });

  it("a missing permission is named and the rest still decides; a revoked consent never breaks the check", async () => {
    entra.forbidden.add("logs");
    const partial = text(await answer("check carl@acme.com Acme"));
    expect(partial).toContain("`not_assigned`");
    expect(partial).toMatch(/AuditLog\.Read\.All and Directory\.Read\.All permissions are missing/);
    entra.forbidden.delete("logs");
    entra.consented.delete(TENANT);
    try {
      const body = await answer("check carl@acme.com Acme");
      const all = text(body);
      expect(String(body.text)).toMatch(/^Not provisioned/);
      expect(all).toMatch(/Entra ID side unavailable: .*has not granted consent.*adminconsent/);
      expect(text(await answer("connections"))).toMatch(/:warning: .*consent/);
    } finally {
      entra.consented.add(TENANT);
    }
  });

  it("Graph's reports limit is kept: a sixth check within 10 s answers without the logs, and says so", async () => {
    await freshBudget();
    for (let i = 0; i < 5; i++) {
      const r = await h.command("check ana@acme.com Acme", { user: "UADMIN", channel: "CSUPPORT" });
      await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    }
    const logsBefore = entra.count("logs");
    const r = await h.command("check bob@acme.com Acme", { user: "UADMIN", channel: "CSUPPORT" });
    const all = text(
      (await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0])).body as Record<string, unknown>,
    );
    expect(entra.count("logs")).toBe(logsBefore);
    expect(all).toMatch(/reports limit .* provisioning logs skipped, retry in \d+ s/);
  });

  it("throttling (429 with Retry-After) is waited out once", async () => {
    entra.fail("transitive", { status: 429, headers: { "retry-after": "1" } });
    expect(text(await answer("check nina@acme.com Acme"))).toContain("`nested_group_only`");
  });

  it("a channel linked to another tenant sees no connection; disconnect removes it", async () => {
    expect(text(await answer("disconnect Acme", "UX"))).toMatch(/Only scimwatch admins/);
    expect(text(await answer("disconnect Acme"))).toMatch(/disconnected from its IdP/);
    const all = text(await answer("check carl@acme.com Acme"));
    expect(all).not.toContain("IdP side");
    expect(text(await answer("connect Acme entra app=Descope"))).toMatch(/is connected/);
  });

  it("a hire the IdP proves cannot arrive is alerted at once, once; an assigned one gets 'Assigned in the IdP' ticked", async () => {
    await freshBudget();
    const posts = () =>
      h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CALERTS");
    expect(text(await answer("connect Acme entra app=Descope"))).toMatch(/is connected/);
    const before = posts().length;
    const reg = await answer("expect carl@acme.com ben@acme.com Acme idp=azure");
    expect(text(reg)).toMatch(/Expecting 2 hires/);
    const blocked = posts()
      .slice(before)
      .filter((p) => /will not arrive/.test(String(p.args.text)));
    expect(blocked).toHaveLength(1);
    const all = `${blocked[0]?.args.text}\n${textsOf(blocked[0]?.args.blocks).join("\n")}`;
    expect(all).toMatch(/carl@acme.com/);
    expect(all).toMatch(/Proof from Entra ID/);
    expect(all).toMatch(/All Employees/);
    expect(all).toContain("`not_assigned`");
    // The checklist: ben is proven assigned, carl is not — and says so, as the alert does.
    const checklist =
      h.slack.callsTo("chat.update").at(-1) ?? h.slack.callsTo("chat.postMessage").at(-1);
    const lines = textsOf(checklist?.args.blocks).join("\n");
    expect(lines).toMatch(/☑ Assigned in the IdP/);
    expect(lines).toMatch(
      /\*carl@acme\.com\*\n.*\n:x: Will not arrive: not assigned to the app in Microsoft Entra ID/,
    );
    expect(lines).not.toMatch(/\*carl@acme\.com\*\n.*\n:hourglass_flowing_sand: Waiting/);
    // The next click, linked (issue 25): the app's Users and groups in the customer's directory.
    expect(lines).toMatch(
      new RegExp(
        `Will not arrive: .* · <https://entra\\.microsoft\\.com/${TENANT}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Users/objectId/${SP}/appId/[^|]+\\|Entra: Descope › Users and groups>`,
      ),
    );
    expect(all).toMatch(/\*Open\*\n• <https:\/\/entra\.microsoft\.com\//);
    // /scim pending says the same at the same moment, and the check no longer guesses.
    expect(text(await answer("pending"))).toMatch(/carl@acme\.com.*Will not arrive: not assigned/);
    const homes = h.slack.callsTo("views.publish").length;
    await h.event({ type: "app_home_opened", user: "UADMIN", channel: "D1", tab: "home" });
    const home = await h.slack.waitFor(() => h.slack.callsTo("views.publish")[homes]);
    expect(textsOf((home.args.view as { blocks: unknown }).blocks).join("\n")).toMatch(
      /carl@acme\.com.*\n:x: Will not arrive: not assigned to the app in Microsoft Entra ID/,
    );
    const check = text(await answer("check carl@acme.com Acme"));
    expect(check).not.toMatch(/or its cycle has not run yet/);
    expect(check).toMatch(/Entra will never push them/);
    // Evaluations later (a restart included) do not alert again.
    await freshBudget();
    await h.runtime.evaluate();
    await h.runtime.evaluate();
    expect(
      posts()
        .slice(before)
        .filter((p) => /will not arrive/.test(String(p.args.text))),
    ).toHaveLength(1);
    const hires = await h.runtime.hires.getMany(await h.runtime.hires.openIds());
    const ben = hires.find((r) => r.hire.loginId === "ben@acme.com")?.hire;
    expect(ben?.items.assigned).toMatchObject({ by: "idp" });
    // The job's next cycle (its last start plus its schedule) is kept on the hire for its due time.
    expect(ben?.idpNextCycle).toEqual({ kind: "at", at: Date.parse("2026-11-29T08:35:00Z") });
    expect(hires.find((r) => r.hire.loginId === "carl@acme.com")?.hire.idpCause).toBe(
      "not_assigned",
    );
  });

  it.each(CAUSES)(
    "scimwatch check --json %s gives cause %s and the IdP's evidence",
    async (login, cause, why) => {
      const out = await cliCheck(login);
      expect(out.cause).toBe(cause);
      expect(out.idpSide).not.toBeNull();
      expect(`${out.summary}\n${JSON.stringify(out.idpSide)}`).toMatch(why);
      // What the IdP decided replaces Descope's guess (issue #23, finding 1).
      expect(String(out.summary)).not.toMatch(/or its cycle has not run yet/);
      // The pages to open (issue 25): the app in the customer's directory, then Descope's console.
      const links = out.links as Array<{ label: string; url: string }>;
      expect(links[0]?.label).toBe("Entra: Descope › Users and groups");
      expect(links[0]?.url).toMatch(
        new RegExp(
          `^https://entra\\.microsoft\\.com/${TENANT}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Users/objectId/${SP}/appId/`,
        ),
      );
      expect(links.at(-1)?.label).toBe(
        `Descope console › Users, search ${login} (project ${h.descope.projectId})`,
      );
    },
  );

  it("logs that cannot be read make an assigned user idp_unreadable, never waiting_for_cycle, in the check and the CLI", async () => {
    entra.forbidden.add("logs");
    try {
      const all = text(await answer("check ben@acme.com Acme"));
      expect(all).toContain("`idp_unreadable`");
      expect(all).not.toContain("`waiting_for_cycle`");
      expect(all).toMatch(/could not read Entra's provisioning logs/);
      expect(all).toMatch(/AuditLog\.Read\.All and Directory\.Read\.All/);
      const cli = await cliCheck("ben@acme.com");
      expect(cli.cause).toBe("idp_unreadable");
      // A user proven not assigned stays not_assigned whatever the logs.
      expect((await cliCheck("carl@acme.com")).cause).toBe("not_assigned");
    } finally {
      entra.forbidden.delete("logs");
    }
  });

  it("a tenant without P1/P2 (403 Authentication_RequestFromNonPremiumTenantOrB2CTenant) is named as such", async () => {
    entra.nonPremium = true;
    try {
      const all = text(await answer("check ana@acme.com Acme"));
      expect(all).toContain("`idp_unreadable`");
      expect(all).toMatch(
        /lacks Directory\.Read\.All .*or the tenant has no Entra ID P1\/P2 licence/,
      );
    } finally {
      entra.nonPremium = false;
    }
  });

  it("empty pages with a nextLink are followed until the user's row", async () => {
    entra.emptyLogPages = 3;
    try {
      expect((await cliCheck("ana@acme.com")).cause).toBe("pushed");
      // Asked newest first: Graph has no default order.
      expect(entra.calls.some((c) => /orderby=activityDateTime(\+|%20)desc/.test(c.url))).toBe(
        true,
      );
    } finally {
      entra.emptyLogPages = 0;
    }
  });

  it("assignments are read to the end: a direct assignment after 300 others still counts", async () => {
    const t = entra.tenants[TENANT] as NonNullable<(typeof entra.tenants)[string]>;
    const sp = t.sps[0] as (typeof t.sps)[number];
    const saved = [...sp.assignments];
    const users = [...t.users];
    t.users.push({
      id: "u-dina",
      userPrincipalName: "dina@acme.com",
      mail: "dina@acme.com",
      accountEnabled: true,
    });
    for (let i = 0; i < 300; i++)
      sp.assignments.push({
        principalId: `u-x${i}`,
        principalType: "User",
        principalDisplayName: `X ${i}`,
        createdDateTime: "2026-01-01T00:00:00Z",
      });
    sp.assignments.push({
      principalId: "u-dina",
      principalType: "User",
      principalDisplayName: "Dina",
      createdDateTime: "2026-01-01T00:00:00Z",
    });
    try {
      const out = await cliCheck("dina@acme.com");
      expect(out.cause).not.toBe("not_assigned");
      expect(JSON.stringify(out.idpSide)).toMatch(/assigned to Descope directly/);
    } finally {
      sp.assignments.splice(0, sp.assignments.length, ...saved);
      t.users.splice(0, t.users.length, ...users);
    }
  });

  it("security-enabled is decided over every assigned group the user is in", async () => {
    const t = entra.tenants[TENANT] as NonNullable<(typeof entra.tenants)[string]>;
    const all = t.groups.find((g) => g.id === "g-all") as (typeof t.groups)[number];
    all.members.push("u-sal");
    try {
      const out = await cliCheck("sal@acme.com");
      expect(out.cause).not.toBe("group_not_security_enabled");
      expect(JSON.stringify(out.idpSide)).toMatch(/through the group All Employees/);
    } finally {
      all.members.pop();
    }
  });

  it("a job that syncs all users: an unassigned user with a provisioning row is believed pushed", async () => {
    const t = entra.tenants[TENANT] as NonNullable<(typeof entra.tenants)[string]>;
    t.logs.push(
      provisioningLog({
        spId: SP,
        userId: "u-carl",
        at: "2026-11-29T09:00:00Z",
        status: "success",
      }),
    );
    try {
      const out = await cliCheck("carl@acme.com");
      expect(out.cause).toBe("pushed");
      expect(JSON.stringify(out.idpSide)).toMatch(/syncs all users and groups/);
    } finally {
      t.logs.pop();
    }
  });

  it("a deleted enterprise app is app_not_found (reconnect), not 'nobody is assigned'", async () => {
    const t = entra.tenants[TENANT] as NonNullable<(typeof entra.tenants)[string]>;
    const sp = t.sps[0] as (typeof t.sps)[number];
    sp.id = "sp-recreated";
    try {
      const all = text(await answer("check carl@acme.com Acme"));
      expect(all).toContain("`app_not_found`");
      expect(all).toMatch(/no longer exists/);
      expect(all).toMatch(/\/scim connect/);
      expect(all).not.toContain("`not_assigned`");
      // Two hires of the tenant: one alert for the tenant, not one per hire.
      const alerts = () =>
        h.slack
          .callsTo("chat.postMessage")
          .filter(
            (c) => c.args.channel === "CALERTS" && /app_not_found/.test(JSON.stringify(c.args)),
          );
      await freshBudget();
      await answer("expect gone1@acme.com gone2@acme.com Acme idp=azure");
      await freshBudget();
      await h.runtime.evaluate();
      expect(alerts()).toHaveLength(1);
    } finally {
      sp.id = SP;
    }
  });

  it("without a connector, cause and idpSide are null", async () => {
    const plain = await cliCheck("carl@acme.com", false);
    expect(plain.verdict).toBe("not_provisioned");
    expect(plain.cause).toBeNull();
    expect(plain.idpSide).toBeNull();
  });
});

describe("tenant health with the IdP's word", () => {
  it("a failing tenant's alert carries Entra's proof that the job is in quarantine", async () => {
    const job = entra.tenants[TENANT]?.sps[0]?.jobs[0] as { status: Record<string, unknown> };
    const before = job.status;
    job.status = {
      code: "Quarantine",
      quarantine: {
        reason: "EncounteredQuarantineException",
        error: { message: "Invalid credentials" },
      },
    };
    try {
      const now = Date.now();
      for (let i = 0; i < 6; i++)
        h.descope.audits.push(
          scimEvent({
            at: now - 10 * 60_000 + i * 1000,
            loginId: `f${i}@acme.com`,
            tenant: "T-acme",
            error: "401 Unauthorized: token expired",
          }),
        );
      await h.runtime.tailOnce();
      const alert = await h.slack.waitFor(() =>
        h.slack
          .callsTo("chat.postMessage")
          .find(
            (c) =>
              c.args.channel === "CALERTS" &&
              /SCIM calls from Microsoft Entra ID/.test(String(c.args.text)),
          ),
      );
      expect(textsOf(alert.args.blocks).join("\n")).toMatch(
        /Entra ID confirms: Descope's provisioning job is in quarantine \(EncounteredQuarantineException\): Invalid credentials/,
      );
    } finally {
      job.status = before;
    }
  });
});

describe("auto-expect from Entra's group changes", () => {
  it("a new member of an assigned group becomes an expected hire; a role-mapped, unassigned group is alerted once", async () => {
    expect(text(await answer("connect Acme entra app=Descope"))).toMatch(/is connected/);
    expect(text(await answer("autoexpect Acme on", "UX"))).toMatch(/Only scimwatch admins/);
    expect(text(await answer("autoexpect Acme on"))).toMatch(/now become expected hires/);
    await new Promise((r) => setTimeout(r, 20));
    const at = new Date().toISOString(); // after auto-expect was turned on
    const join = (upn: string, id: string, group: string) => ({
      id: `a-${upn}`,
      activityDateTime: at,
      activityDisplayName: "Add member to group",
      category: "GroupManagement",
      result: "success",
      targetResources: [
        { id, type: "User", userPrincipalName: upn },
        { id: group === "All Employees" ? "g-all" : "g-sec", displayName: group, type: "Group" },
      ],
    });
    (entra.tenants[TENANT] as { audits?: unknown[] }).audits = [
      join("newbie@acme.com", "u-newbie", "All Employees"),
      join("sec@acme.com", "u-sec", "Security"),
    ];
    await freshBudget();
    await h.runtime.tailOnce();
    await freshBudget();
    await h.runtime.tailOnce();
    const hires = await h.runtime.hires.getMany(await h.runtime.hires.openIds());
    const newbie = hires.find((r) => r.hire.loginId === "newbie@acme.com")?.hire;
    expect(newbie?.assignedAt).toBe(Date.parse(at));
    expect(newbie?.registeredBy).toBe("idp:entra");
    expect(hires.some((r) => r.hire.loginId === "sec@acme.com")).toBe(false);
    const mapped = h.slack
      .callsTo("chat.postMessage")
      .filter((c) => /Security \(mapped to securityadmin\)/.test(String(c.args.text)));
    expect(mapped).toHaveLength(1);
    expect(textsOf(mapped[0]?.args.blocks).join("\n")).toMatch(/add them to \*All Employees\*/);
  });
  it("a directory-audit row that appears late (after the next read began) is still registered", async () => {
    (entra.tenants[TENANT] as { audits?: unknown[] }).audits = [];
    await freshBudget();
    await h.runtime.tailOnce();
    // Entra writes a join that happened 3 minutes ago, after that read: rows arrive up to ~5 min late.
    (entra.tenants[TENANT] as { audits?: unknown[] }).audits = [
      {
        id: "a-late",
        activityDateTime: new Date(Date.now() - 3 * 60_000).toISOString(),
        activityDisplayName: "Add member to group",
        result: "success",
        targetResources: [
          { id: "u-late", type: "User", userPrincipalName: "late@acme.com" },
          { id: "g-all", displayName: "All Employees", type: "Group" },
        ],
      },
    ];
    await freshBudget();
    await h.runtime.tailOnce();
    const hires = await h.runtime.hires.getMany(await h.runtime.hires.openIds());
    expect(hires.filter((r) => r.hire.loginId === "late@acme.com")).toHaveLength(1);
    // Ordered oldest first, bounded by the read's own time.
    expect(entra.calls.some((c) => /orderby=activityDateTime(\+|%20)asc/.test(c.url))).toBe(true);
  });
});

describe("one routing rule (issue #22)", () => {
  it("with no alert channel anywhere, the IdP's proof goes where the hire was registered, as the overdue alert does", async () => {
    const h2 = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "", ...entraEnv() }, (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme" });
      d.sso["T-acme"] = { saml: ENTRA_SAML };
    });
    try {
      const run = async (cmd: string) => {
        const r = await h2.command(cmd, { user: "UADMIN", channel: "CSUPPORT" });
        return (await h2.slack.waitFor(() => h2.slack.respondedTo(r.rid)[0])).body;
      };
      expect(textsOf((await run("connect Acme entra app=Descope")).blocks).join("\n")).toMatch(
        /is connected/,
      );
      await run("expect carl@acme.com Acme idp=azure");
      const proof = await h2.slack.waitFor(() =>
        h2.slack
          .callsTo("chat.postMessage")
          .find((c) => /will not arrive/.test(String(c.args.text))),
      );
      expect(proof.args.channel).toBe("CSUPPORT");
    } finally {
      await h2.stop();
    }
  });
});
