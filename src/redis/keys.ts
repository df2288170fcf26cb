/**
 * Every Redis key family scimwatch writes, named once: the stores, the
 * scripts and the few callers outside a store take their keys from here.
 * Every key is under the deployment's prefix, braced for Redis Cluster.
 */
import type { Keyer } from "./client.js";

export function redisKeys(key: Keyer) {
  return {
    /** Expected hires: one record each, the open and done sets, when each user was last read. */
    hire: (id: string) => key("hire", id),
    hiresOpen: () => key("hires", "open"),
    hiresDone: () => key("hires", "done"),
    hiresChecked: () => key("hires", "checked"),
    /** A registration's checklist (its hires, its Slack message). */
    batch: (id: string) => key("batch", id),
    /** Failed sign-ins the tail saw, waiting for the notify step; the App Home's recent alerts. */
    signinsPending: () => key("signins", "pending"),
    alertsRecent: () => key("alerts", "recent"),
    /** Exactly-once records and the attempt of a send of unknown outcome (redis/once-store.ts). */
    once: (name: string) => key("once", name),
    onceAttempt: (name: string) => key("once", name, "attempt"),
    /** Channel → tenant links. */
    link: (channelId: string) => key("link", channelId),
    links: () => key("links"),
    /** A check's answer, kept for its buttons. */
    answer: (id: string) => key("answer", id),
    /** Every tenant's SCIM keys as last read (one hash: tenant ID → snapshot), shared by replicas. */
    scimKeys: () => key("scimkeys", "snapshot"),
    /** Keys warned about (tenant:key → where the warning is), until renewed. */
    scimKeysWarned: () => key("scimkeys", "warned"),
    /** One key watch at a time across replicas. */
    scimKeysLock: () => key("scimkeys", "lock"),
    /** Set once an answer was shared in its channel (Share in channel posts it once). */
    answerShared: (id: string) => key("answer", id, "shared"),
    /** IdP connections, per tenant. */
    connections: () => key("connections"),
    /** Tenant health records, per tenant. */
    tenantHealth: () => key("tenant-health"),
    /** The audit tail: its state (cursor, health) and its run lock (redis/lock.ts). */
    tailState: () => key("tail", "state"),
    tailLock: () => key("tail", "lock"),
    /** The audit index's layout version; its families are named by the index (a prefix its script builds on). */
    indexLayout: () => key("index", "layout"),
    indexFamily: (family: string, ...parts: string[]) => key(family, ...parts),
    /** Per-tenant webhook secrets (sealed) and each tenant's current key ID. */
    webhookKeys: () => key("webhook", "keys"),
    webhookTenantKey: () => key("webhook", "tenant-key"),
    /** Descope's budgets (audit searches, management calls) and the shared read cache. */
    auditBudget: () => key("budget", "audit-window"),
    mgmtBudget: () => key("budget", "mgmt-window"),
    cache: (k: string) => key("cache", k),
    /** scimwatch's own-health episode record (features/own-health.ts). */
    ownHealth: () => key("own-health"),
    /** Graph's reports budget, per Entra tenant (5 requests per 10 s). */
    graphReportsBudget: (tenant: string) => key("budget", "graph-reports", tenant),
    /** A Slack channel's next free post slot, and the pause Slack asked for (redis/channel-pace.ts). */
    pace: (channel: string) => key("pace", channel),
    pacePaused: (channel: string) => key("pace", channel, "paused"),
    /** Fix-it actions: one record each, and those not finished (for expiry and crash recovery). */
    action: (id: string) => key("action", id),
    actionsOpen: () => key("actions", "open"),
    /** Leavers: one record each, and the set of those still watched. */
    leaver: (id: string) => key("leaver", id),
    leaversOpen: () => key("leavers", "open"),
    /** Reconciliation (features/reconcile): a tenant's run record and lock, the people read so far, the orphans alerted. */
    reconcileRun: (tenantId: string) => key("reconcile", tenantId, "run"),
    reconcileLock: (tenantId: string) => key("reconcile", tenantId, "lock"),
    reconcileStart: (tenantId: string) => key("reconcile", tenantId, "start"),
    reconcileIdp: (tenantId: string) => key("reconcile", tenantId, "idp"),
    reconcileDescope: (tenantId: string) => key("reconcile", tenantId, "descope"),
    reconcileOrphans: (tenantId: string) => key("reconcile", tenantId, "orphans"),
  };
}
