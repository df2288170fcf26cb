/**
 * Every tenant's SCIM keys as the key watch last read them, and the keys it
 * warned about (where the warning is, until the key is renewed): one record
 * in Redis that every replica shares.
 */
import * as z from "zod";
import type { KeySnapshot } from "../core/scim-keys.js";
import { safeParse } from "./links.js";
import { RedisStore } from "./store.js";

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string().nullable(),
  expiresAt: z.number().nullable(),
  createdAt: z.number().nullable(),
  ssoId: z.string().nullable(),
});
const snapshotSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  keys: z.array(keySchema),
  readAt: z.number(),
});
const warnedSchema = z.object({
  tenantId: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  expiresAt: z.number(),
  channel: z.string(),
  ts: z.string(),
});
export type WarnedKey = z.infer<typeof warnedSchema>;

export class ScimKeyStore extends RedisStore {
  async save(snap: KeySnapshot): Promise<void> {
    await this.redis.hset(this.keys.scimKeys(), snap.tenantId, JSON.stringify(snap));
  }

  async all(): Promise<KeySnapshot[]> {
    const raw = await this.redis.hgetall(this.keys.scimKeys());
    return Object.values(raw).flatMap((v) => {
      const p = snapshotSchema.safeParse(safeParse(v));
      return p.success ? [p.data] : [];
    });
  }

  async get(tenantId: string): Promise<KeySnapshot | null> {
    const raw = await this.redis.hget(this.keys.scimKeys(), tenantId);
    const p = raw ? snapshotSchema.safeParse(safeParse(raw)) : null;
    return p?.success ? p.data : null;
  }

  async warn(w: WarnedKey): Promise<void> {
    await this.redis.hset(
      this.keys.scimKeysWarned(),
      `${w.tenantId}:${w.keyId}`,
      JSON.stringify(w),
    );
  }

  async warned(): Promise<WarnedKey[]> {
    const raw = await this.redis.hgetall(this.keys.scimKeysWarned());
    return Object.values(raw).flatMap((v) => {
      const p = warnedSchema.safeParse(safeParse(v));
      return p.success ? [p.data] : [];
    });
  }

  async unwarn(w: Pick<WarnedKey, "tenantId" | "keyId">): Promise<void> {
    await this.redis.hdel(this.keys.scimKeysWarned(), `${w.tenantId}:${w.keyId}`);
  }
}
