/** The Okta rules of idp-apis.md §4. Pure. */
import { assignmentEvidence, type IdpSide, sideOf } from "./model.js";

export interface OktaFacts {
  appName: string;
  user: { id: string; login: string; status: string } | null;
  /** The user's assignment to the app (O2), or null when not assigned. */
  appUser: {
    scope: string;
    status: string;
    syncState?: string | undefined;
    externalId?: string | undefined;
    created?: string | undefined;
  } | null;
  userGroups: Array<{ id: string; name: string }>;
  appGroups: Array<{ id: string; name: string }>;
  /** "Create Users" on the app's provisioning (O3 feature), when readable. */
  lifecycleCreate: string | null;
  /** application.provision.user.push events for this user and app, newest first, or null when unreadable. */
  events: Array<{ at: string; result: string; reason?: string | undefined }> | null;
}

/** The Okta rules of idp-apis.md §4. Pure. */
export function decideOkta(f: OktaFacts, loginId: string): IdpSide {
  const app = f.appName;
  const side = sideOf("okta");
  if (!f.user)
    return side(
      "not_in_idp",
      `${loginId} does not exist in Okta (no user with this login).`,
      [`No Okta user with login ${loginId}`],
      "Check the spelling, or create the user in Okta; if they sign in with another login, map the same attribute for SSO and SCIM.",
    );
  const u = f.user;
  if (["DEPROVISIONED", "SUSPENDED"].includes(u.status))
    return side(
      "user_disabled_in_idp",
      `${u.login} is ${u.status.toLowerCase()} in Okta: Okta does not push them.`,
      [`Okta user status: ${u.status}`],
      "Reactivate (or unsuspend) the user in Okta › Directory › People.",
    );
  if (!f.appUser) {
    const groups = f.appGroups.map((g) => g.name);
    const mine = f.userGroups.map((g) => g.name);
    return side(
      "not_assigned",
      `${u.login} is not assigned to ${app} in Okta, directly or through a group${groups.length ? ` (the app is assigned to ${groups.slice(0, 3).join(", ")})` : ""}: Okta will never push them.`,
      assignmentEvidence(app, u.login, groups, mine),
      groups.length
        ? `Add ${u.login} to ${groups[0]} (Directory › Groups), or assign one of their groups to ${app} (Applications › ${app} › Assignments).`
        : `Assign a group with ${u.login} in it to ${app} (Applications › ${app} › Assignments › Assign to Groups).`,
    );
  }
  const a = f.appUser;
  const via =
    a.scope === "GROUP"
      ? f.userGroups
          .filter((g) => f.appGroups.some((x) => x.id === g.id))
          .map((g) => g.name)
          .join(", ") || "a group"
      : null;
  const how = via ? `assigned to ${app} through ${via}` : `assigned to ${app} directly`;
  // From here on they are assigned: every answer says so, whatever else could not be read.
  const assignedSide = (...a: Parameters<typeof side>) => ({ ...side(...a), inScope: true });
  const lastEvent = f.events?.[0];
  // An externalId is Descope's ID for them: pushed, whatever the status says (ACTIVE also
  // covers imports) and whatever "Create Users" says now (it governs new accounts only).
  if (a.externalId)
    return assignedSide(
      "pushed",
      `${u.login} is ${how}; Okta pushed them (Descope ID ${a.externalId})${a.syncState === "ERROR" ? `, but a later update failed${lastEvent?.reason ? `: ${lastEvent.reason}` : ""}` : ""}.`,
      [
        `App assignment: status ${a.status}, externalId ${a.externalId}${a.syncState ? `, syncState ${a.syncState}` : ""}`,
      ],
      a.syncState === "ERROR"
        ? "Resolve the failed task in Okta's Admin Console (Dashboard › Tasks): the account exists in Descope, a profile update did not arrive."
        : null,
    );
  if (f.lifecycleCreate === "DISABLED")
    return assignedSide(
      "job_paused",
      `${u.login} is ${how}, but "Create Users" is off in ${app}'s provisioning: Okta will not create them in Descope.`,
      [`${app} › Provisioning › To App › Create Users: disabled`],
      `Turn on Create Users (Applications › ${app} › Provisioning › To App › Edit), then Provision User for those already assigned.`,
    );
  if (a.syncState === "ERROR" || lastEvent?.result === "FAILURE")
    return assignedSide(
      "push_failed",
      `${u.login} is ${how}; Okta's push failed${lastEvent?.reason ? `: ${lastEvent.reason}` : ""}.`,
      [
        `App assignment: status ${a.status}${a.syncState ? `, syncState ${a.syncState}` : ""}`,
        ...(lastEvent
          ? [
              `System Log ${lastEvent.at}: push ${lastEvent.result}${lastEvent.reason ? ` — ${lastEvent.reason}` : ""}`,
            ]
          : []),
      ],
      "Fix what the error says (a duplicate user in Descope, a missing attribute), then retry the task in Okta's Admin Console (Dashboard › Tasks) or Provision User.",
    );
  if (lastEvent?.result === "SUCCESS")
    return assignedSide(
      "pushed",
      `${u.login} is ${how}; Okta pushed them (System Log ${lastEvent.at}).`,
      [`App assignment: status ${a.status}`, `System Log ${lastEvent.at}: push SUCCESS`],
      null,
    );
  if (a.status === "ACTIVE" && !a.externalId)
    return assignedSide(
      "push_skipped",
      `${u.login} is ${how} but was never pushed: they were likely assigned before provisioning was enabled.`,
      [`App assignment: status ACTIVE, no externalId`],
      `Push them: Applications › ${app} › Assignments › the user › Provision User.`,
    );
  return assignedSide(
    "waiting_for_cycle",
    `${u.login} is ${how}; the push is ${a.status === "STAGED" ? "queued" : "not done yet"} (Okta pushes within minutes of an assignment).`,
    [`App assignment: status ${a.status}${a.created ? `, assigned ${a.created}` : ""}`],
    `Wait a few minutes; if it stays, Applications › ${app} › Assignments › the user › Provision User.`,
  );
}
