/** Read-only IdP connections, per Descope tenant: which Entra tenant or Okta org and app, and how the last call went. */

import * as z from "zod";
import { runScript, script } from "./scripts.js";
import { RedisStore } from "./store.js";

const common = {
  tenantId: z.string().min(1),
  tenantName: z.string(),
  appName: z.string(),
  appId: z.string(),
  connectedBy: z.string(),
  connectedAt: z.number(),
  lastOkAt: z.number().nullable().default(null),
  /** The last thing that went wrong (missing permission, consent revoked…), or null. */
  problem: z.string().nullable().default(null),
  /** /scim autoexpect: new members of the app's assigned groups become expected hires. */
  autoExpect: z.boolean().default(false),
  /** Until when the IdP's group changes were read for auto-expect (epoch ms). */
  autoExpectReadTo: z.number().nullable().default(null),
};

const connectionSchema = z.discriminatedUnion("idp", [
  z.object({
    ...common,
    idp: z.literal("azure"),
    entraTenant: z.string().min(1),
    spId: z.string(),
    jobId: z.string().nullable(),
    /** Write access granted (`/scim write <tenant> on`): the write app's consent was verified. */
    write: z.boolean().default(false),
  }),
  z.object({
    ...common,
    idp: z.literal("okta"),
    oktaUrl: z.string().url(),
    /** An API token, or a service app's OAuth (client credentials, private_key_jwt, DPoP). */
    auth: z.enum(["token", "oauth"]).default("token"),
    /** The service app's client ID (auth "oauth"). */
    clientId: z.string().nullable().default(null),
    /**
     * The API token, or the service app's private key, sealed with SCIMWATCH_SECRETS_KEY
     * (redis/secret-box.ts): never stored in clear.
     */
    tokenSealed: z.string().regex(/^v[12]:/),
    /** Write access: an API token with okta.apps.manage and okta.groups.manage, sealed like the read one. */
    writeSealed: z
      .string()
      .regex(/^v[12]:/)
      .nullable()
      .default(null),
  }),
]);
export type Connection = z.infer<typeof connectionSchema>;

/**
 * What an Okta connection's sealed secret is bound to (redis/secret-box.ts): its
 * tenant, the org URL the secret is sent to, the auth kind and the client ID.
 * Change any of them in Redis and the secret no longer opens.
 */
export function oktaSealContext(c: {
  tenantId: string;
  oktaUrl: string;
  auth: "token" | "oauth";
  clientId: string | null;
}): string {
  return `okta:${c.tenantId}:${c.oktaUrl}:${c.auth}:${c.clientId ?? ""}`;
}

/** What an Okta connection's sealed write token is bound to: its tenant and org URL. */
export function oktaWriteSealContext(c: { tenantId: string; oktaUrl: string }): string {
  return `okta-write:${c.tenantId}:${c.oktaUrl}`;
}

export class ConnectionStore extends RedisStore {
  async get(tenantId: string): Promise<Connection | null> {
    const raw = await this.redis.hget(this.keys.connections(), tenantId);
    return raw ? parse(raw) : null;
  }

  async all(): Promise<Connection[]> {
    return (await this.redis.hvals(this.keys.connections())).flatMap((r) => {
      const c = parse(r);
      return c ? [c] : [];
    });
  }

  async set(c: z.input<typeof connectionSchema>): Promise<void> {
    await this.redis.hset(
      this.keys.connections(),
      c.tenantId,
      JSON.stringify(connectionSchema.parse(c)),
    );
  }

  async delete(tenantId: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.connections(), tenantId)) > 0;
  }

  /**
   * Changes some fields of the connection that a read loaded, in one step in
   * Redis: never the whole record (a read in flight must not bring back a token
   * rotated meanwhile, nor undo `autoexpect off`), never a record that was
   * disconnected (or connected again) since: returns false then.
   */
  async update(
    loaded: Pick<Connection, "tenantId" | "connectedAt">,
    patch: ConnectionPatch,
  ): Promise<boolean> {
    const fields = patchSchema.parse(patch);
    const done = await runScript(
      this.redis,
      PATCH,
      [this.keys.connections()],
      [loaded.tenantId, JSON.stringify(fields), String(loaded.connectedAt)],
    );
    return Number(done) === 1;
  }

  /** Records how the last call went (for /scim connections). */
  async mark(
    loaded: Pick<Connection, "tenantId" | "connectedAt">,
    ok: boolean,
    problem: string | null,
    at: number,
  ): Promise<void> {
    await this.update(loaded, ok ? { lastOkAt: at, problem: null } : { problem });
  }
}

/** The fields a running scimwatch changes on a stored connection; the rest is set by connecting. */
const patchSchema = z
  .object({
    lastOkAt: z.number().nullable(),
    problem: z.string().nullable(),
    autoExpect: z.boolean(),
    autoExpectReadTo: z.number().nullable(),
    /** Write access: Entra's flag, Okta's sealed write token. */
    write: z.boolean(),
    writeSealed: z.string().nullable(),
  })
  .partial()
  .strict();
type ConnectionPatch = z.infer<typeof patchSchema>;

/** Patches fields of one connection if it exists and is the same connection (its connectedAt). */
const PATCH = script(
  "connection_patch",
  `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local c = cjson.decode(raw)
if tostring(c['connectedAt']) ~= ARGV[3] and string.format('%.0f', c['connectedAt']) ~= ARGV[3] then return 0 end
for k, v in pairs(cjson.decode(ARGV[2])) do c[k] = v end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(c))
return 1
`,
);

function parse(raw: string): Connection | null {
  try {
    const p = connectionSchema.safeParse(JSON.parse(raw));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
