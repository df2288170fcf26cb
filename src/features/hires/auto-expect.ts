/**
 * Expected hires from the IdP itself (Entra ID, /scim autoexpect on): after
 * each read, the "Add member to group" changes since the last look; a new
 * member of a group assigned to the SCIM app becomes an expected hire
 * (assignedAt = when they were added). A new member of a group that is NOT
 * assigned to the app but is mapped to a role in Descope is the "group
 * mapping is not provisioning" mistake: alerted once.
 */
import { assignedGroupIds, groupJoins } from "../../connectors/entra-groups.js";
import type { EntraHttp } from "../../connectors/entra-http.js";
import type { DescopeClient } from "../../descope/client.js";
import type { Logger } from "../../log/logger.js";
import type { ConnectionStore } from "../../redis/connections.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import { mappedNotAssignedMessage } from "../../render/idp-proof.js";
import type { Notifier } from "../notifier.js";
import { alertChannels, onboardingChannelFor } from "./alert-channel.js";
import { deliverClaimed } from "./deliver.js";
import type { EvalResult } from "./evaluator.js";
import { registerHires } from "./register.js";

const FIRST_LOOK_MS = 60 * 60_000;
const KEEP_MS = 30 * 86_400_000;

export interface AutoExpectDeps {
  connections: ConnectionStore;
  entra: EntraHttp | null;
  descope: DescopeClient;
  hires: HireStore;
  links: LinkStore;
  notifier: Notifier;
  log: Logger;
  now: () => number;
  evaluate: (ids: string[]) => Promise<EvalResult>;
  graceMinutes: number;
  alertChannel?: string | undefined;
  metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
}

/** Returns how many hires were registered. */
export async function autoExpect(deps: AutoExpectDeps): Promise<number> {
  const entra = deps.entra;
  if (!entra) return 0;
  let total = 0;
  for (const c of await deps.connections.all()) {
    if (c.idp !== "azure" || !c.autoExpect) continue;
    const now = deps.now();
    const since = c.autoExpectReadTo ?? now - FIRST_LOOK_MS;
    try {
      const [joins, assigned, sso] = await Promise.all([
        groupJoins(entra, c.entraTenant, since),
        assignedGroupIds(entra, c.entraTenant, c.spId),
        deps.descope.loadSsoSettings(c.tenantId).catch(() => null),
      ]);
      const mapped = new Map<string, string>();
      for (const m of [...(sso?.saml?.groupsMapping ?? []), ...(sso?.oidc?.groupsMapping ?? [])])
        for (const g of m.groups ?? [])
          mapped.set(g.toLowerCase(), m.role?.name ?? m.roleName ?? "a role");
      const toExpect = joins.filter((j) => assigned.has(j.groupId));
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
            idp: "azure",
            assignedAt: Math.min(at, now),
            channelId,
            userId: "idp:entra",
          });
          total += r.registered.length;
        }
      }
      const channel = (await alertChannels(deps.links, deps.alertChannel))(c.tenantId);
      for (const j of joins) {
        const role = mapped.get(j.groupName.toLowerCase());
        if (assigned.has(j.groupId) || !role || !channel) continue;
        const name = `mapped:${c.tenantId}:${j.upn.toLowerCase()}:${j.groupId}`;
        if (!(await deps.hires.claim(name))) continue;
        await deliverClaimed(
          deps,
          name,
          channel,
          (key) =>
            deps.notifier.post(
              channel,
              mappedNotAssignedMessage({
                ...j,
                tenantName: c.tenantName,
                role,
                app: c.appName,
                assigned: [...assigned.values()],
              }),
              undefined,
              key,
            ),
          KEEP_MS,
        ).catch((e: unknown) =>
          deps.log.warn({ kind: "auto_expect", err: e }, "could not post a mapping alert"),
        );
      }
      await deps.connections.set({ ...c, autoExpectReadTo: now });
    } catch (e) {
      deps.log.warn({ kind: "auto_expect", tenant: c.tenantId, err: e }, "auto-expect failed");
    }
  }
  return total;
}
