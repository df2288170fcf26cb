/**
 * One reconciliation, page by page: Descope's users of the tenant (user
 * search by tenant, 500 a page, 100 if Descope refuses more), then the
 * IdP's scope for the app (Entra or Okta), each page staged with the run's
 * cursor so that a stopped run resumes from the last page read; then the
 * one decision (core/reconcile/classify.ts). Used by the bot's job and by
 * `scimwatch reconcile` alike.
 */

import type { EntraHttp } from "../../connectors/entra-http.js";
import {
  type EntraPiece,
  entraStart,
  mergePiece,
  personOfPiece,
  readEntraPage,
} from "../../connectors/entra-scope.js";
import type { OktaHttp } from "../../connectors/okta-http.js";
import { readOktaPage } from "../../connectors/okta-scope.js";
import { type Reconciliation, reconcile } from "../../core/reconcile/classify.js";
import type { DescopePerson } from "../../core/reconcile/model.js";
import type { ReconcileRun } from "../../core/reconcile/run-record.js";
import type { DescopeClient } from "../../descope/client.js";
import { DescopeError } from "../../descope/errors.js";
import type { DescopeUser } from "../../descope/schemas.js";
import type { ReconcileStore } from "../../redis/reconcile-store.js";

/** Where the IdP's side comes from: a connector, or none (Descope's side only). */
export type ScopeSource =
  | { kind: "azure"; http: EntraHttp; entraTenant: string; spId: string; appName: string }
  | { kind: "okta"; http: OktaHttp; appId: string; appName: string }
  | null;

/** Where pages are kept between reads: Redis for the bot, memory for the CLI. */
export type Staging = Pick<ReconcileStore, "idpPieces" | "stagePage" | "staged" | "clearStaged">;

export interface RunDeps {
  descope: Pick<DescopeClient, "searchUsers">;
  /** Last sign-ins scimwatch saw (the audit index), by lower-cased login ID. */
  lastSignIns?: (loginIds: string[]) => Promise<Map<string, number>>;
  staging: Staging;
  now: () => number;
  graceMinutes: number;
}

export const DESCOPE_PAGE = 500;
const DESCOPE_FALLBACK_PAGE = 100;

/** A new run's record. */
export function newRun(o: {
  runId: string;
  tenantId: string;
  tenantName: string;
  source: ScopeSource;
  syncAll?: boolean;
  now: number;
  trigger: ReconcileRun["trigger"];
  requestedBy?: string | null;
  channel?: string | null;
  idpAbout?: number | null;
  /** The tenant is connected but its IdP cannot be read (why). */
  idpUnread?: string | null;
}): ReconcileRun {
  return {
    runId: o.runId,
    tenantId: o.tenantId,
    tenantName: o.tenantName,
    idp: o.source?.kind ?? null,
    appName: o.source?.appName ?? "",
    syncAll: o.syncAll ?? false,
    phase: "descope",
    descopePage: 0,
    descopeLimit: DESCOPE_PAGE,
    descopeRead: 0,
    descopeTotal: null,
    entra: o.source?.kind === "azure" ? entraStart(o.syncAll ?? false) : null,
    oktaNext: null,
    idpRead: 0,
    label: "Reading Descope users",
    idpAbout: o.idpAbout ?? null,
    trigger: o.trigger,
    requestedBy: o.requestedBy ?? null,
    channel: o.channel ?? null,
    ts: null,
    startedAt: o.now,
    updatedAt: o.now,
    finishedAt: null,
    counts: null,
    error: null,
    idpUnread: o.idpUnread ?? null,
    resumed: 0,
  };
}

function descopePersonOf(u: DescopeUser, lastSignIn?: number): DescopePerson {
  return {
    userId: u.userId,
    loginIds: u.loginIds,
    ...(u.email ? { email: u.email } : {}),
    ...(u.name ? { name: u.name } : {}),
    status: u.status ?? "enabled",
    scim: u.SCIM === true,
    ...(u.createdTime ? { createdAt: u.createdTime * 1000 } : {}),
    ...(lastSignIn ? { lastSignInAt: lastSignIn } : {}),
  };
}

/** One page of Descope's users; the run after it. */
async function descopePage(deps: RunDeps, r: ReconcileRun, source: ScopeSource) {
  let ans: Awaited<ReturnType<RunDeps["descope"]["searchUsers"]>>;
  try {
    ans = await deps.descope.searchUsers({
      tenantIds: [r.tenantId],
      limit: r.descopeLimit,
      page: r.descopePage,
    });
  } catch (e) {
    // Descope publishes no largest page: if it refuses ours, read 100 a page (its default) from the start.
    if (e instanceof DescopeError && e.status === 400 && r.descopeLimit > DESCOPE_FALLBACK_PAGE) {
      await deps.staging.clearStaged(r.tenantId);
      return { ...r, descopeLimit: DESCOPE_FALLBACK_PAGE, descopePage: 0, descopeRead: 0 };
    }
    throw e;
  }
  const last = deps.lastSignIns
    ? await deps.lastSignIns(ans.users.flatMap((u) => u.loginIds)).catch(() => new Map())
    : new Map<string, number>();
  const people = ans.users.map((u) =>
    descopePersonOf(
      u,
      Math.max(0, ...u.loginIds.map((l) => last.get(l.toLowerCase()) ?? 0)) || undefined,
    ),
  );
  // A first page shorter than asked while the total says more: Descope capped the page size
  // (its largest is unpublished). Read on at the size it answered, so the pages line up.
  const capped =
    r.descopePage === 0 &&
    ans.users.length > 0 &&
    ans.users.length < r.descopeLimit &&
    ans.total > ans.users.length;
  const limit = capped ? ans.users.length : r.descopeLimit;
  const ended = ans.users.length === 0 || ans.users.length < limit;
  const next: ReconcileRun = {
    ...r,
    descopeLimit: limit,
    descopePage: r.descopePage + 1,
    descopeRead: r.descopeRead + people.length,
    descopeTotal: r.descopeTotal ?? ans.total,
    ...(ended ? { phase: source ? "idp" : "classify", label: labelOfStart(source) } : {}),
    updatedAt: deps.now(),
  };
  await deps.staging.stagePage(next, { descope: people });
  return next;
}

const labelOfStart = (s: ScopeSource) =>
  s?.kind === "azure"
    ? "Reading Entra assignments"
    : s?.kind === "okta"
      ? "Reading Okta app users"
      : "Comparing";

/** One page of the IdP's scope; the run after it. */
async function idpPage(deps: RunDeps, r: ReconcileRun, source: NonNullable<ScopeSource>) {
  let pieces: EntraPiece[];
  let after: Partial<ReconcileRun>;
  if (source.kind === "azure") {
    const cursor = r.entra ?? entraStart(r.syncAll);
    const got = await readEntraPage(source.http, source.entraTenant, source.spId, cursor);
    pieces = got.pieces;
    after = {
      entra: got.cursor,
      label: got.done ? "Comparing" : (labelOf(got.cursor) ?? got.label),
      ...(got.done ? { phase: "classify" as const } : {}),
    };
  } else {
    const got = await readOktaPage(source.http, source.appId, r.oktaNext);
    pieces = got.people;
    after = {
      oktaNext: got.next,
      ...(got.next ? {} : { phase: "classify" as const, label: "Comparing" }),
    };
  }
  // The same person in several lists (assigned directly and via a group): merged by ID.
  const ids = [...new Set(pieces.map((p) => p.id))];
  const before = await deps.staging.idpPieces(r.tenantId, ids);
  const merged = new Map<string, unknown>();
  let added = 0;
  for (const p of pieces) {
    const prev = (merged.get(p.id) ?? before.get(p.id)) as EntraPiece | undefined;
    const m = mergePiece(prev, p);
    if (!m) continue;
    if (!prev) added++;
    merged.set(p.id, m);
  }
  const next: ReconcileRun = { ...r, ...after, idpRead: r.idpRead + added, updatedAt: deps.now() };
  await deps.staging.stagePage(next, { idp: merged });
  return next;
}

/** What the next Entra read is (the step at the head of the queue). */
function labelOf(c: NonNullable<ReconcileRun["entra"]>): string | undefined {
  const s = c.queue[0];
  if (!s) return undefined;
  if (s.list === "assigned") return "Reading Entra assignments";
  if (s.list === "members") return `Reading members of ${s.groupName}`;
  return "Reading Entra users";
}

/**
 * Reads until the run is classified: calls `progress` after every page (the
 * caller decides how often to show it), and returns the reconciliation.
 */
export async function runToEnd(
  deps: RunDeps,
  start: ReconcileRun,
  source: ScopeSource,
  progress: (r: ReconcileRun) => Promise<void> = async () => {},
): Promise<{ run: ReconcileRun; result: Reconciliation }> {
  let r = start;
  while (r.phase === "descope" || r.phase === "idp") {
    r =
      r.phase === "descope"
        ? await descopePage(deps, r, source)
        : await idpPage(deps, r, source as NonNullable<ScopeSource>);
    await progress(r);
  }
  const staged = await deps.staging.staged(r.tenantId);
  const people = (staged.idp as EntraPiece[]).filter((p) => p?.id && p.scope).map(personOfPiece);
  const result = reconcile(
    source ? { idp: source.kind, appName: source.appName, people } : null,
    staged.descope,
    { now: deps.now(), graceMinutes: deps.graceMinutes },
  );
  if (r.idpUnread) result.note = `${r.idpUnread}. ${result.note ?? ""}`.trim();
  const done: ReconcileRun = {
    ...r,
    phase: "done",
    label: "Done",
    counts: result.counts,
    finishedAt: deps.now(),
    updatedAt: deps.now(),
  };
  return { run: done, result };
}

/** Memory staging for one process (the CLI): no resume, the same merging. */
export function memoryStaging(): Staging {
  const idp = new Map<string, unknown>();
  const descope = new Map<string, DescopePerson>();
  return {
    async idpPieces(_t, ids) {
      return new Map(ids.flatMap((i) => (idp.has(i) ? [[i, idp.get(i)] as const] : [])));
    },
    async stagePage(_r, page) {
      for (const [k, v] of page.idp ?? []) idp.set(k, v);
      for (const d of page.descope ?? []) descope.set(d.userId, d);
    },
    async staged() {
      return { idp: [...idp.values()], descope: [...descope.values()] };
    },
    async clearStaged() {
      idp.clear();
      descope.clear();
    },
  };
}
