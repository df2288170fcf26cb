/**
 * Who Entra ID has in scope for the app, read page by page so that a run can
 * stop and resume (idp-apis.md E2, E7): the app's assignments
 * (appRoleAssignedTo), the users assigned directly, and each assigned
 * group's members, following nested groups to flag the people Entra will
 * not provision (it reads direct members only; assigned groups must be
 * security-enabled). Under "sync all users" everyone in the directory is in
 * scope. One page per call; the cursor is plain data to store.
 */
import * as z from "zod";
import type { IdpPerson } from "../core/reconcile/model.js";
import { ConnectorError, type EntraHttp } from "./entra-http.js";
import { parseAll } from "./read.js";

/** One list still to read. */
export type EntraStep =
  | { list: "assigned" }
  | { list: "users"; ids: string[] }
  | { list: "all_users"; enrichOnly: boolean }
  | { list: "members"; groupId: string; groupName: string; top: string; nested: boolean };

export interface EntraCursor {
  queue: EntraStep[];
  /** The current list's next page (Graph's nextLink, followed verbatim), or null to start it. */
  next: string | null;
  /** Groups already queued (nesting can loop). */
  seen: string[];
  /** Direct user assignments found so far (for the users step). */
  direct: string[];
}

export const entraStart = (syncAll: boolean): EntraCursor => ({
  queue: syncAll ? [{ list: "all_users", enrichOnly: false }] : [{ list: "assigned" }],
  next: null,
  seen: [],
  direct: [],
});

const USER_FIELDS = "id,userPrincipalName,mail,accountEnabled";
/** Graph's `in` takes at most 15 values; past this many direct users, the whole directory is read once instead. */
const IN_CHUNK = 15;
const DIRECT_BY_ID_MAX = 450;

const assignmentSchema = z.object({
  principalId: z.string(),
  principalType: z.string(),
  principalDisplayName: z.string().nullish(),
  createdDateTime: z.string().nullish(),
});
const memberSchema = z.object({
  "@odata.type": z.string().optional(),
  id: z.string(),
  userPrincipalName: z.string().nullish(),
  mail: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  displayName: z.string().nullish(),
});
const groupSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  securityEnabled: z.boolean().nullish(),
});
const pageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
});

/** A partial person: what one list says about them (merged by ID across lists). */
export type EntraPiece = Partial<IdpPerson> & { id: string; enrichOnly?: boolean };

const personOf = (u: z.infer<typeof memberSchema>, extra: Partial<IdpPerson>): EntraPiece => ({
  id: u.id,
  loginId: u.userPrincipalName ?? u.mail ?? u.id,
  names: [u.userPrincipalName, u.mail].filter((n): n is string => Boolean(n)),
  enabled: u.accountEnabled ?? null,
  ...extra,
});

function stepLabel(s: EntraStep): string {
  if (s.list === "assigned") return "Reading Entra assignments";
  if (s.list === "members") return `Reading members of ${s.groupName}`;
  return "Reading Entra users";
}

/** The first page's path of a step. */
function firstPath(s: EntraStep, spId: string): string {
  switch (s.list) {
    case "assigned":
      return `/servicePrincipals/${spId}/appRoleAssignedTo?$top=999`;
    case "users":
      return `/users?$filter=${encodeURIComponent(`id in (${s.ids.map((i) => `'${i}'`).join(",")})`)}&$select=${USER_FIELDS}&$top=999`;
    case "all_users":
      return `/users?$select=${USER_FIELDS}&$top=999`;
    case "members":
      return `/groups/${s.groupId}/members?$select=${USER_FIELDS},displayName,securityEnabled&$top=999`;
  }
}

/**
 * Reads one page of the first list in the cursor: the pieces of people it
 * names, the cursor after it, and what it was reading. `done` once every
 * list is read. A 404 on the assignments means the app is gone (an error,
 * never "nobody is assigned").
 */
export async function readEntraPage(
  http: EntraHttp,
  tenant: string,
  spId: string,
  cursor: EntraCursor,
): Promise<{ pieces: EntraPiece[]; cursor: EntraCursor; label: string; done: boolean }> {
  const c: EntraCursor = structuredClone(cursor);
  const step = c.queue[0];
  if (!step) return { pieces: [], cursor: c, label: "Done", done: true };
  const pieces: EntraPiece[] = [];
  let security = true;
  if (step.list === "members" && !step.nested && c.next === null) {
    // An assigned group must be security-enabled for Entra to provision its members.
    const g = groupSchema.safeParse(
      await http.get(tenant, `/groups/${step.groupId}?$select=id,displayName,securityEnabled`),
    );
    security = !g.success || g.data.securityEnabled !== false;
    if (!security) c.seen.push(`nosec:${step.groupId}`);
  } else if (step.list === "members" && !step.nested)
    security = !c.seen.includes(`nosec:${step.groupId}`);

  const json = await http.get(tenant, c.next ?? firstPath(step, spId));
  if (json === null) {
    if (step.list === "assigned")
      throw new ConnectorError(
        "bad_response",
        "the enterprise app is gone in Entra (its service principal answers 404): connect the tenant again",
      );
    // A group deleted since it was listed: nothing to read there.
    c.queue.shift();
    c.next = null;
    return { pieces, cursor: c, label: stepLabel(step), done: c.queue.length === 0 };
  }
  const page = pageSchema.safeParse(json);
  if (!page.success)
    throw new ConnectorError("bad_response", "Graph answered a scope list with an unexpected body");

  if (step.list === "assigned") {
    for (const a of parseAll(assignmentSchema, page.data.value)) {
      if (a.principalType === "User") {
        c.direct.push(a.principalId);
        const since = a.createdDateTime ? Date.parse(a.createdDateTime) : Number.NaN;
        pieces.push({
          id: a.principalId,
          loginId: a.principalDisplayName ?? a.principalId,
          scope: "direct",
          ...(Number.isFinite(since) ? { since } : {}),
        });
      } else if (a.principalType === "Group" && !c.seen.includes(a.principalId)) {
        c.seen.push(a.principalId);
        const name = a.principalDisplayName ?? a.principalId;
        c.queue.push({
          list: "members",
          groupId: a.principalId,
          groupName: name,
          top: name,
          nested: false,
        });
      }
    }
  } else if (step.list === "members") {
    for (const m of parseAll(memberSchema, page.data.value)) {
      const type = m["@odata.type"] ?? "#microsoft.graph.user";
      if (type === "#microsoft.graph.group") {
        if (c.seen.includes(m.id)) continue;
        c.seen.push(m.id);
        const name = m.displayName ?? m.id;
        c.queue.push({
          list: "members",
          groupId: m.id,
          groupName: name,
          top: step.top,
          nested: true,
        });
      } else if (type === "#microsoft.graph.user") {
        pieces.push(
          personOf(m, {
            scope: step.nested ? "nested" : security ? "group" : "not_security",
            via: step.nested ? `${step.groupName} in ${step.top}` : step.groupName,
          }),
        );
      }
    }
  } else {
    const enrichOnly = step.list === "all_users" && step.enrichOnly;
    for (const u of parseAll(memberSchema, page.data.value))
      pieces.push({
        ...personOf(u, step.list === "all_users" && !enrichOnly ? { scope: "all" } : {}),
        ...(enrichOnly || step.list === "users" ? { enrichOnly: true } : {}),
      });
  }

  c.next = page.data["@odata.nextLink"] ?? null;
  if (c.next === null) {
    c.queue.shift();
    // The assignments are read: the users assigned directly still need their names and state.
    if (step.list === "assigned" && c.direct.length) {
      const users: EntraStep[] =
        c.direct.length > DIRECT_BY_ID_MAX
          ? [{ list: "all_users", enrichOnly: true }]
          : Array.from({ length: Math.ceil(c.direct.length / IN_CHUNK) }, (_, i) => ({
              list: "users" as const,
              ids: c.direct.slice(i * IN_CHUNK, (i + 1) * IN_CHUNK),
            }));
      c.queue.unshift(...users);
      c.direct = [];
    }
  }
  return { pieces, cursor: c, label: stepLabel(step), done: c.queue.length === 0 };
}

const RANK: Record<IdpPerson["scope"], number> = {
  direct: 5,
  group: 4,
  all: 3,
  not_security: 2,
  nested: 1,
};

/**
 * Two pieces of the same person merged: the strongest scope wins (direct, an
 * assigned group, sync all, a group that is not security-enabled, nested),
 * names and state come from whichever list read the user.
 */
export function mergePiece(a: EntraPiece | undefined, b: EntraPiece): EntraPiece | null {
  if (!a) return b.enrichOnly ? null : b;
  const scopeFrom = b.scope && (!a.scope || RANK[b.scope] > RANK[a.scope]) ? b : a;
  const named = b.names?.length ? b : a;
  return {
    ...a,
    ...(named.names ? { names: named.names, loginId: named.loginId ?? a.loginId } : {}),
    ...(b.enabled !== undefined && b.enabled !== null ? { enabled: b.enabled } : {}),
    ...(scopeFrom.scope ? { scope: scopeFrom.scope, via: scopeFrom.via } : {}),
    ...(scopeFrom.since !== undefined ? { since: scopeFrom.since } : {}),
    id: a.id,
  };
}

/** A merged piece as a person (scope defaults to direct; unread state is null). */
export const personOfPiece = (p: EntraPiece): IdpPerson => ({
  id: p.id,
  loginId: p.loginId ?? p.id,
  names: p.names ?? [],
  enabled: p.enabled ?? null,
  scope: p.scope ?? "direct",
  via: p.via,
  since: p.since,
  appStatus: p.appStatus,
  syncState: p.syncState,
});
