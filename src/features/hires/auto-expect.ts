/**
 * Expected hires from the IdP itself (/scim autoexpect on): after each read,
 * who was added to a group since the last look (Entra ID: directory audits
 * "Add member to group"; Okta: System Log `group.user_membership.add`); a new
 * member of a group assigned to the SCIM app becomes an expected hire
 * (assignedAt = when they were added). A new member of a group that is NOT
 * assigned to the app but is mapped to a role in Descope is the "group
 * mapping is not provisioning" mistake: alerted once. Someone removed from
 * an assigned group becomes a leaver (last day: the removal), in the same read.
 */
import {
  AUDIT_OVERLAP_MS,
  assignedGroupIds,
  type GroupJoin,
  groupJoins,
} from "../../connectors/entra-groups.js";
import type { EntraHttp } from "../../connectors/entra-http.js";
import { oktaAssignedGroups, oktaGroupJoins } from "../../connectors/okta-groups.js";
import type { EgressPolicy } from "../../net/egress.js";
import type { Connection, ConnectionStore } from "../../redis/connections.js";
import type { LinkStore } from "../../redis/links.js";
import type { SecretBox } from "../../redis/secret-box.js";
import { mappedNotAssignedMessage } from "../../render/idp-proof.js";
import { oktaHttpOf } from "../idp-side.js";
import type { LeaverDeps } from "../leavers/evaluate.js";
import { registerLeavers } from "../leavers/register.js";
import type { Outgoing } from "../notify/outbox.js";
import { onboardingChannelFor } from "./alert-channel.js";
import { type RegisterDeps, registerHires } from "./register.js";

const FIRST_LOOK_MS = 60 * 60_000;

interface AutoExpectDeps extends RegisterDeps {
  connections: ConnectionStore;
  entra: EntraHttp | null;
  /** Opens stored Okta tokens; null when SCIMWATCH_SECRETS_KEY is not set. */
  secretBox: SecretBox | null;
  /** Where Okta org URLs may lead (SCIMWATCH_ALLOW_LOOPBACK_IDP). */
  egress: EgressPolicy;
  links: LinkStore;
  alertChannel?: string | undefined;
  /** Leavers: removals from the app's assigned groups register them. */
  leaver?: LeaverDeps | undefined;
}

/** Who joined which group since `since`, and the app's assigned groups; null when the IdP cannot be read. */
async function groupChanges(
  deps: AutoExpectDeps,
  c: Connection,
  since: number,
  now: number,
): Promise<{ joins: GroupJoin[]; assigned: Map<string, string> } | null> {
  if (c.idp === "azure") {
    if (!deps.entra) return null;
    const [joins, assigned] = await Promise.all([
      groupJoins(deps.entra, c.entraTenant, since, now),
      assignedGroupIds(deps.entra, c.entraTenant, c.spId),
    ]);
    return { joins, assigned };
  }
  if (!deps.secretBox) return null;
  const http = oktaHttpOf(c, deps.secretBox, deps.egress);
  const [joins, assigned] = await Promise.all([
    oktaGroupJoins(http, since, now),
    oktaAssignedGroups(http, c.appId),
  ]);
  return { joins, assigned };
}

/** Returns how many hires were registered. */
export async function autoExpect(deps: AutoExpectDeps): Promise<number> {
  let total = 0;
  for (const c of await deps.connections.all()) {
    if (!c.autoExpect) continue;
    const now = deps.now();
    // Late audit rows: each read overlaps the last by 15 minutes (registering twice is a no-op).
    const since = c.autoExpectReadTo ? c.autoExpectReadTo - AUDIT_OVERLAP_MS : now - FIRST_LOOK_MS;
    try {
      const [changes, sso] = await Promise.all([
        groupChanges(deps, c, since, now),
        deps.descope.loadSsoSettings(c.tenantId).catch(() => null),
      ]);
      if (!changes) continue;
      const { joins, assigned } = changes;
      const mapped = new Map<string, string>();
      for (const m of [...(sso?.saml?.groupsMapping ?? []), ...(sso?.oidc?.groupsMapping ?? [])])
        for (const g of m.groups ?? [])
          mapped.set(g.toLowerCase(), m.role?.name ?? m.roleName ?? "a role");
      // Removed from an assigned group: a leaver (their last day: the removal).
      const removed = joins.filter((j) => j.kind === "remove" && assigned.has(j.groupId));
      if (removed.length && deps.leaver) {
        const channelId =
          (await onboardingChannelFor(deps.links, c.tenantId, deps.alertChannel)) ?? "";
        for (const j of removed)
          await registerLeavers(deps.leaver, {
            tenantId: c.tenantId,
            tenantName: c.tenantName,
            leavers: [{ email: j.upn, name: null, lastDay: Math.min(j.at, now) }],
            channelId,
            registeredBy: c.idp === "azure" ? "idp:entra" : "idp:okta",
            source: "idp",
          });
      }
      const added = joins.filter((j) => j.kind !== "remove");
      const toExpect = added.filter((j) => assigned.has(j.groupId));
      if (toExpect.length) {
        const channelId =
          (await onboardingChannelFor(deps.links, c.tenantId, deps.alertChannel)) ?? "";
        const byTime = new Map<number, string[]>();
        for (const j of toExpect) byTime.set(j.at, [...(byTime.get(j.at) ?? []), j.upn]);
        for (const [at, emails] of byTime) {
          const r = await registerHires(deps, {
            tenantId: c.tenantId,
            tenantName: c.tenantName,
            emails,
            idp: c.idp,
            assignedAt: Math.min(at, now),
            channelId,
            userId: c.idp === "azure" ? "idp:entra" : "idp:okta",
          });
          total += r.registered.length;
        }
      }
      const mappedAlerts: Outgoing[] = [];
      for (const j of added) {
        const role = mapped.get(j.groupName.toLowerCase());
        if (assigned.has(j.groupId) || !role) continue;
        mappedAlerts.push({
          key: `mapped:${c.tenantId}:${j.upn.toLowerCase()}:${j.groupId}`,
          kind: "mapped_not_assigned",
          to: { tenantId: c.tenantId },
          message: mappedNotAssignedMessage({
            ...j,
            tenantName: c.tenantName,
            role,
            app: c.appName,
            assigned: [...assigned.values()],
          }),
        });
      }
      await deps.outbox.send(mappedAlerts);
      // Only the cursor, and only on this very connection: a disconnect or `autoexpect off`
      // made while this read was in flight stays.
      await deps.connections.update(c, { autoExpectReadTo: now });
    } catch (e) {
      deps.log.warn({ kind: "auto_expect", tenant: c.tenantId, err: e }, "auto-expect failed");
    }
  }
  return total;
}
