/**
 * The first half of an evaluation: what changed for each open hire. Closes
 * hires past their horizon, reads Descope's user records only for the hires
 * whose state can have changed (core/hires/slice.ts decides which, the hire
 * falling due first, within the run's share of the budget), and applies what
 * it read (core/hires/evaluate.ts observe). A refused search ends the reading,
 * never the run: what was read counts, the rest is read first next time.
 */
import type { AuditEvent, UserFacts } from "../../core/diagnosis/facts.js";
import { scimAliases } from "../../core/diagnosis/identity.js";
import type { Hire } from "../../core/hires/model.js";
import {
  closesAt,
  DEFAULT_HORIZON_DAYS,
  eventsSeen,
  type UserCheck,
  usersToLoad,
} from "../../core/hires/slice.js";
import { dueAt, type HireView, hireState, observe } from "../../core/hires/state.js";
import type { DescopeClient } from "../../descope/client.js";
import { toUserFacts } from "../../descope/events.js";
import type { DescopeUser } from "../../descope/schemas.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import { hasEmail, preferredUser } from "../check/find-person.js";

export interface ObserveDeps {
  hires: HireStore;
  index: AuditIndex;
  /** The background client: its searches leave the budget's reserve to checks. */
  descope: DescopeClient;
  log: Logger;
  graceMinutes: number;
  /** Most login IDs whose users one run loads (default 2,000: 20 searches). */
  maxUserLoads?: number;
  /** A hire's user is read again after this long even when nothing happened (default 30 min). */
  refreshMs?: number;
  /** Days an open hire is watched before it is closed (default 30). */
  horizonDays?: number;
}

const DEFAULT_MAX_USER_LOADS = 2_000;
const DEFAULT_REFRESH_MS = 30 * 60_000;

interface Observed {
  views: Map<string, HireView>;
  touchedBatches: Set<string>;
  /** The latest read of each hire's user (this run's, or an earlier one). */
  checkOf: (id: string) => UserCheck | null;
  counts: { evaluated: number; changed: number; loaded: number; closed: number; deferred: number };
}

/** Hires looked for under other identifiers per run (at most 10 searches), in the slice's order. */
const MAX_ELSEWHERE = 500;

/** Login IDs per user search (the search takes up to 100). */
const SEARCH_IDS = 100;

/** The login IDs a hire is looked up by: as registered and lower-cased (found whichever way Descope stored it). */
function idsOf(h: Hire): string[] {
  const lower = h.loginId.toLowerCase();
  return lower === h.loginId ? [h.loginId] : [h.loginId, lower];
}

/**
 * Loads the user records of these hires, 100 login IDs per search. A refused
 * or failed search ends the loading, not the evaluation: the hires loaded so
 * far count (what was done stays done), the rest wait for the next run.
 */
async function loadUsers(
  deps: Pick<ObserveDeps, "descope" | "log">,
  hires: Hire[],
): Promise<{ users: Map<string, UserFacts>; loaded: Set<Hire>; refused: string | null }> {
  const users = new Map<string, UserFacts>();
  const loaded = new Set<Hire>();
  let batch: Hire[] = [];
  let ids: string[] = [];
  const flush = async () => {
    const { users: found } = await deps.descope.searchUsers({ loginIds: ids, limit: SEARCH_IDS });
    for (const u of found) for (const l of u.loginIds) users.set(l.toLowerCase(), toUserFacts(u));
    for (const h of batch) loaded.add(h);
    batch = [];
    ids = [];
  };
  try {
    for (const h of hires) {
      const mine = idsOf(h);
      if (ids.length + mine.length > SEARCH_IDS) await flush();
      batch.push(h);
      ids.push(...mine);
    }
    if (ids.length) await flush();
    return { users, loaded, refused: null };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    deps.log.warn(
      { kind: "evaluation", loaded: loaded.size, waiting: hires.length - loaded.size, err: e },
      "user look-ups stopped; the rest wait for the next run",
    );
    return { users, loaded, refused: why };
  }
}

/**
 * Hires not found by login ID once they fall due: the person may be in
 * Descope under another identifier (identity resolution, as in
 * features/check/find-person.ts), by e-mail, then by the userName on the IdP's
 * SCIM rows naming them (from the index, free). A search per 100 such hires,
 * only for those due or named so by SCIM rows, so the common case costs
 * nothing more. A failed search leaves them as they were.
 */
async function loadElsewhere(
  deps: Pick<ObserveDeps, "descope" | "log">,
  hires: Array<{ h: Hire; alias: string | undefined }>,
): Promise<Map<Hire, UserFacts>> {
  const out = new Map<Hire, UserFacts>();
  const search = async (list: Array<{ h: Hire; key: string }>, by: "emails" | "loginIds") => {
    for (let i = 0; i < list.length; i += SEARCH_IDS) {
      const chunk = list.slice(i, i + SEARCH_IDS);
      const { users } = await deps.descope.searchUsers({
        [by]: chunk.map((c) => c.key),
        limit: SEARCH_IDS,
      });
      for (const { h, key } of chunk) {
        const match = (u: DescopeUser) =>
          by === "emails"
            ? hasEmail(u, key)
            : u.loginIds.some((l) => l.toLowerCase() === key.toLowerCase());
        const u = preferredUser(users.filter(match), h.tenantId);
        if (u) out.set(h, toUserFacts(u));
      }
    }
  };
  try {
    await search(
      hires
        .filter(({ h }) => h.loginId.includes("@"))
        .map(({ h }) => ({ h, key: h.loginId.toLowerCase() })),
      "emails",
    );
    await search(
      hires.flatMap(({ h, alias }) => (!out.has(h) && alias ? [{ h, key: alias }] : [])),
      "loginIds",
    );
  } catch (e) {
    deps.log.warn({ kind: "evaluation", err: e }, "look-ups under other identifiers stopped");
  }
  return out;
}

export async function observeHires(
  deps: ObserveDeps,
  all: Array<{ id: string; hire: Hire }>,
  now: number,
): Promise<Observed> {
  const counts = { evaluated: 0, changed: 0, loaded: 0, closed: 0, deferred: 0 };
  // Past the horizon: closed, said on the checklist, never looked up again.
  const horizonDays = deps.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const touchedBatches = new Set<string>();
  const records: typeof all = [];
  for (const r of all) {
    if (r.hire.closedAt || now < closesAt(r.hire, horizonDays)) {
      if (!r.hire.closedAt) records.push(r);
      continue;
    }
    const closed = await deps.hires.update(r.id, (h) =>
      h.closedAt || hireState(h, now, deps.graceMinutes).status === "complete"
        ? null
        : { ...h, closedAt: closesAt(h, horizonDays) },
    );
    if (closed?.closedAt) {
      await deps.hires.closeUnfinished(r.id);
      touchedBatches.add(closed.batchId);
      counts.closed++;
    }
  }

  // What the index holds for each, and when each user was last read.
  const checks = await deps.hires.userChecks(records.map((r) => r.id));
  const eventsOf = new Map<string, AuditEvent[]>();
  for (let i = 0; i < records.length; i += 200) {
    const chunk = records.slice(i, i + 200);
    const lists = await Promise.all(
      chunk.map((r) => deps.index.eventsFor(r.hire.loginId, now, checks.get(r.id)?.userId)),
    );
    for (const [k, r] of chunk.entries()) eventsOf.set(r.id, lists[k] ?? []);
  }

  // Users are loaded only where the state can change (core/hires/slice.ts), within the run's share.
  const pick = new Set(
    usersToLoad(
      records.map(({ id, hire }) => ({
        id,
        cost: idsOf(hire).length,
        dueAt: dueAt(hire, deps.graceMinutes),
        alertPending: !hire.alert && !hire.dismissed,
        check: checks.get(id) ?? null,
        seen: eventsSeen(eventsOf.get(id) ?? []),
      })),
      now,
      {
        maxIds: deps.maxUserLoads ?? DEFAULT_MAX_USER_LOADS,
        refreshMs: deps.refreshMs ?? DEFAULT_REFRESH_MS,
      },
    ),
  );
  const byId = new Map(records.map((r) => [r.id, r]));
  const toLoad = [...pick].map((id) => byId.get(id)?.hire).filter((h): h is Hire => Boolean(h));
  const { users, loaded } = await loadUsers(deps, toLoad);
  // Not found by login ID: looked for under other identifiers once due, or as soon as the
  // IdP's SCIM rows name them under another one (the check would find them there too).
  const idOf = new Map(records.map((r) => [r.hire, r.id]));
  const aliasOf = (h: Hire) =>
    scimAliases(h.loginId, eventsOf.get(idOf.get(h) ?? "") ?? []).loginIds[0];
  const elsewhere = await loadElsewhere(
    deps,
    toLoad
      .filter((h) => loaded.has(h) && !users.has(h.loginId.toLowerCase()))
      .map((h) => ({ h, alias: aliasOf(h) }))
      .filter(({ h, alias }) => alias !== undefined || dueAt(h, deps.graceMinutes) <= now)
      .slice(0, MAX_ELSEWHERE),
  );
  counts.loaded = loaded.size;
  counts.deferred = pick.size - loaded.size;

  const views = new Map<string, HireView>();
  const newChecks = new Map<string, UserCheck>();
  for (const { id, hire } of records) {
    counts.evaluated++;
    let next: Hire | null = hire;
    if (loaded.has(hire)) {
      const user = users.get(hire.loginId.toLowerCase()) ?? elsewhere.get(hire) ?? null;
      // Rows about the user's Descope ID (written by an admin) count too, once it is known.
      const known = checks.get(id)?.userId;
      const events =
        user && user.userId !== known
          ? await deps.index.eventsFor(hire.loginId, now, user.userId)
          : (eventsOf.get(id) ?? []);
      eventsOf.set(id, events);
      newChecks.set(id, {
        at: now,
        seen: eventsSeen(events),
        ...(user ? { userId: user.userId } : {}),
      });
      const lastSignIn =
        events.filter((e) => e.action === "LoginSucceed").reduce((m, e) => Math.max(m, e.at), 0) ||
        null;
      const obs = { user, events, lastSignIn };
      const unchanged = (h: Hire, o: Hire) => JSON.stringify(o) === JSON.stringify(h);
      if (!unchanged(hire, observe(hire, obs, now))) {
        next = await deps.hires.update(id, (h) => {
          const o = observe(h, obs, now);
          return unchanged(h, o) ? null : o;
        });
        if (next) counts.changed++;
      }
    }
    if (!next) continue;
    const v = hireState(next, now, deps.graceMinutes);
    views.set(id, v);
    touchedBatches.add(next.batchId);
    if (v.status === "complete") await deps.hires.markDone(id, now);
  }
  await deps.hires.saveUserChecks(newChecks);
  return {
    views,
    touchedBatches,
    checkOf: (id) => newChecks.get(id) ?? checks.get(id) ?? null,
    counts,
  };
}
