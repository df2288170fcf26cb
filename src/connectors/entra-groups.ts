/** Entra group changes for auto-expect (idp-apis.md E7): who joined which group, and which groups the app is assigned to. */
import * as z from "zod";
import { appAssignments } from "./entra-facts.js";
import type { EntraHttp } from "./entra-http.js";
import { parseAll } from "./read.js";

const auditSchema = z.object({
  id: z.string().nullish(),
  activityDateTime: z.string(),
  activityDisplayName: z.string().default(""),
  result: z.string().nullish(),
  targetResources: z
    .array(
      z.object({
        id: z.string().nullish(),
        displayName: z.string().nullish(),
        type: z.string().nullish(),
        userPrincipalName: z.string().nullish(),
      }),
    )
    .default([]),
});

/** Someone added to (or removed from) a group, in any IdP: when, which group, their login (UPN in Entra). */
export interface GroupJoin {
  at: number;
  groupId: string;
  groupName: string;
  upn: string;
  /** "remove": taken out of the group (leavers); absent or "add": a join. */
  kind?: "add" | "remove";
}

/** One join, when the audit row names a user and a group (IDs only, the name when given). */
export function joinOf(
  at: number,
  group: { id?: string | null; displayName?: string | null },
  upn: string,
  kind: "add" | "remove" = "add",
): GroupJoin[] {
  const id = group.id as string;
  return [
    {
      at,
      groupId: id,
      groupName: group.displayName ?? id,
      upn,
      ...(kind === "remove" ? { kind } : {}),
    },
  ];
}

/**
 * Directory audits appear late (about 2 minutes at the 95th percentile, 5 at
 * the 99th: idp-apis.md E7): every read goes back this far before the last one,
 * and rows seen twice are kept once (by their id).
 */
export const AUDIT_OVERLAP_MS = 15 * 60_000;

/**
 * "Add member to group" and "Remove member from group" between two times (E7,
 * directory audits), oldest first, read to the end of the window: who joined
 * or left which group, when.
 */
export async function groupJoins(
  http: EntraHttp,
  tenant: string,
  since: number,
  until?: number,
): Promise<GroupJoin[]> {
  const upTo =
    until === undefined ? "" : ` and activityDateTime le ${new Date(until).toISOString()}`;
  // Joins and removals in one read: the reports service allows 5 requests per 10 s per tenant.
  const filter = `(activityDisplayName eq 'Add member to group' or activityDisplayName eq 'Remove member from group') and activityDateTime ge ${new Date(since).toISOString()}${upTo}`;
  const seen = new Set<string>();
  const items = parseAll(
    auditSchema,
    (await http.list(
      tenant,
      `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}&$orderby=${encodeURIComponent("activityDateTime asc")}&$top=100`,
      100,
    )) ?? [],
  ).filter((a) => !a.id || (!seen.has(a.id) && Boolean(seen.add(a.id))));
  return items.flatMap((a) => {
    if (a.result && a.result !== "success") return [];
    const user = a.targetResources.find((r) => r.type === "User" && r.userPrincipalName);
    const group = a.targetResources.find((r) => r.type === "Group" && r.id);
    const kind = a.activityDisplayName === "Remove member from group" ? "remove" : "add";
    if (
      a.activityDisplayName &&
      !/^(Add|Remove) member (to|from) group$/.test(a.activityDisplayName)
    )
      return [];
    return user && group
      ? joinOf(Date.parse(a.activityDateTime), group, user.userPrincipalName as string, kind)
      : [];
  });
}

/** The groups assigned to the app (E2), by ID. */
export async function assignedGroupIds(
  http: EntraHttp,
  tenant: string,
  spId: string,
): Promise<Map<string, string>> {
  const a = (await appAssignments(http, tenant, spId)) ?? [];
  return new Map(
    a
      .filter((x) => x.principalType === "Group")
      .map((x) => [x.principalId, x.principalDisplayName ?? x.principalId]),
  );
}
