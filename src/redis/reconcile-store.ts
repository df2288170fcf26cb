/**
 * A reconciliation in Redis, so that it survives a restart: the run record
 * (where the reads got to, the Slack message to update, the counts once
 * done), the people read so far (IdP pieces merged by ID, Descope users by
 * user ID), and each tenant's orphans with whether they were alerted.
 */
import * as z from "zod";
import type { DescopePerson } from "../core/reconcile/model.js";
import { type ReconcileRun, runSchema } from "../core/reconcile/run-record.js";
import { safeParse } from "./links.js";

export type { ReconcileRun };

import { RedisStore } from "./store.js";

const descopePersonSchema = z.object({
  userId: z.string(),
  loginIds: z.array(z.string()),
  email: z.string().optional(),
  name: z.string().optional(),
  status: z.string(),
  scim: z.boolean(),
  createdAt: z.number().optional(),
  lastSignInAt: z.number().optional(),
});

const orphanSchema = z.object({ since: z.number(), alerted: z.boolean() });
export type OrphanRecord = z.infer<typeof orphanSchema>;

/** Staged data is kept this long after a run stopped (a resume must find it). */
const STAGE_TTL_SEC = 7 * 86_400;

export class ReconcileStore extends RedisStore {
  async run(tenantId: string): Promise<ReconcileRun | null> {
    const raw = await this.redis.get(this.keys.reconcileRun(tenantId));
    const p = raw ? runSchema.safeParse(safeParse(raw)) : null;
    return p?.success ? p.data : null;
  }

  async saveRun(r: ReconcileRun): Promise<void> {
    await this.redis.set(this.keys.reconcileRun(r.tenantId), JSON.stringify(r));
  }

  /** One request at a time may start a tenant's run (the first of two concurrent ones wins). */
  async claimStart(tenantId: string): Promise<boolean> {
    return (
      (await this.redis.set(this.keys.reconcileStart(tenantId), "1", "PX", 10_000, "NX")) === "OK"
    );
  }

  async releaseStart(tenantId: string): Promise<void> {
    await this.redis.del(this.keys.reconcileStart(tenantId));
  }

  /** The key of the lock its executor holds while it reads. */
  lockKey(tenantId: string): string {
    return this.keys.reconcileLock(tenantId);
  }

  /** A new run replaces the last one, its staged people cleared. */
  async begin(r: ReconcileRun): Promise<void> {
    await this.redis
      .multi()
      .del(this.keys.reconcileIdp(r.tenantId), this.keys.reconcileDescope(r.tenantId))
      .set(this.keys.reconcileRun(r.tenantId), JSON.stringify(r))
      .exec();
  }

  /** IdP pieces by ID (JSON), for merging before `stageIdp`. */
  async idpPieces(tenantId: string, ids: string[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    if (!ids.length) return out;
    const raw = await this.redis.hmget(this.keys.reconcileIdp(tenantId), ...ids);
    raw.forEach((v, i) => {
      if (v) out.set(ids[i] as string, safeParse(v));
    });
    return out;
  }

  /** One page's people and the run's new cursor, together. */
  async stagePage(
    r: ReconcileRun,
    page: { idp?: Map<string, unknown>; descope?: DescopePerson[] },
  ): Promise<void> {
    const m = this.redis.multi();
    if (page.idp?.size) {
      m.hset(
        this.keys.reconcileIdp(r.tenantId),
        ...[...page.idp].flatMap(([id, v]) => [id, JSON.stringify(v)]),
      );
      m.expire(this.keys.reconcileIdp(r.tenantId), STAGE_TTL_SEC);
    }
    if (page.descope?.length) {
      m.hset(
        this.keys.reconcileDescope(r.tenantId),
        ...page.descope.flatMap((d) => [d.userId, JSON.stringify(d)]),
      );
      m.expire(this.keys.reconcileDescope(r.tenantId), STAGE_TTL_SEC);
    }
    m.set(this.keys.reconcileRun(r.tenantId), JSON.stringify(r));
    await m.exec();
  }

  /** Everything staged, read in slices (HSCAN) so no single reply holds the whole tenant. */
  async staged(tenantId: string): Promise<{ idp: unknown[]; descope: DescopePerson[] }> {
    const scan = async (key: string) => {
      const out: unknown[] = [];
      let cursor = "0";
      do {
        const [next, kv] = await this.redis.hscan(key, cursor, "COUNT", 1000);
        cursor = next;
        for (let i = 1; i < kv.length; i += 2) out.push(safeParse(kv[i] as string));
      } while (cursor !== "0");
      return out;
    };
    const [idp, descope] = await Promise.all([
      scan(this.keys.reconcileIdp(tenantId)),
      scan(this.keys.reconcileDescope(tenantId)),
    ]);
    return {
      idp,
      descope: descope.flatMap((d) => {
        const p = descopePersonSchema.safeParse(d);
        return p.success ? [p.data as DescopePerson] : [];
      }),
    };
  }

  async clearStaged(tenantId: string): Promise<void> {
    await this.redis.del(this.keys.reconcileIdp(tenantId), this.keys.reconcileDescope(tenantId));
  }

  async orphans(tenantId: string): Promise<Map<string, OrphanRecord>> {
    const raw = await this.redis.hgetall(this.keys.reconcileOrphans(tenantId));
    const out = new Map<string, OrphanRecord>();
    for (const [k, v] of Object.entries(raw)) {
      const p = orphanSchema.safeParse(safeParse(v));
      if (p.success) out.set(k, p.data);
    }
    return out;
  }

  /** Replaces the tenant's orphans (an episode ends when someone is no longer orphaned). */
  async saveOrphans(tenantId: string, all: Map<string, OrphanRecord>): Promise<void> {
    const key = this.keys.reconcileOrphans(tenantId);
    const m = this.redis.multi().del(key);
    if (all.size) m.hset(key, ...[...all].flatMap(([k, v]) => [k, JSON.stringify(v)]));
    await m.exec();
  }

  async markAlerted(tenantId: string, loginIds: string[], all: Map<string, OrphanRecord>) {
    for (const l of loginIds) {
      const o = all.get(l);
      if (o) o.alerted = true;
    }
    await this.saveOrphans(tenantId, all);
  }
}
