/**
 * Issue 25: the backfill of 100,000 audit events (the first tail run) beside a
 * bare script that pages the same search on the same fake Descope with undici
 * and does nothing with the answers (goal ≤ 1.5× its time).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { request } from "undici";
import { DescopeClient, SCIM_AUDIT_ACTIONS } from "../src/descope/client.js";
import { runTail } from "../src/features/tail/tail.js";
import { createLogger } from "../src/log/logger.js";
import { AuditIndex } from "../src/redis/audit-index.js";
import { keyer } from "../src/redis/client.js";
import { TailStateStore } from "../src/redis/tail-state.js";
import { FakeDescope } from "../test/fakes/descope.js";
import { generateEvents, seedVolume } from "../test/fakes/volume.js";
import { deletePrefix } from "./memory.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export async function backfillBesideBare(users = 50_000, tenants = 200) {
  const fake = new FakeDescope();
  await fake.start();
  const now = Date.now();
  const events = generateEvents({ users, tenants, now, spanMs: 7 * 86_400_000 });
  seedVolume(fake, events);
  const redis = new Redis(REDIS_URL);
  const prefix = `{bench-backfill-${randomUUID().slice(0, 8)}}`;
  try {
    // The bare script: the same pages of the same search, answers read and parsed, nothing kept.
    const bareStart = performance.now();
    let bareCalls = 0;
    const from = now - 30 * 86_400_000 + 5 * 60_000;
    for (let page = 0; ; page++) {
      const res = await request(`${fake.url}/v1/mgmt/audit/search`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${fake.projectId}:${fake.managementKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          from,
          to: now,
          actions: SCIM_AUDIT_ACTIONS,
          size: 1000,
          page,
          oldestFirst: true,
        }),
      });
      const json = (await res.body.json()) as { audits?: unknown[] };
      bareCalls++;
      if ((json.audits?.length ?? 0) < 1000) break;
    }
    const bareMs = performance.now() - bareStart;

    const descope = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
    });
    const key = keyer(prefix);
    const t = performance.now();
    const r = await runTail(
      {
        descope,
        index: new AuditIndex(redis, key, prefix),
        state: new TailStateStore(redis, key),
        redis,
        key,
        log: createLogger({ level: "silent" }),
      },
      { intervalSec: 60, backfillDays: 30, budgetWaitMs: 600_000 },
    );
    const tailMs = performance.now() - t;
    return {
      events: events.length,
      stored: r.stored,
      tailCalls: r.calls,
      bareCalls,
      tailMs,
      bareMs,
      ratio: tailMs / bareMs,
    };
  } finally {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await fake.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await backfillBesideBare());
  process.exit(0);
}
