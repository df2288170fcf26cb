/**
 * The SCIM key watch (daily, and at start): every tenant's SCIM keys read
 * within the management budget (one tenant list, one key list per tenant, no
 * audit search), kept in Redis for every replica, and warned about before
 * they stop the IdP — once per key and threshold, exactly once across
 * replicas and restarts (the outbox's once-keys); a renewal is said once in
 * the warning's thread.
 */
import { createHash } from "node:crypto";
import {
  type KeyFinding,
  type KeySnapshot,
  keyFindings,
  renewed,
  type ScimKeyInfo,
} from "../../core/scim-keys.js";
import type { DescopeClient } from "../../descope/client.js";
import type { TenantScimKey } from "../../descope/schemas.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import { tenantLabel } from "../../descope/tenants.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { RedisClient } from "../../redis/client.js";
import { acquireLock } from "../../redis/lock.js";
import type { ScimKeyStore } from "../../redis/scim-key-store.js";
import { keyAlertMessage, keyRenewedMessage } from "../../render/scim-keys.js";
import type { Outbox, Outgoing } from "../notify/outbox.js";

export interface KeyWatchDeps {
  descope: Pick<DescopeClient, "listTenants" | "loadScimKeysNow" | "loadSsoSettings">;
  index: AuditIndex;
  scimKeys: ScimKeyStore;
  outbox: Outbox;
  redis: RedisClient;
  lockKey: string;
  log: Logger;
  now: () => number;
  settings: { keyWarnDays: number[] };
  /** Who approves fix-it actions: with any, key alerts offer "Rotate the SCIM key". */
  approvers?: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

/** Descope's key list as scimwatch keeps it (epoch seconds → ms; expireTime 0 = never). */
export function snapshotOf(
  tenant: { id: string; name?: string | null },
  keys: TenantScimKey[],
  readAt: number,
): KeySnapshot {
  const info = (k: TenantScimKey): ScimKeyInfo => ({
    id: k.key.id,
    name: k.key.name ?? "",
    status: k.key.status ?? null,
    expiresAt: k.key.expireTime ? k.key.expireTime * 1000 : null,
    createdAt: k.key.createdTime ? k.key.createdTime * 1000 : null,
    ssoId: k.ssoId || null,
  });
  return { tenantId: tenant.id, tenantName: tenantLabel(tenant), keys: keys.map(info), readAt };
}

/** The once-key of a finding: per key, its expiry and the threshold (a renewal starts afresh). */
function onceKey(snap: KeySnapshot, f: KeyFinding): string {
  const t = snap.tenantId;
  if (f.kind === "expiring") return `scim_key:${t}:${f.key.id}:${f.key.expiresAt}:${f.threshold}d`;
  if (f.kind === "expired") return `scim_key_expired:${t}:${f.key.id}:${f.key.expiresAt}`;
  if (f.kind === "never_called") return `scim_key_never_called:${t}:${f.key.id}`;
  // Once per set of unusable keys: a new key that fails again is a new episode.
  const ids = snap.keys
    .map((k) => k.id)
    .sort()
    .join(",");
  return `scim_keys_none:${t}:${createHash("sha256").update(ids).digest("hex").slice(0, 16)}`;
}

export async function watchScimKeys(
  deps: KeyWatchDeps,
): Promise<{ tenants: number; keys: number; sent: number; unreadable: number } | null> {
  const lock = await acquireLock(deps.redis, deps.lockKey, 60_000);
  if ("heldMs" in lock) return null;
  try {
    const now = deps.now();
    const tenants = await deps.descope.listTenants();
    const warned = await deps.scimKeys.warned();
    const messages: Outgoing[] = [];
    let keys = 0;
    let unreadable = 0;
    for (const tenant of tenants) {
      const raw = await deps.descope.loadScimKeysNow(tenant.id).catch((e: unknown) => {
        deps.log.warn(
          { kind: "scim_keys", tenant: tenant.id, err: e },
          "could not read the tenant's SCIM keys",
        );
        return null;
      });
      if (!raw) {
        unreadable++;
        continue;
      }
      const snap = snapshotOf(tenant, raw, now);
      keys += snap.keys.length;
      await deps.scimKeys.save(snap);
      // Renewals of keys warned about: said once in the warning's thread.
      for (const w of warned.filter((x) => x.tenantId === tenant.id)) {
        if (!renewed(w, snap, now)) continue;
        messages.push({
          key: `scim_key_renewed:${w.tenantId}:${w.keyId}:${w.expiresAt}`,
          kind: "scim_key_renewed",
          to: { channel: w.channel },
          thread: w.ts,
          message: keyRenewedMessage(snap, w.keyName, now),
          afterSend: () => deps.scimKeys.unwarn(w),
        });
      }
      const scimUsers =
        snap.keys.length > 0 &&
        (await deps.index.eventsForTenant(tenant.id, now - 30 * DAY_MS, now, 500)).some(
          (e) => e.scimAction !== undefined || /^scim/i.test(e.action),
        );
      const findings = keyFindings(snap, now, deps.settings.keyWarnDays, { scimUsers });
      if (!findings.length) continue;
      const idp = (await tenantIdp(deps.descope, tenant.id)).idp;
      for (const f of findings) {
        const msg = keyAlertMessage(f, snap, idp, {
          rotate: (deps.approvers?.size ?? 0) > 0,
        });
        messages.push({
          key: onceKey(snap, f),
          kind:
            f.kind === "expiring"
              ? "scim_key_expiring"
              : f.kind === "never_called"
                ? "scim_key_never_called"
                : "scim_key_unusable",
          to: { tenantId: tenant.id },
          message: msg,
          recent: { tenantId: tenant.id, text: msg.text },
          ...(f.kind === "none_active" || f.kind === "never_called"
            ? {}
            : {
                afterSend: (sent: { channel: string; ts: string }) =>
                  deps.scimKeys.warn({
                    tenantId: tenant.id,
                    keyId: f.key.id,
                    keyName: f.key.name || f.key.id,
                    expiresAt: f.key.expiresAt as number,
                    channel: sent.channel,
                    ts: sent.ts,
                  }),
              }),
        });
      }
    }
    const outcomes = messages.length ? await deps.outbox.send(messages) : [];
    const sent = outcomes.filter((o) => o.status === "sent").length;
    deps.log.info(
      { kind: "scim_keys", tenants: tenants.length, keys, sent, unreadable },
      "SCIM keys read",
    );
    return { tenants: tenants.length, keys, sent, unreadable };
  } finally {
    await lock.release();
  }
}
