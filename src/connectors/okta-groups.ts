/**
 * Okta group changes for auto-expect (idp-apis.md O4/O5): who joined which
 * group (System Log `group.user_membership.add`, a bounded since/until query),
 * and which groups the app is assigned to. Targets are found by type, never by
 * position; bodies are checked with zod.
 */
import { type GroupJoin, joinOf } from "./entra-groups.js";
import { appGroupsFrom, appGroupsPath, logEventSchema } from "./okta-facts.js";
import type { OktaHttp } from "./okta-http.js";
import { parseAll } from "./read.js";

/** Successful "added to group" events between two times (ms), oldest first. */
export async function oktaGroupJoins(
  http: OktaHttp,
  since: number,
  until: number,
): Promise<GroupJoin[]> {
  // Joins and removals in one read (the System Log's budget is 120 a minute).
  const filter =
    'eventType eq "group.user_membership.add" or eventType eq "group.user_membership.remove"';
  const path = `/api/v1/logs?since=${encodeURIComponent(new Date(since).toISOString())}&until=${encodeURIComponent(new Date(until).toISOString())}&filter=${encodeURIComponent(filter)}&sortOrder=ASCENDING&limit=1000`;
  // Following Okta's next links to the end of the window; the caller re-reads an overlap
  // (late events), so an event seen twice is kept once, by its uuid.
  const seen = new Set<string>();
  const events = parseAll(logEventSchema, (await http.list(path, 100)) ?? []).filter(
    (e) => !e.uuid || (!seen.has(e.uuid) && Boolean(seen.add(e.uuid))),
  );
  return events.flatMap((e) => {
    const kind = e.eventType === "group.user_membership.remove" ? "remove" : "add";
    if (e.eventType && !e.eventType.startsWith("group.user_membership.")) return [];
    if (e.outcome?.result && e.outcome.result !== "SUCCESS") return [];
    const user = e.target?.find((t) => t.type === "User" && t.alternateId);
    const group = e.target?.find((t) => t.type === "UserGroup" && t.id);
    const at = Date.parse(e.published);
    return user && group && Number.isFinite(at)
      ? joinOf(at, group, user.alternateId as string, kind)
      : [];
  });
}

/** The groups assigned to the app, by ID. */
export async function oktaAssignedGroups(
  http: OktaHttp,
  appId: string,
): Promise<Map<string, string>> {
  return new Map(appGroupsFrom(await http.list(appGroupsPath(appId))).map((g) => [g.id, g.name]));
}
