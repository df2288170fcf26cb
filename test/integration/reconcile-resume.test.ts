/**
 * A reconciliation survives its worker's death: the bot (in-process, role
 * bot) queues the run; a worker process (`node dist/cli.js start --role
 * worker`) reads Entra's pages and is killed with SIGKILL midway; a second
 * worker takes the run up from the last page read (not from the start), and
 * the Slack message ends with the answer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRA_SAML, user } from "../fakes/builders.js";
import { descopeApp, FakeEntra } from "../fakes/entra.js";
import { type Harness, REDIS_URL, startHarness } from "../helpers.js";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const TENANT = "6f1c7e2a-0000-4000-8000-0000000000aa";
const entra = new FakeEntra();
const PEOPLE = 60;
let h: Harness;
const children: ChildProcess[] = [];

const entraEnv = () => ({
  ...entra.env(),
});

beforeAll(async () => {
  await entra.start();
  const ids = Array.from({ length: PEOPLE }, (_, i) => `u-${i}`);
  entra.tenants[TENANT] = {
    users: ids.map((id) => ({
      id,
      userPrincipalName: `${id}@acme.com`,
      mail: `${id}@acme.com`,
      accountEnabled: true,
    })),
    groups: [{ id: "g-all", displayName: "All Employees", members: ids }],
    sps: [
      descopeApp("sp-d", "aaaaaaaa-1111-2222-3333-4444444444aa", [
        { id: "g-all", name: "All Employees" },
      ]),
    ],
    logs: [],
  };
  entra.consented.add(TENANT);
  h = await startHarness({ SCIMWATCH_ALERT_CHANNEL: "CALERTS", ...entraEnv() }, (d) => {
    d.tenants.push({ id: "T-acme", name: "Acme" });
    d.sso["T-acme"] = {
      saml: { ...ENTRA_SAML, idpEntityId: `https://sts.windows.net/${TENANT}/` },
    };
    for (const id of ids.slice(0, 50))
      d.users.push(user({ loginId: `${id}@acme.com`, tenantId: "T-acme", tenantName: "Acme" }));
  });
  const r = await h.command(`connect Acme entra app=Descope entra-tenant=${TENANT}`, {
    user: "UADMIN",
    channel: "CSUPPORT",
  });
  await h.slack.waitFor(() =>
    h.slack.respondedTo(r.rid).find((x) => /is connected/.test(JSON.stringify(x.body))),
  );
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await h.stop();
  await entra.stop();
});

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "start", "--role", "worker"], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-signing-secret-0123456789",
      SLACK_API_URL: h.slack.apiUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      REDIS_URL,
      SCIMWATCH_REDIS_PREFIX: h.prefix,
      DESCOPE_PROJECT_ID: h.descope.projectId,
      DESCOPE_MANAGEMENT_KEY: h.descope.managementKey,
      DESCOPE_BASE_URL: h.descope.url,
      SCIMWATCH_ALERT_CHANNEL: "CALERTS",
      ...entraEnv(),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("scimwatch started")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${out.slice(-400)}`)));
  });
  return child;
}

const runRecord = async () => {
  const raw = await h.redis.get(`${h.prefix}:reconcile:T-acme:run`);
  return raw
    ? (JSON.parse(raw) as { phase: string; idpRead: number; resumed: number; ts: string })
    : null;
};
async function until<T>(f: () => Promise<T | undefined | null | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("reconciliation: resume after a crash", () => {
  it("a killed worker's run is taken up from the last page read, and answers", async () => {
    entra.pageSize = 2;
    entra.delayMs = 60;
    const first = await startWorker();
    const r = await h.command("reconcile Acme", { user: "UADMIN", channel: "CSUPPORT" });
    await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0]);
    // Midway through the group's members: kill -9.
    await until(async () => ((await runRecord())?.idpRead ?? 0) >= 16, 30_000);
    first.kill("SIGKILL");
    await new Promise((res) => first.once("exit", res));
    const readBefore = entra.count("members");
    expect(readBefore).toBeLessThan(PEOPLE / 2);
    entra.delayMs = 0;
    await startWorker();
    const done = await until(async () => {
      const x = await runRecord();
      return x?.phase === "done" ? x : undefined;
    }, 45_000);
    expect(done.resumed).toBeGreaterThanOrEqual(1);
    // Every page read once, give or take the page in flight when the worker died.
    expect(entra.count("members")).toBeLessThanOrEqual(PEOPLE / 2 + 2);
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .callsTo("chat.update")
          .find(
            (c) => c.args.ts === done.ts && /^Reconciliation of Acme/.test(String(c.args.text)),
          ),
      10_000,
    );
    expect(String(answer.args.text)).toBe("Reconciliation of Acme: missing 10 · in_sync 50");
    expect(JSON.stringify(answer.args.blocks)).toMatch(/resumed 1× after a stop/);
  });
});
