/**
 * Per-tenant webhook secrets (`/scim webhook <tenant>`): one active secret per
 * tenant, sealed at rest with SCIMWATCH_SECRETS_KEY (bound to its tenant and
 * key ID), found by its key ID. A request signed with one can only register
 * hires for that tenant. Issuing a new secret revokes the tenant's previous one.
 */

import { randomBytes } from "node:crypto";
import * as z from "zod";
import type { Keyer, RedisClient } from "./client.js";
import { safeParse } from "./links.js";
import { runScript, script } from "./scripts.js";
import type { SecretBox } from "./secret-box.js";
import { RedisStore } from "./store.js";

const recordSchema = z.object({
  kid: z.string().regex(/^[a-f0-9]{12}$/),
  tenantId: z.string().min(1),
  tenantName: z.string(),
  sealed: z.string().startsWith("v2:"),
  createdAt: z.number(),
  createdBy: z.string(),
});
type WebhookKey = z.infer<typeof recordSchema>;

/** Replaces the tenant's key atomically: the old one stops working as the new one starts. */
const ISSUE = script(
  "webhook_issue",
  `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('HDEL', KEYS[1], old) end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return old
`,
);

/** What the seal is bound to: a sealed secret moved to another tenant or key ID does not open. */
const boundTo = (kid: string, tenantId: string) => `webhook:${kid}:${tenantId}`;

export class WebhookSecretStore extends RedisStore {
  constructor(
    redis: RedisClient,
    key: Keyer,
    private readonly box: SecretBox | null,
  ) {
    super(redis, key);
  }

  /** Whether per-tenant secrets can be kept (SCIMWATCH_SECRETS_KEY is set). */
  get enabled(): boolean {
    return this.box !== null;
  }

  /** Whether any tenant has a secret (the endpoint is off when none does and no shared secret is set). */
  async any(): Promise<boolean> {
    return this.box !== null && (await this.redis.hlen(this.keys.webhookKeys())) > 0;
  }

  /** Issues the tenant's secret (shown once by the caller, never stored in clear). */
  async issue(
    tenant: { tenantId: string; tenantName: string },
    by: string,
    now: number,
  ): Promise<{ kid: string; secret: string; replaced: boolean }> {
    if (!this.box) throw new Error("SCIMWATCH_SECRETS_KEY is not set");
    const kid = randomBytes(6).toString("hex");
    const secret = `whsec_${randomBytes(32).toString("base64url")}`;
    const record: WebhookKey = {
      kid,
      tenantId: tenant.tenantId,
      tenantName: tenant.tenantName,
      sealed: this.box.seal(secret, boundTo(kid, tenant.tenantId)),
      createdAt: now,
      createdBy: by,
    };
    const old = await runScript(
      this.redis,
      ISSUE,
      [this.keys.webhookKeys(), this.keys.webhookTenantKey()],
      [tenant.tenantId, kid, JSON.stringify(recordSchema.parse(record))],
    );
    return { kid, secret, replaced: Boolean(old) };
  }

  /** The key with this ID and its secret, or null (unknown, or not ours to open). */
  async byKeyId(kid: string): Promise<{ key: WebhookKey; secret: string } | null> {
    if (!this.box || !/^[a-f0-9]{12}$/.test(kid)) return null;
    return this.open(await this.redis.hget(this.keys.webhookKeys(), kid));
  }

  /** The key of the tenant a body names (by ID or, as issued, by name), or null. */
  async byTenant(idOrName: string): Promise<{ key: WebhookKey; secret: string } | null> {
    if (!this.box) return null;
    const kid = await this.redis.hget(this.keys.webhookTenantKey(), idOrName);
    if (kid) return this.byKeyId(kid);
    const wanted = idOrName.trim().toLowerCase();
    for (const raw of await this.redis.hvals(this.keys.webhookKeys())) {
      const p = recordSchema.safeParse(safeParse(raw));
      if (p.success && p.data.tenantName.trim().toLowerCase() === wanted) return this.open(raw);
    }
    return null;
  }

  private open(raw: string | null): { key: WebhookKey; secret: string } | null {
    if (!raw || !this.box) return null;
    const p = recordSchema.safeParse(safeParse(raw));
    if (!p.success) return null;
    try {
      return {
        key: p.data,
        secret: this.box.open(p.data.sealed, boundTo(p.data.kid, p.data.tenantId)),
      };
    } catch {
      return null;
    }
  }
}
