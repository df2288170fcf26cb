/**
 * Redis memory per 100k stored audit events, measured at that size: 100,000
 * stored rows (50,000 users, 200 tenants: a SCIM create and a SCIM update
 * each, plus a successful sign-in kept only as a last-sign-in time).
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { toAuditEvent } from "../src/descope/events.js";
import { auditRecordSchema } from "../src/descope/schemas.js";
import { AuditIndex } from "../src/redis/audit-index.js";
import { keyer } from "../src/redis/client.js";
import { generateEvents } from "../test/fakes/volume.js";

/** Deletes every key under a bench prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 5000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== "0");
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export async function memoryPer100k(
  redis: Redis,
  opts: { users?: number; tenants?: number } = {},
): Promise<{ stored: number; mibPer100k: number; bytesPerEvent: number }> {
  const users = opts.users ?? 50_000;
  const tenants = opts.tenants ?? 200;
  const now = Date.now();
  const wire = generateEvents({ users, tenants, now, spanMs: 7 * 86_400_000 });
  const events = wire.map((w) => toAuditEvent(auditRecordSchema.parse(w)));
  const prefix = `{bench-mem-${randomUUID().slice(0, 8)}}`;
  const index = new AuditIndex(redis, keyer(prefix), prefix);
  const before = await usedMemory(redis);
  for (let i = 0; i < events.length; i += 1000) await index.store(events.slice(i, i + 1000), now);
  const after = await usedMemory(redis);
  const stored = await index.count();
  await deletePrefix(redis, prefix);
  const bytesPerEvent = (after - before) / stored;
  return { stored, mibPer100k: (bytesPerEvent * 100_000) / 1_048_576, bytesPerEvent };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { Redis: R } = await import("ioredis");
  const redis = new R(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  console.log(await memoryPer100k(redis));
  await redis.quit();
}
