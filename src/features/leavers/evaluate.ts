/**
 * Leavers, after each audit read and after a registration: read what
 * decides them (Descope's user record, the IdP's side through the tenant's
 * connector, the last sign-in the tail saw), decide with the one rule
 * (core/leavers/state.ts), and send through the outbox: the checklist
 * (posted once, edited as it ticks), the "still enabled" alert once, its
 * resolution in the alert's thread. Done leavers stop being watched.
 */
import { concerns } from "../../core/diagnosis/facts.js";
import type { Leaver } from "../../core/leavers/model.js";
import { type LeaverFacts, leaverView } from "../../core/leavers/state.js";
import type { DescopeClient } from "../../descope/client.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { LeaverStore } from "../../redis/leaver-store.js";
import { leaverAlert, leaverChecklist, leaverResolved } from "../../render/leavers.js";
import type { IdpSideAnswer } from "../idp-side.js";
import type { Outbox, Outgoing } from "../notify/outbox.js";

export interface LeaverDeps {
  /** Users (to decide) and SSO settings (to know a new leaver's IdP). */
  descope: Pick<DescopeClient, "loadUser" | "loadSsoSettings">;
  leavers: LeaverStore;
  index: Pick<AuditIndex, "lastSignIns" | "eventsForTenant">;
  outbox: Pick<Outbox, "send">;
  /** The IdP's side of one person (features/idp-side.ts), null without a connection. */
  idpSide: (tenantId: string, loginId: string) => Promise<IdpSideAnswer | null>;
  log: Logger;
  now: () => number;
  graceMinutes: number;
}

async function factsOf(deps: LeaverDeps, l: Leaver, now: number): Promise<LeaverFacts> {
  const [user, side, last] = await Promise.all([
    deps.descope.loadUser(l.loginId).then(
      (u) => (u ? { status: u.status ?? "enabled" } : ("deleted" as const)),
      () => null,
    ),
    deps.idpSide(l.tenantId, l.loginId).catch(() => null),
    deps.index.lastSignIns([l.loginId]).catch(() => new Map<string, number>()),
  ]);
  return {
    descope: user,
    idp:
      side === null
        ? "none"
        : side.side
          ? { cause: side.side.cause, inScope: side.side.inScope }
          : null,
    lastSignInAt: last.get(l.loginId.toLowerCase()) ?? null,
    now,
  };
}

const tick = (prev: { at: number | null }, v: boolean | null, now: number) => ({
  at: v === true ? (prev.at ?? now) : null,
});

/** A leaver is read again at most this often (Descope's user, the IdP's side). */
const RECHECK_MS = 5 * 60_000;
/** Leavers read per run, least recently read first: ten thousand open leavers never stall a read. */
const PER_RUN = 200;

/**
 * Evaluates open leavers (or those named, at once): each at most every
 * RECHECK_MS, PER_RUN a run, least recently read first. Returns how many were evaluated.
 */
export async function evaluateLeavers(deps: LeaverDeps, ids?: string[]): Promise<number> {
  const now = deps.now();
  let list = await deps.leavers.getMany(ids ?? (await deps.leavers.openIds()));
  if (!ids) {
    const touched = await touchedByTail(deps, list, now);
    list = list
      .filter(
        (r) =>
          touched.has(r.id) ||
          r.leaver.checkedAt === null ||
          now - r.leaver.checkedAt >= RECHECK_MS,
      )
      .sort(
        (a, b) =>
          Number(touched.has(b.id)) - Number(touched.has(a.id)) ||
          (a.leaver.checkedAt ?? 0) - (b.leaver.checkedAt ?? 0),
      )
      .slice(0, PER_RUN);
  }
  let n = 0;
  for (const { id, leaver } of list) {
    if (leaver.closedAt !== null) continue;
    try {
      await evaluateOne(deps, id, leaver, now);
      n++;
    } catch (e) {
      deps.log.warn(
        { kind: "leaver", err: e },
        "a leaver's evaluation failed; the next read retries",
      );
    }
  }
  return n;
}

/**
 * The audit tail's word: a leaver with an audit event since their last read
 * (deactivated, deleted, signed in…) is read again now, not at the next
 * RECHECK_MS. One index read per tenant (Redis, no Descope call).
 */
async function touchedByTail(
  deps: LeaverDeps,
  list: Array<{ id: string; leaver: Leaver }>,
  now: number,
): Promise<Set<string>> {
  const touched = new Set<string>();
  const byTenant = new Map<string, Array<{ id: string; leaver: Leaver }>>();
  for (const r of list)
    if (r.leaver.checkedAt !== null && r.leaver.closedAt === null)
      byTenant.set(r.leaver.tenantId, [...(byTenant.get(r.leaver.tenantId) ?? []), r]);
  for (const [tenantId, rows] of byTenant) {
    const since = Math.min(...rows.map((r) => r.leaver.checkedAt as number));
    const events = await deps.index.eventsForTenant(tenantId, since, now).catch(() => []);
    for (const r of rows)
      if (
        events.some((e) => e.at > (r.leaver.checkedAt as number) && concerns(e, r.leaver.loginId))
      )
        touched.add(r.id);
  }
  return touched;
}

async function evaluateOne(deps: LeaverDeps, id: string, l0: Leaver, now: number) {
  const v = leaverView(l0, await factsOf(deps, l0, now), deps.graceMinutes);
  let l: Leaver = {
    ...l0,
    checkedAt: now,
    status: v.status,
    idpDid: v.idpDid,
    signedInAfter: v.signedInAfter,
    items: {
      idpRemoved: tick(l0.items.idpRemoved, v.items.idpRemoved, now),
      descopeDisabled: tick(l0.items.descopeDisabled, v.items.descopeDisabled, now),
      noSignin: tick(l0.items.noSignin, v.items.noSignin, now),
    },
  };
  const out: Outgoing[] = [];
  const msg = leaverChecklist(l, v);
  const fingerprint = JSON.stringify(msg.blocks);
  if (l.channelId && !l.ts)
    out.push({
      key: `leaver-checklist:${id}:${l.registeredAt}`,
      kind: "leaver_checklist",
      to: { channel: l.channelId },
      message: msg,
      afterSend: async ({ channel, ts }) => {
        l = { ...l, channelId: channel, ts, rendered: fingerprint };
      },
    });
  else if (l.ts && fingerprint !== l.rendered) {
    out.push({
      kind: "leaver_checklist",
      to: { channel: l.channelId },
      edit: { ts: l.ts },
      message: msg,
    });
    l = { ...l, rendered: fingerprint };
  }
  if (v.overdue && !l.alert)
    out.push({
      key: `leaver-enabled:${id}:${l.registeredAt}`,
      kind: "leaver_still_enabled",
      to: { tenantId: l.tenantId, ...(l.channelId ? { fallback: l.channelId } : {}) },
      message: leaverAlert(l, v),
      recent: {
        tenantId: l.tenantId,
        text: `${l.loginId} still enabled after leaving`,
        registeredBy: l.registeredBy,
      },
      afterSend: async ({ channel, ts }) => {
        l = { ...l, alert: { channel, ts, at: now, resolvedAt: null } };
      },
    });
  if (l.alert && l.alert.resolvedAt === null && v.items.descopeDisabled === true)
    out.push({
      key: `leaver-resolved:${id}:${l.registeredAt}`,
      kind: "leaver_resolved",
      to: { channel: l.alert.channel },
      thread: l.alert.ts,
      message: leaverResolved(l),
      afterSend: async () => {
        if (l.alert) l = { ...l, alert: { ...l.alert, resolvedAt: now } };
      },
    });
  if (out.length) await deps.outbox.send(out);
  // Done once everything is ticked and said (an alert stays open until resolved).
  if (v.done && (l.ts || !l.channelId) && (!l.alert || l.alert.resolvedAt !== null))
    l = { ...l, closedAt: now };
  await deps.leavers.save(id, l);
}
