/** The Entra ID rules of idp-apis.md §4: assignment, then the job, then the push. Pure. */
import { assignmentEvidence, type IdpSide, sideOf } from "./model.js";
import { type EntraJobState, entraNextCycle } from "./next-cycle.js";

export interface EntraGroup {
  id: string;
  displayName: string;
  securityEnabled?: boolean | undefined;
}

export interface EntraFacts {
  appName: string;
  /** The service principal answered 404 (Request_ResourceNotFound): the app was deleted or recreated. */
  appMissing?: boolean | undefined;
  user: { id: string; upn: string; accountEnabled?: boolean | undefined } | null;
  /** Who is assigned to the app (E2). */
  assignments: Array<{
    principalId: string;
    principalType: string;
    principalDisplayName?: string | undefined;
    createdDateTime?: string | undefined;
  }>;
  /** The user's direct groups (or null when not readable), and transitive ones. */
  directGroups: EntraGroup[] | null;
  transitiveGroups: EntraGroup[];
  /** The assigned groups' securityEnabled, when read. */
  assignedGroups: EntraGroup[];
  /**
   * Why the provisioning logs could not be read (a missing permission or licence,
   * Graph's throttling, the shared reports budget), or undefined when they were.
   */
  logsUnread?: string | undefined;
  /** When the facts were read (epoch ms): how old a direct assignment is, against the logs' 30 days. */
  readAt?: number | undefined;
  /** How far the logs were read when no row of this user was found (pages, and whether the list ended). */
  logsReach?: { pages: number; ended: boolean } | undefined;
  /** Provisioning log entries for this user and app, newest first (E5), or null when not readable. */
  logs: Array<{
    at: string;
    action: string;
    status: string;
    errorCode?: string | undefined;
    reason?: string | undefined;
    skipReason?: string | undefined;
  }> | null;
  /** The provisioning job (E6), or null when there is none / not readable. */
  job:
    | (EntraJobState & {
        quarantineReason?: string | undefined;
        quarantineError?: string | undefined;
      })
    | null;
}

/** How long Entra keeps provisioning logs (idp-apis.md E5, with P1/P2). */
const LOG_RETENTION_MS = 30 * 86_400_000;

export function decideEntra(f: EntraFacts, loginId: string): IdpSide {
  const app = f.appName;
  const side = sideOf("azure");
  if (f.appMissing)
    return side(
      "app_not_found",
      `The enterprise app ${app} that this tenant's connection names no longer exists in Entra ID (deleted, or recreated with a new ID): scimwatch cannot tell who is assigned.`,
      [`Graph answered 404 (Request_ResourceNotFound) for ${app}'s service principal`],
      "Reconnect the tenant to the app that provisions Descope now: `/scim connect <tenant> entra app=<name or appId>`.",
    );
  if (!f.user)
    return side(
      "not_in_idp",
      `${loginId} does not exist in Entra ID (no user with this UPN or mail).`,
      [`No Entra user has userPrincipalName or mail ${loginId}`],
      "Check the spelling, or create the user in Entra ID; if they sign in with another address, map the same attribute for SSO and SCIM.",
    );
  const u = f.user;
  if (u.accountEnabled === false)
    return side(
      "user_disabled_in_idp",
      `${u.upn} is disabled in Entra ID: the provisioning job skips them (NotEffectivelyEntitled).`,
      [`accountEnabled is false for ${u.upn}`],
      "Enable the account in Entra ID (Users › the user › Edit properties › Account enabled), then Provision on demand.",
    );
  const assignedGroups = new Map(
    f.assignments
      .filter((a) => a.principalType === "Group")
      .map((a) => [a.principalId, a.principalDisplayName ?? a.principalId] as const),
  );
  const direct = f.assignments.find((a) => a.principalType === "User" && a.principalId === u.id);
  let how: string;
  if (direct) {
    how = `assigned to ${app} directly${direct.createdDateTime ? ` since ${direct.createdDateTime}` : ""}`;
  } else {
    const transitiveHit = f.transitiveGroups.filter((g) => assignedGroups.has(g.id));
    // Without the direct groups, a transitive hit cannot be told from a direct one: assume direct.
    const directHit =
      f.directGroups === null
        ? transitiveHit
        : f.directGroups.filter((g) => assignedGroups.has(g.id));
    if (directHit.length) {
      // Every assigned group the user is directly in counts: one security-enabled group is enough.
      const infoOf = (g: EntraGroup) => f.assignedGroups.find((x) => x.id === g.id) ?? g;
      const g =
        directHit.find((x) => infoOf(x).securityEnabled !== false) ?? (directHit[0] as EntraGroup);
      const info = infoOf(g);
      if (info.securityEnabled === false)
        return side(
          "group_not_security_enabled",
          `${u.upn} is in ${g.displayName}, which is assigned to ${app}, but ${g.displayName} is not security-enabled: Entra provisions only security-enabled groups.`,
          [
            `${u.upn} is a direct member of ${g.displayName}`,
            `${g.displayName} is assigned to ${app}`,
            `${g.displayName}: securityEnabled is false`,
          ],
          `Assign a security group to ${app} instead (Enterprise apps › ${app} › Users and groups), with ${u.upn} in it.`,
        );
      how = `assigned to ${app} through the group ${g.displayName}`;
    } else if (transitiveHit.length) {
      const outer = transitiveHit[0] as EntraGroup;
      const inner = (f.directGroups ?? []).map((g) => g.displayName);
      return side(
        "nested_group_only",
        `${u.upn} is in ${outer.displayName} only through a nested group${inner.length ? ` (${inner.join(", ")})` : ""}: Entra provisions only direct members of an assigned group, so they will never be pushed.`,
        [
          `${outer.displayName} is assigned to ${app}`,
          `${u.upn} is a member of ${outer.displayName} only through ${inner.join(", ") || "a nested group"}`,
        ],
        `Add ${u.upn} to ${outer.displayName} directly, or assign ${inner[0] ?? "their own group"} to ${app} (Enterprise apps › ${app} › Users and groups › Add user/group).`,
      );
    } else if (
      f.logs?.some((l) => !(l.status === "skipped" && l.skipReason === "NotEffectivelyEntitled"))
    ) {
      // Not assigned, yet Entra processed them: the job syncs all users and groups (a scope a
      // read-only connector cannot read). The rows are believed over the assignment rule.
      how = `not assigned to ${app}, but in the provisioning job's scope (it syncs all users and groups)`;
    } else {
      const groups = [...assignedGroups.values()];
      const mine = (f.directGroups ?? f.transitiveGroups).map((g) => g.displayName);
      return side(
        "not_assigned",
        `${u.upn} is not assigned to ${app}, directly or through a group${groups.length ? ` (the app is assigned to ${groups.slice(0, 3).join(", ")})` : ""}: Entra will never push them (unless its job syncs all users and groups, and no provisioning row of theirs says so).`,
        assignmentEvidence(app, u.upn, groups, mine),
        groups.length
          ? `Add ${u.upn} to ${groups[0]}${mine[0] ? `, or assign ${mine[0]} to ${app}` : ""} (Enterprise apps › ${app} › Users and groups).`
          : `Assign a group with ${u.upn} in it to ${app} (Enterprise apps › ${app} › Users and groups › Add user/group).`,
      );
    }
  }
  // From here on they are assigned: every answer says so, whatever else could not be read.
  const assignedSide = (...a: Parameters<typeof side>) => ({ ...side(...a), inScope: true });
  const job = f.job;
  if (job?.code === "Quarantine")
    return assignedSide(
      "job_quarantined",
      `${u.upn} is ${how}, but ${app}'s provisioning job is in quarantine${job.quarantineReason ? ` (${job.quarantineReason})` : ""}: nothing is pushed until it is fixed.`,
      [
        `Provisioning job status: Quarantine${job.quarantineReason ? `, reason ${job.quarantineReason}` : ""}`,
        ...(job.quarantineError ? [`Error: ${job.quarantineError}`] : []),
        ...(job.nextAttempt ? [`Next attempt: ${job.nextAttempt}`] : []),
      ],
      `Fix the cause (most often an expired or revoked Descope access key: paste a new one in ${app} › Provisioning › Admin credentials, Test connection, Save), then Restart provisioning.`,
    );
  if (job && ["Paused", "NotConfigured", "NotRun"].includes(job.code))
    return assignedSide(
      "job_paused",
      `${u.upn} is ${how}, but ${app}'s provisioning job is ${job.code}: nothing is pushed.`,
      [`Provisioning job status: ${job.code}`],
      `Start provisioning: Enterprise apps › ${app} › Provisioning › Start provisioning.`,
    );
  const last = f.logs?.find((l) => !(l.status === "skipped" && l.skipReason === "RedundantExport"));
  if (last?.status === "failure")
    return assignedSide(
      "push_failed",
      `${u.upn} is ${how}; Entra tried to push them at ${last.at} and it failed: ${last.errorCode ?? "error"}${last.reason ? ` — ${last.reason}` : ""}.`,
      [
        `Provisioning log ${last.at}: ${last.action} failure ${last.errorCode ?? ""}${last.reason ? `: ${last.reason}` : ""}`,
      ],
      last.errorCode && /Conflict|Duplicate/.test(last.errorCode)
        ? "A user with the same userName or email already exists in Descope (JIT or created by hand): remove the duplicate, then Provision on demand."
        : last.errorCode && /Unauthorized|InsufficientRights/.test(last.errorCode)
          ? `The Descope access key in ${app}'s provisioning credentials is refused: rotate it, then Restart provisioning.`
          : `Fix what the error says (attribute mappings, required attributes), then Provision on demand.`,
    );
  if (last?.status === "skipped")
    return assignedSide(
      "push_skipped",
      `${u.upn} is ${how}; Entra skipped them at ${last.at}${last.skipReason ? ` (${last.skipReason})` : ""}.`,
      [
        `Provisioning log ${last.at}: ${last.action} skipped ${last.skipReason ?? last.errorCode ?? ""}`,
      ],
      last.skipReason === "AttributeValidationFailed"
        ? "A required attribute is missing on the Entra user (often mail): fill it or fix the mapping, then Provision on demand."
        : `Check the user is in scope of ${app}'s provisioning (Provisioning › Provision on demand shows the scoping step).`,
    );
  if (last?.status === "success" || last?.status === "warning")
    return assignedSide(
      "pushed",
      `${u.upn} is ${how}; Entra pushed them at ${last.at} (${last.action}, ${last.status}).`,
      [`Provisioning log ${last.at}: ${last.action} ${last.status}`],
      null,
    );
  if (f.logs === null || f.logsUnread)
    return assignedSide(
      "idp_unreadable",
      `${u.upn} is ${how}, but scimwatch could not read Entra's provisioning logs, so it cannot tell whether Entra pushed them, failed, or has not got to them yet: ${f.logsUnread ?? "the logs were not readable"}.`,
      [`Provisioning logs not read: ${f.logsUnread ?? "not readable"}`],
      f.logsUnread && /throttl|limit/i.test(f.logsUnread)
        ? "Check again in a minute, when Graph's limit allows the provisioning logs."
        : `Grant scimwatch's Entra app AuditLog.Read.All and Directory.Read.All (admin consent), on a tenant with Entra ID P1 or P2; meanwhile, Enterprise apps › ${app} › Provisioning logs shows the row.`,
    );
  if (f.logsReach && !f.logsReach.ended)
    return assignedSide(
      "idp_unreadable",
      `${u.upn} is ${how}, but no provisioning log row of theirs was found in the newest ${f.logsReach.pages} pages read (the bound), so scimwatch cannot tell what Entra did.`,
      [
        `No provisioning log row for ${u.upn} in the newest ${f.logsReach.pages} pages (more exist)`,
      ],
      `Look them up in Enterprise apps › ${app} › Provisioning logs, or push now with Provision on demand.`,
    );
  // Entra keeps 30 days of provisioning logs, and incremental cycles act only on changes: someone
  // assigned long before that and unchanged since has no row, which is not "not processed yet".
  const assignedAt = direct?.createdDateTime ? Date.parse(direct.createdDateTime) : Number.NaN;
  if (f.readAt !== undefined && f.readAt - assignedAt > LOG_RETENTION_MS)
    return assignedSide(
      "idp_unreadable",
      `${u.upn} is ${how}, and has no provisioning log row in the 30 days Entra keeps: Entra processed them before that (or has skipped them, unchanged, since), so the logs cannot say what it did.`,
      [
        `No provisioning log row for ${u.upn} in Entra's 30 days of logs; assigned ${direct?.createdDateTime}`,
      ],
      `Provision on demand shows where they stand now: Enterprise apps › ${app} › Provisioning › Provision on demand › ${u.upn}.`,
    );
  // When the job really runs next (E6), not a fixed 40 minutes.
  const next = job ? entraNextCycle(job) : null;
  const when =
    next?.kind === "at"
      ? `the next cycle starts about ${new Date(next.at).toISOString().slice(0, 16).replace("T", " ")} UTC and pushes them`
      : next?.kind === "initial"
        ? "the job's initial cycle is still running (it reads everyone in scope once and can take hours); they are pushed during or after it"
        : next?.kind === "running"
          ? "a cycle is running now and should push them"
          : "the next cycle (about every 40 minutes) pushes them";
  const waiting = assignedSide(
    "waiting_for_cycle",
    `${u.upn} is ${how}; Entra has not processed them yet${job?.lastExecutionEnded ? ` (last cycle ended ${job.lastExecutionEnded})` : ""}: ${when}.`,
    [
      `No provisioning log entry for ${u.upn} yet`,
      ...(job?.interval ? [`Provisioning job schedule: every ${job.interval}`] : []),
    ],
    `Wait for the next cycle, or push now: Enterprise apps › ${app} › Provisioning › Provision on demand.`,
  );
  return next && next.kind !== "stopped" && next.kind !== "quarantine"
    ? { ...waiting, nextCycle: { kind: next.kind, at: next.kind === "at" ? next.at : null } }
    : waiting;
}
