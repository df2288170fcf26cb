/**
 * Issue 26: reconcile a whole tenant (the bot's path: Redis staging, page by
 * page) against the loopback fakes, beside a bare undici script that reads
 * the same three lists with the largest page sizes and keeps nothing. Calls
 * against the floor (⌈rows / largest page⌉ per list), wall time, peak RSS
 * above the seeded baseline; 10k vs 50k users for the memory ratio.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { request } from "undici";
import { EntraHttp } from "../src/connectors/entra-http.js";
import { DescopeClient } from "../src/descope/client.js";
import { newRun, runToEnd } from "../src/features/reconcile/run.js";
import { keyer } from "../src/redis/client.js";
import { ReconcileStore } from "../src/redis/reconcile-store.js";
import { user } from "../test/fakes/builders.js";
import { FakeDescope } from "../test/fakes/descope.js";
import { FakeEntra } from "../test/fakes/entra.js";
import { deletePrefix } from "./memory.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TENANT = "6f1c7e2a-0000-4000-8000-0000000000bb";

export async function reconcileAtScale(n: number) {
  const descope = new FakeDescope();
  const entra = new FakeEntra();
  const ids = Array.from({ length: n }, (_, i) => `u-${i}`);
  descope.tenants.push({ id: "T-big", name: "Big" });
  // 2 % of Descope's users left Entra long ago (orphans); 2 % in Entra never arrived (missing).
  const inDescope = Math.floor(n * 0.98);
  for (let i = 0; i < n; i++) {
    const k = i < inDescope ? i : n + i;
    descope.users.push(
      user({
        loginId: `u-${k}@big.com`,
        userId: `U${k}`,
        tenantId: "T-big",
        tenantName: "Big",
        createdAt: 1_700_000_000_000,
      }),
    );
  }
  entra.pageSize = 999;
  entra.consented.add(TENANT);
  entra.tenants[TENANT] = {
    users: ids.map((id) => ({
      id,
      userPrincipalName: `${id}@big.com`,
      mail: `${id}@big.com`,
      accountEnabled: true,
    })),
    groups: [{ id: "g-all", displayName: "All", members: ids }],
    sps: [
      {
        id: "sp",
        appId: "aaaaaaaa-1111-2222-3333-4444444444bb",
        displayName: "Descope",
        assignments: [
          {
            principalId: "g-all",
            principalType: "Group",
            principalDisplayName: "All",
            createdDateTime: "2026-01-01T00:00:00Z",
          },
        ],
        jobs: [],
      },
    ],
    logs: [],
  };
  await Promise.all([descope.start(), entra.start()]);
  const redis = new Redis(REDIS_URL);
  const prefix = `{bench-reconcile-${randomUUID().slice(0, 8)}}`;
  try {
    // The anchor: the same lists, largest pages (Descope 1,000 on this fake, Graph 999), nothing kept.
    const bareStart = performance.now();
    let bareCalls = 0;
    for (let page = 0; ; page++) {
      const res = await request(`${descope.url}/v2/mgmt/user/search`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${descope.projectId}:${descope.managementKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ tenantIds: ["T-big"], limit: 1000, page }),
      });
      const j = (await res.body.json()) as { users: unknown[] };
      bareCalls++;
      if (j.users.length < 1000) break;
    }
    const tok = await request(`${entra.url}/${TENANT}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: entra.clientId,
        client_secret: entra.clientSecret,
        grant_type: "client_credentials",
        scope: "x",
      }).toString(),
    });
    const { access_token } = (await tok.body.json()) as { access_token: string };
    for (
      let next: string | undefined =
        `${entra.url}/v1.0/servicePrincipals/sp/appRoleAssignedTo?$top=999`;
      next;
    ) {
      const r: Awaited<ReturnType<typeof request>> = await request(next, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      next = ((await r.body.json()) as { "@odata.nextLink"?: string })["@odata.nextLink"];
      bareCalls++;
    }
    for (let next: string | undefined = `${entra.url}/v1.0/groups/g-all/members?$top=999`; next; ) {
      const r: Awaited<ReturnType<typeof request>> = await request(next, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      next = ((await r.body.json()) as { "@odata.nextLink"?: string })["@odata.nextLink"];
      bareCalls++;
    }
    const bareMs = performance.now() - bareStart;

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const http = new EntraHttp({
      clientId: entra.clientId,
      clientSecret: entra.clientSecret,
      loginUrl: entra.url,
      graphUrl: entra.url,
    });
    const client = new DescopeClient({
      projectId: descope.projectId,
      managementKey: descope.managementKey,
      baseUrl: descope.url,
    });
    const store = new ReconcileStore(redis, keyer(prefix));
    const source = {
      kind: "azure" as const,
      http,
      entraTenant: TENANT,
      spId: "sp",
      appName: "Descope",
    };
    const t = performance.now();
    const descopeBefore = descope.count("users");
    const graphs = () => entra.calls.filter((c) => c.route !== "token").length;
    const graphBefore = graphs();
    const run = newRun({
      runId: "bench",
      tenantId: "T-big",
      tenantName: "Big",
      source,
      now: Date.now(),
      trigger: "cli",
    });
    await store.begin(run);
    const { result } = await runToEnd(
      { descope: client, staging: store, now: Date.now, graceMinutes: 15 },
      run,
      source,
    );
    const ms = performance.now() - t;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const descopeCalls = descope.count("users") - descopeBefore;
    const graphCalls = graphs() - graphBefore;
    await store.clearStaged("T-big");
    return {
      users: n,
      ms,
      bareMs,
      bareCalls,
      descopeCalls,
      descopeFloor: Math.ceil(n / 1000),
      graphCalls,
      graphFloor: 1 + Math.ceil(n / 999),
      peakMb: (peak - baseline) / 1_048_576,
      counts: result.counts,
    };
  } finally {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await Promise.all([descope.stop(), entra.stop()]);
  }
}
