/**
 * Each tenant's last provisioning health and its open alert (where it was
 * posted, snoozes, dismissal): one small JSON record per tenant, validated on read.
 */

import * as z from "zod";
import { RedisStore } from "./store.js";

const STATES = ["ok", "quiet", "failing", "stopped", "mass_deactivation"] as const;

const tenantHealthRecordSchema = z.object({
  tenantId: z.string().min(1),
  tenantName: z.string().optional(),
  state: z.enum(STATES),
  episode: z.string().nullable(),
  since: z.number().nullable(),
  at: z.number(),
  /** The alert of the current (or last) episode, when one was posted. */
  alert: z
    .object({ episode: z.string(), channel: z.string(), ts: z.string(), state: z.enum(STATES) })
    .nullable()
    .optional(),
  snoozedUntil: z.number().optional(),
  dismissedBy: z.string().optional(),
  /** Since when the tenant has been healthy while its alert is open (the settle time runs). */
  healthySince: z.number().nullable().optional(),
  /** The alert a recovery closed, and when: a relapse soon after reopens it (core/episodes.ts). */
  lastClosed: z
    .object({
      episode: z.string(),
      channel: z.string(),
      ts: z.string(),
      state: z.enum(STATES),
      at: z.number(),
    })
    .nullable()
    .optional(),
});
export type TenantHealthRecord = z.infer<typeof tenantHealthRecordSchema>;

export class TenantHealthStore extends RedisStore {
  async get(tenantId: string): Promise<TenantHealthRecord | null> {
    const raw = await this.redis.hget(this.keys.tenantHealth(), tenantId);
    if (!raw) return null;
    try {
      const parsed = tenantHealthRecordSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async all(): Promise<TenantHealthRecord[]> {
    const raw = await this.redis.hvals(this.keys.tenantHealth());
    return raw.flatMap((r) => {
      try {
        const parsed = tenantHealthRecordSchema.safeParse(JSON.parse(r));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }

  async set(record: TenantHealthRecord): Promise<void> {
    await this.redis.hset(
      this.keys.tenantHealth(),
      record.tenantId,
      JSON.stringify(tenantHealthRecordSchema.parse(record)),
    );
  }

  /** Changes one record; returns it, or null when there is none. */
  async update(
    tenantId: string,
    change: (r: TenantHealthRecord) => TenantHealthRecord,
  ): Promise<TenantHealthRecord | null> {
    const cur = await this.get(tenantId);
    if (!cur) return null;
    const next = change(cur);
    await this.set(next);
    return next;
  }
}
