/**
 * npm run demo — the whole bot, offline. A simulated Descope serves the real
 * management API on loopback while a scripted Entra ID pushes users on a
 * compressed clock (one 40-minute Entra cycle ≈ 20 s). The real bot (Bolt
 * HTTP receiver, audit tail on BullMQ, evaluation, checklists, alerts) runs
 * against it, and every Slack message goes to a local stand-in that prints it.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { loadBotConfig } from "../src/config/bot.js";
import { createLogger } from "../src/log/logger.js";
import { blocksToPlain, LEGEND } from "../src/render/plain.js";
import { createRuntime } from "../src/runtime.js";
import { auditEvent, ENTRA_SAML, scimEvent, user } from "../test/fakes/builders.js";
import { FakeDescope } from "../test/fakes/descope.js";
import { FakeEntra, provisioningLog } from "../test/fakes/entra.js";
import { FakeSlack, postSigned } from "../test/fakes/slack.js";
import { buttonValue } from "../test/helpers.js";
import { findRedis } from "./redis.js";

const SPEED = Number(process.env.DEMO_SPEED ?? 120); // 40 simulated minutes ≈ 20 real seconds
const MIN = 60_000;
const SECRET = "demo-signing-secret-0123456789";
/** The Audit Webhook connector's bearer token (Descope pushes its audit events to scimwatch). */
const HOOK_TOKEN = "demo-audit-hook-token-0123456789";
const CH = { it: "C0IT", alerts: "C0ITALERTS", support: "C0SUPPORT" } as const;
const NAMES: Record<string, string> = {
  [CH.it]: "#it-onboarding",
  [CH.alerts]: "#it-alerts",
  [CH.support]: "#support",
};

const realStart = Date.now();
const simStart = realStart;
const now = () => simStart + (Date.now() - realStart) * SPEED;
const simMin = () => (now() - simStart) / MIN;
const stamp = () => `T+${simMin().toFixed(0).padStart(3)}m`;
async function until(minute: number) {
  const wait = (simStart + minute * MIN - now()) / SPEED;
  if (wait > 0) await sleep(wait);
}
const say = (s: string) => process.stdout.write(`${s}\n`);
const indent = (s: string) =>
  s
    .split("\n")
    .map((l) => `    │ ${l}`)
    .join("\n");

async function main(): Promise<number> {
  const redis = await findRedis();
  if (!redis) {
    say(
      "scimwatch demo: no Redis answers at REDIS_URL and redis-server is not installed — install it (apt-get install redis-server, or brew install redis) or set REDIS_URL.",
    );
    return 1;
  }

  // --- The simulated Descope: tenant Acme on Entra ID, JIT off, All Employees → member.
  const descope = new FakeDescope();
  descope.now = now;
  descope.tenants.push({ id: "T-acme", name: "Acme" });
  descope.settings["T-acme"] = { JITDisabled: true };
  descope.sso["T-acme"] = {
    saml: {
      ...ENTRA_SAML,
      groupsMapping: [{ groups: ["All Employees"], role: { id: "r-member", name: "member" } }],
    },
  };
  const acme = { tenantId: "T-acme", tenantName: "Acme" };
  descope.users.push(
    user({
      loginId: "dan@acme.com",
      userId: "U-dan",
      ...acme,
      roles: ["member"],
      createdAt: now() - 90 * 86_400_000,
    }),
  );
  // priya was provisioned by Entra under her UPN; Acme's SSO app sends her e-mail as NameID.
  descope.users.push(
    user({
      loginId: "priya.s@acme.onmicrosoft.com",
      userId: "U-priya",
      email: "priya@acme.com",
      ...acme,
      roles: ["member"],
      createdAt: now() - 3 * 86_400_000,
    }),
  );
  // eve (leaving this week) and old@ (left in the spring, never deprovisioned) were provisioned long ago.
  for (const who of ["eve", "old"])
    descope.users.push(
      user({
        loginId: `${who}@acme.com`,
        userId: `U-${who}`,
        ...acme,
        roles: ["member"],
        createdAt: now() - 200 * 86_400_000,
      }),
    );
  descope.groups["T-acme"] = [
    {
      id: "g-all",
      display: "All Employees",
      members: [{ loginId: "dan@acme.com", userId: "U-dan" }],
      source: "scim",
    },
  ];
  descope.audits.push(
    scimEvent({
      at: now() - 20 * 86_400_000,
      loginId: "dan@acme.com",
      userId: "U-dan",
      tenant: "T-acme",
    }),
    scimEvent({
      at: now() - 3 * 86_400_000,
      loginId: "priya.s@acme.onmicrosoft.com",
      email: "priya@acme.com",
      userId: "U-priya",
      tenant: "T-acme",
    }),
  );

  // Acme's SCIM key (the token Entra sends) expires in 6 days: the key watch warns ahead.
  descope.scimKeys["T-acme"] = [
    {
      key: {
        id: "K-acme",
        name: "entra-provisioning",
        status: "active",
        expireTime: Math.floor((now() + 6 * 86_400_000) / 1000),
      },
    },
  ];

  // A second tenant, Globex, also on Entra ID: it has pushed every day this week.
  descope.tenants.push({ id: "T-globex", name: "Globex" });
  descope.sso["T-globex"] = { saml: ENTRA_SAML };
  for (let day = 5; day >= 1; day--)
    for (let i = 0; i < 3; i++)
      descope.audits.push(
        scimEvent({
          at: now() - day * 86_400_000 + i * 3_600_000,
          loginId: `staff${day}${i}@globex.com`,
          tenant: "T-globex",
          scimAction: "UpdateUser",
        }),
      );

  // --- Acme's Entra ID, read-only through the connector: the Descope app is assigned to All Employees.
  const entra = new FakeEntra();
  const ENTRA_TENANT = "6f1c7e2a-0000-4000-8000-000000000000";
  entra.consented.add(ENTRA_TENANT);
  entra.writeConsented.add(ENTRA_TENANT);
  entra.tenants[ENTRA_TENANT] = {
    users: [
      ...["ana", "ben", "carl", "dan", "eve", "fay"].map((n) => ({
        id: `e-${n}`,
        userPrincipalName: `${n}@acme.com`,
        mail: `${n}@acme.com`,
        accountEnabled: true,
      })),
      {
        id: "e-priya",
        userPrincipalName: "priya.s@acme.onmicrosoft.com",
        mail: "priya@acme.com",
        accountEnabled: true,
      },
    ],
    groups: [
      {
        id: "g-all",
        displayName: "All Employees",
        // fay joined months ago; Entra's push of her failed and nobody noticed.
        members: ["e-ana", "e-ben", "e-dan", "e-eve", "e-fay", "e-priya"],
      },
      { id: "g-eng", displayName: "Engineering", members: ["e-carl"] },
    ],
    sps: [
      {
        id: "sp-descope",
        appId: "aaaaaaaa-1111-2222-3333-444444444444",
        displayName: "Descope",
        assignments: [
          {
            principalId: "g-all",
            principalType: "Group",
            principalDisplayName: "All Employees",
            createdDateTime: "2026-01-05T09:00:00Z",
          },
        ],
        jobs: [
          {
            id: "scim.job",
            schedule: { interval: "PT40M", state: "Active" },
            status: { code: "Active", steadyStateFirstAchievedTime: "2026-01-05T00:00:00Z" },
          },
        ],
      },
    ],
    logs: [],
  };

  // --- When Descope's audit stream pushed the hires' creation, and when the checklist ticked.
  let pushedAt = 0;
  let tickedAt = 0;

  // --- The Slack stand-in prints every message.
  const asked = new Map<string, string>();
  const slack = new FakeSlack();
  slack.validTokens.add("xoxb-demo-token");
  slack.listeners.push((e) => {
    if (e.kind === "api") {
      const { method, args } = e.call;
      if (
        pushedAt &&
        !tickedAt &&
        method === "chat.update" &&
        JSON.stringify(args.blocks ?? "").includes("☑ Provisioned to Descope")
      )
        tickedAt = Date.now();
      const where = NAMES[String(args.channel)] ?? String(args.channel ?? args.user_id ?? "");
      const label =
        method === "chat.postMessage"
          ? args.thread_ts
            ? "reply"
            : "posted"
          : method === "chat.update"
            ? "edited"
            : method === "views.publish"
              ? "App Home"
              : method === "files.completeUploadExternal"
                ? "file shared in the thread"
                : null;
      if (label === "file shared in the thread") {
        const f = slack.files.find((x) => x.id === (args.files as Array<{ id: string }>)?.[0]?.id);
        const where = NAMES[String(args.channel_id)] ?? String(args.channel_id);
        say(
          `\n${stamp()} ${where} — ${label}: ${f?.filename ?? "a file"} (${f?.content.split("\r\n").length ?? 0} lines of CSV)`,
        );
        return;
      }
      if (!label) return;
      say(
        `\n${stamp()} ${where} — ${label}\n${indent(blocksToPlain((args.blocks ?? (args.view as { blocks?: unknown[] })?.blocks) as never, String(args.text ?? "")))}`,
      );
    } else if (!e.r.id.startsWith("quiet")) {
      say(
        `\n${stamp()} answer to ${asked.get(e.r.id) ?? e.r.id} (only the asker sees it)\n${indent(blocksToPlain(e.r.body.blocks as never, String(e.r.body.text ?? "")))}`,
      );
    }
  });
  await Promise.all([descope.start(), slack.start(), entra.start()]);

  const prefix = `{scimwatch-demo-${randomUUID().slice(0, 8)}}`;
  const cfg = loadBotConfig({
    SLACK_BOT_TOKEN: "xoxb-demo-token",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    REDIS_URL: redis.url,
    SCIMWATCH_REDIS_PREFIX: prefix,
    DESCOPE_PROJECT_ID: descope.projectId,
    DESCOPE_MANAGEMENT_KEY: descope.managementKey,
    DESCOPE_BASE_URL: descope.url,
    SCIMWATCH_SUPPORT_CHANNELS: CH.support,
    SCIMWATCH_ADMIN_USERS: "U0ADMIN",
    SCIMWATCH_TAIL_INTERVAL: "2",
    SCIMWATCH_BACKFILL_DAYS: "30",
    SCIMWATCH_GRACE_MINUTES: "15",
    SCIMWATCH_ALERT_CHANNEL: CH.alerts,
    SCIMWATCH_AUDIT_HOOK_TOKEN: HOOK_TOKEN,
    ENTRA_CLIENT_ID: entra.clientId,
    ENTRA_CLIENT_SECRET: entra.clientSecret,
    // Fix it from Slack: Acme's admin consented to the write app; Olga approves each call.
    ENTRA_WRITE_CLIENT_ID: entra.writeClientId,
    ENTRA_WRITE_CLIENT_SECRET: entra.writeClientSecret,
    SCIMWATCH_APPROVERS: "U0OLGA",
    ENTRA_LOGIN_URL: entra.url,
    GRAPH_API_URL: entra.url,
    // The clock runs SPEED times faster, so the budget does too (10 per simulated minute).
    DESCOPE_AUDIT_RATE_PER_MIN: String(10 * SPEED),
    DESCOPE_MGMT_RATE_PER_MIN: String(200 * SPEED),
  });
  const runtime = createRuntime(cfg, {
    now,
    log: createLogger({
      level: process.env.DEMO_LOG_LEVEL ?? "error",
      destination: process.stderr,
      secrets: [SECRET, descope.managementKey],
    }),
  });
  const port = await runtime.start();
  // Descope's Audit Webhook connector: every new audit row is pushed to scimwatch (the poll
  // stays as the backstop). `mark`: remember when the push of the hires' creation went.
  let pushedUpTo = descope.audits.length;
  const streamNew = async (mark = false) => {
    const batch = descope.audits.slice(pushedUpTo);
    pushedUpTo = descope.audits.length;
    if (!batch.length) return;
    if (mark) pushedAt = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/hooks/descope-audit`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(batch),
    });
    if (res.status !== 200) say(`  (Descope's push was answered ${res.status})`);
  };
  const streaming = setInterval(() => void streamNew().catch(() => undefined), 250);
  const events = `http://127.0.0.1:${port}/slack/events`;
  let n = 0;
  const slash = async (text: string, channel: string, userId = "U0IT", quiet = false) => {
    const rid = `${quiet ? "quiet" : "r"}${++n}`;
    asked.set(rid, `/scim ${text.replace(/<#\w+\|([^>]+)>/g, "#$1")}`);
    say(`\n${stamp()} ${NAMES[channel]} — @${userId} types: ${asked.get(rid)}`);
    const r = await postSigned(
      events,
      {
        command: "/scim",
        text,
        user_id: userId,
        channel_id: channel,
        team_id: "T0TEAM",
        response_url: slack.responseUrl(rid),
        trigger_id: "1.2.3",
      },
      SECRET,
    );
    return { rid, ack: r.body };
  };

  /** A button click, signed as Slack sends it (block_actions). */
  const click = async (actionId: string, value: string, channel: string, userId: string) => {
    const rid = `r${++n}`;
    asked.set(rid, `a click on ${actionId.replace(/^scim_fix_/, "")}`);
    say(`\n${stamp()} ${NAMES[channel]} — @${userId} clicks ${actionId.replace(/^scim_fix_/, "")}`);
    await postSigned(
      events,
      {
        payload: JSON.stringify({
          type: "block_actions",
          team: { id: "T0TEAM", domain: "acme" },
          user: { id: userId, username: userId, team_id: "T0TEAM" },
          api_app_id: "A0APP",
          token: "legacy",
          container: {
            type: "message",
            message_ts: "1.2",
            channel_id: channel,
            is_ephemeral: true,
          },
          trigger_id: "1.2.3",
          channel: { id: channel, name: "c" },
          response_url: slack.responseUrl(rid),
          actions: [
            { action_id: actionId, block_id: "b", type: "button", value, action_ts: "1.3" },
          ],
        }),
      },
      SECRET,
    );
    return rid;
  };

  say("scimwatch demo — the real bot against a simulated Descope and a Slack stand-in.");
  say(
    `Clock: ${SPEED}× (one 40-minute Entra ID cycle ≈ ${Math.round((40 * 60) / SPEED)} s). Story: tenant Acme on Entra ID assigns the group "All Employees" to the Descope app.`,
  );
  say(LEGEND);

  try {
    // The alert channel is set in a linked channel: wait for the link to be saved.
    const linked = await slash("link Acme", CH.it, "U0ADMIN");
    await slack.waitFor(() => slack.respondedTo(linked.rid)[0], 15_000);
    await slash(`alerts <#${CH.alerts}|it-alerts>`, CH.it, "U0ADMIN");
    // An admin connects Acme's Entra ID (read-only): checks and new hires get the IdP's side.
    const connected = await slash("connect Acme entra app=Descope", CH.it, "U0ADMIN");
    await slack.waitFor(() => slack.respondedTo(connected.rid)[0], 15_000);
    await until(1);
    say(
      `\n${stamp()} IT adds ana@ and ben@ to "All Employees"; carl@ was assigned to the app by hand last week… and this time, forgotten.`,
    );
    await slash("expect ana@acme.com ben@acme.com carl@acme.com", CH.it);

    // Entra's next incremental cycle pushes the group's new members.
    await until(10);
    say(
      `\n${stamp()} [Entra ID] provisioning cycle: creates ana@acme.com and ben@acme.com (members of All Employees)`,
    );
    for (const who of ["ana", "ben"]) {
      const loginId = `${who}@acme.com`;
      descope.users.push(
        user({ loginId, userId: `U-${who}`, ...acme, roles: ["member"], createdAt: now() }),
      );
      descope.audits.push(
        scimEvent({
          at: now(),
          loginId,
          userId: `U-${who}`,
          tenant: "T-acme",
          scimAction: "CreateUser",
        }),
        auditEvent("UserCreated", { at: now(), loginId, userId: `U-${who}`, tenant: "T-acme" }),
      );
      descope.groups["T-acme"]?.[0]?.members.push({ loginId, userId: `U-${who}` });
      entra.tenants[ENTRA_TENANT]?.logs.push(
        provisioningLog({
          spId: "sp-descope",
          userId: `e-${who}`,
          at: new Date(now()).toISOString(),
          status: "success",
        }),
      );
    }
    say(
      `\n${stamp()} [Descope] the Audit Webhook connector pushes the new audit events to scimwatch`,
    );
    await streamNew(true);
    await until(18);
    say(`\n${stamp()} [SSO] ana@acme.com signs in`);
    descope.audits.push(
      auditEvent("LoginSucceed", {
        at: now(),
        loginId: "ana@acme.com",
        userId: "U-ana",
        tenant: "T-acme",
      }),
    );
    await until(25);
    say(`\n${stamp()} [SSO] zoe@partner.io, a contractor on the SSO app only, tries to sign in`);
    descope.audits.push(
      auditEvent("LoginFailed", {
        at: now(),
        loginId: "zoe@partner.io",
        tenant: "T-acme",
        errorMessage: "user not found and JIT is disabled",
      }),
    );
    await until(27);
    say(
      `\n${stamp()} [SSO] priya@acme.com signs in with her e-mail; Entra provisioned her as priya.s@acme.onmicrosoft.com (her UPN)`,
    );
    descope.audits.push(
      auditEvent("LoginFailed", {
        at: now(),
        loginId: "priya@acme.com",
        tenant: "T-acme",
        errorMessage: "user not found and JIT is disabled",
      }),
    );
    await until(30);
    say(
      `\n${stamp()} [Entra ID] Globex's provisioning job pushes 6 changes; Descope refuses each one: the access key in Entra's credentials expired`,
    );
    for (let i = 0; i < 6; i++)
      descope.audits.push(
        scimEvent({
          at: now() - i * 1000,
          loginId: `new${i}@globex.com`,
          tenant: "T-globex",
          error: "401 Unauthorized: the access key has expired",
        }),
      );
    await until(50);
    say(
      `\n${stamp()} [Entra ID] provisioning cycle: dan@acme.com left "All Employees" → deactivated (active=false)`,
    );
    const dan = descope.users.find((u) => u.loginIds[0] === "dan@acme.com");
    if (dan) dan.status = "disabled";
    const all = entra.tenants[ENTRA_TENANT]?.groups[0];
    if (all) all.members = all.members.filter((m) => m !== "e-dan");
    descope.audits.push(
      scimEvent({
        at: now(),
        loginId: "dan@acme.com",
        userId: "U-dan",
        tenant: "T-acme",
        scimAction: "PatchUser",
        active: false,
      }),
    );
    await until(55);
    say(
      `\n${stamp()} HR: eve@acme.com's last day was two days ago. IT took her out of "Sales" (a role-mapped group), not out of "All Employees"…`,
    );
    await slash(
      `leaver eve@acme.com Acme last=${new Date(now() - 2 * 86_400_000).toISOString().slice(0, 10)}`,
      CH.it,
    );
    await until(82);
    say(`\n${stamp()} The support team checks everyone:`);
    const people = [
      "ana@acme.com",
      "ben@acme.com",
      "carl@acme.com",
      "zoe@partner.io",
      "priya@acme.com",
      "dan@acme.com",
    ];
    const verdicts: Record<string, string> = {};
    for (const p of people) {
      // carl's answer is printed: Descope's side and Entra's, side by side.
      const { rid } = await slash(
        `check ${p} Acme`,
        CH.support,
        "U0SUPPORT",
        p !== "carl@acme.com",
      );
      const body = (await slack.waitFor(() => slack.respondedTo(rid)[0], 15_000)).body;
      verdicts[p] = String(body.text ?? "").split(":")[0] ?? "";
    }

    say(`\n${stamp()} An admin reconciles the whole tenant: Entra's scope against Descope's users`);
    const rec = await slash("reconcile Acme", CH.support, "U0ADMIN", true);
    await slack.waitFor(() => slack.respondedTo(rec.rid)[0], 15_000);
    const reconciled = await slack.waitFor(
      () =>
        slack
          .callsTo("chat.update")
          .find((c) => /^Reconciliation of Acme/.test(String(c.args.text))),
      30_000,
    );
    const csvShared = await slack
      .waitFor(() => slack.files.find((f) => f.completed && f.channel === CH.support), 10_000)
      .catch(() => undefined);

    // fay is in scope but never arrived: IT pushes her now, with a second pair of eyes.
    entra.onProvision = (id) => {
      if (id !== "e-fay") return;
      descope.users.push(
        user({
          loginId: "fay@acme.com",
          userId: "U-fay",
          ...acme,
          roles: ["member"],
          createdAt: now(),
        }),
      );
      descope.audits.push(
        scimEvent({
          at: now(),
          loginId: "fay@acme.com",
          userId: "U-fay",
          tenant: "T-acme",
          scimAction: "CreateUser",
        }),
      );
    };
    const granted = await slash("write Acme on", CH.it, "U0ADMIN", true);
    await slack.waitFor(() => slack.respondedTo(granted.rid)[0], 15_000);
    const fayCheck = await slash("check fay@acme.com Acme", CH.it, "U0IT", true);
    const fayAnswer = (await slack.waitFor(() => slack.respondedTo(fayCheck.rid)[0], 15_000)).body;
    const pushValue = buttonValue(fayAnswer.blocks, "scim_fix_request");
    let pushed = false;
    if (pushValue) {
      await click("scim_fix_request", pushValue, CH.it, "U0IT");
      const request = await slack.waitFor(
        () =>
          slack
            .callsTo("chat.postMessage")
            .find((c) => /provision on demand for fay@acme.com/.test(String(c.args.text))),
        15_000,
      );
      const approveId = buttonValue(request.args.blocks, "scim_fix_approve");
      if (approveId) await click("scim_fix_approve", approveId, CH.it, "U0OLGA");
      const record = await slack
        .waitFor(
          () =>
            slack
              .callsTo("chat.postMessage")
              .find(
                (c) =>
                  c.args.thread_ts === request.result?.ts && /: done$/.test(String(c.args.text)),
              ),
          15_000,
        )
        .catch(() => undefined);
      pushed = Boolean(
        record && JSON.stringify(record.args.blocks).includes("Verdict after:* Provisioned"),
      );
    }

    // Acme's SCIM key expires in 6 days: IT rotates it from the warning; with write access,
    // Entra validates and saves the new key before the old one is deactivated.
    let rotated = false;
    const keyAlert = await slack
      .waitFor(
        () =>
          slack
            .callsTo("chat.postMessage")
            .find((c) => /^Acme's SCIM key entra-provisioning expires/.test(String(c.args.text))),
        15_000,
      )
      .catch(() => undefined);
    const rotateValue = buttonValue(keyAlert?.args.blocks, "scim_fix_request");
    if (keyAlert && rotateValue) {
      await click("scim_fix_request", rotateValue, String(keyAlert.args.channel), "U0IT");
      const request = await slack.waitFor(
        () =>
          slack.callsTo("chat.postMessage").find((c) => /a new SCIM key/.test(String(c.args.text))),
        15_000,
      );
      const approveId = buttonValue(request.args.blocks, "scim_fix_approve");
      if (approveId)
        await click("scim_fix_approve", approveId, String(keyAlert.args.channel), "U0OLGA");
      const record = await slack
        .waitFor(
          () =>
            slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === request.result?.ts),
          15_000,
        )
        .catch(() => undefined);
      const made = descope.createdKeys.at(-1);
      const keys = descope.scimKeys["T-acme"] ?? [];
      rotated =
        Boolean(record && made) &&
        keys.find((k) => k.key.id === "K-acme")?.key.status === "inactive" &&
        keys.find((k) => k.key.id === made?.id)?.key.status === "active" &&
        Object.values(entra.secrets).some((set) =>
          set.some((c) => c.key === "SecretToken" && c.value === made?.cleartext),
        ) &&
        !JSON.stringify(slack.callsTo("chat.postMessage").map((c) => c.args)).includes(
          made?.cleartext ?? "-",
        );
    }

    // The orphan it found is alerted to the tenant's alert channel.
    await slack
      .waitFor(
        () =>
          slack
            .callsTo("chat.postMessage")
            .find(
              (c) =>
                c.args.channel === CH.alerts &&
                /still enabled in Descope \(Acme\)/.test(String(c.args.text)),
            ),
        10_000,
      )
      .catch(() => undefined);
    const alerts = slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CH.alerts);
    const checklistEdits = slack
      .callsTo("chat.update")
      .filter((c) => c.args.channel === CH.it).length;
    say("\n━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━");
    say("What happened");
    say(
      `  • ana and ben arrived with Entra's next cycle; the checklist ticked itself (${checklistEdits} in-place edits), ${tickedAt ? `${tickedAt - pushedAt} ms after Descope's audit stream pushed the events` : "but not from the push"}.`,
    );
    say(
      "  • carl was assigned one by one and forgotten: Entra ID (connected, read-only) proved it the moment he was registered — not in All Employees —, then one overdue alert, with the group-based fix.",
    );
    say(
      "  • zoe signed in through SSO but was never provisioned: one alert explaining the separate SSO/SCIM apps.",
    );
    say(
      "  • priya exists, under her UPN: SSO sends her e-mail. Not 'never provisioned': one identifier-mismatch alert, and the check names both identifiers and the mapping to align.",
    );
    say("  • dan was removed from the assigned group: deprovisioned.");
    say(
      "  • eve left two days ago but was only taken out of a role-mapped group: still enabled in Descope; one alert naming what Entra did, and the fix.",
    );
    say(
      `  • The reconciliation (${String(reconciled.args.text).replace(/^Reconciliation of Acme: /, "")}) found fay (in scope, never arrived) and old@ (left Entra's scope, still enabled in Descope); the whole list as CSV in its thread.`,
    );
    say(
      "  • Acme's SCIM key expires in 6 days: one warning ahead of time, with how to rotate it without an outage.",
    );
    say(
      "  • Globex's Entra ID access key expired: one 'pushes failing' alert for the whole tenant, with the fix.",
    );
    say(
      `  • ${alerts.length} alert message(s) in #it-alerts; ${descope.count("audit")} audit searches in all (one feed for everyone).`,
    );
    say("\n/scim check verdicts");
    for (const p of people) say(`  ${p.padEnd(18)} ${verdicts[p]}`);

    const expected: Record<string, RegExp> = {
      "ana@acme.com": /^Provisioned$/,
      "ben@acme.com": /^Provisioned$/,
      "carl@acme.com": /^Not provisioned$/,
      "zoe@partner.io": /^Signed in through SSO, never provisioned$/,
      "priya@acme.com": /^Exists under another login ID$/,
      "dan@acme.com": /^Deprovisioned/,
    };
    const wrong = people.filter((p) => !expected[p]?.test(verdicts[p] ?? ""));
    const carlAlert = alerts.some((a) =>
      String(a.args.text).includes("carl@acme.com is still missing"),
    );
    const carlProof = alerts.some((a) =>
      String(a.args.text).startsWith("carl@acme.com will not arrive in Descope"),
    );
    const zoeAlert = alerts.some((a) =>
      String(a.args.text).includes("zoe@partner.io tried to sign in but was never provisioned"),
    );
    const priyaAlert = alerts.some((a) =>
      String(a.args.text).startsWith(
        "priya@acme.com cannot sign in: Descope has them as priya.s@acme.onmicrosoft.com",
      ),
    );
    const priyaWrong = alerts.some((a) =>
      String(a.args.text).includes("priya@acme.com tried to sign in but was never provisioned"),
    );
    const keyWarnings = alerts.filter((a) =>
      String(a.args.text).startsWith("Acme's SCIM key entra-provisioning expires in 6 days"),
    ).length;
    const eveAlert = alerts.some((a) =>
      String(a.args.text).startsWith("eve@acme.com left Acme on"),
    );
    say(
      `  • fay was pushed now from Slack: requested by @U0IT, approved by @U0OLGA (an approver, not the requester), Entra's steps recorded in the request's thread${pushed ? ", verdict after: Provisioned" : ""}.`,
    );
    say(
      rotated
        ? "  • Acme's expiring SCIM key was rotated from its warning, approved by @U0OLGA: Entra validated and saved the new key, then the old one was deactivated — no outage, and the token was seen by no one."
        : "  • Acme's SCIM key rotation did not happen as scripted.",
    );
    const orphanAlert = alerts.some((a) =>
      String(a.args.text).startsWith(
        "1 person left Microsoft Entra ID but is still enabled in Descope (Acme)",
      ),
    );
    const recText = String(reconciled.args.text);
    const recOk =
      /missing 1\b/.test(recText) &&
      /orphaned 1\b/.test(recText) &&
      Boolean(csvShared?.content.includes("fay@acme.com,missing,")) &&
      Boolean(csvShared?.content.includes("old@acme.com,orphaned,"));
    const globexAlerts = alerts.filter((a) =>
      String(a.args.text).startsWith("Globex: 6 of 6 SCIM calls"),
    ).length;
    if (
      wrong.length ||
      !carlAlert ||
      !carlProof ||
      !zoeAlert ||
      !priyaAlert ||
      priyaWrong ||
      globexAlerts !== 1 ||
      keyWarnings !== 1 ||
      !eveAlert ||
      !recOk ||
      !orphanAlert ||
      !pushed ||
      !rotated ||
      !tickedAt ||
      tickedAt - pushedAt > 5_000
    ) {
      say(
        `\nThe story did not end as scripted: ${[
          ...wrong,
          ...(carlAlert ? [] : ["carl alert"]),
          ...(carlProof ? [] : ["carl proof from Entra"]),
          ...(zoeAlert ? [] : ["zoe alert"]),
          ...(priyaAlert && !priyaWrong ? [] : ["priya's identifier-mismatch alert"]),
          ...(globexAlerts === 1 ? [] : [`${globexAlerts} Globex alerts`]),
          ...(keyWarnings === 1 ? [] : [`${keyWarnings} SCIM key warnings`]),
          ...(eveAlert ? [] : ["eve's still-enabled alert"]),
          ...(recOk ? [] : [`the reconciliation (${recText})`]),
          ...(orphanAlert ? [] : ["the orphan alert"]),
          ...(pushed ? [] : ["fay's push now"]),
          ...(rotated ? [] : ["the SCIM key rotation through Entra"]),
          ...(tickedAt && tickedAt - pushedAt <= 5_000
            ? []
            : ["the checklist did not tick from the push"]),
        ].join(", ")}`,
      );
      return 1;
    }
    say(
      "\nDemo complete. Next: README › Set it up in five steps (docs/slack.md in full), to run it for real.",
    );
    return 0;
  } finally {
    clearInterval(streaming);
    await runtime.stop();
    const r = new Redis(redis.url);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
    await Promise.all([descope.stop(), slack.stop(), entra.stop()]);
    redis.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`scimwatch demo failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
