/** Reads what the one-by-one signal needs from Descope: the tenant's SCIM users and SCIM-pushed groups. */

import { type OneByOneSignal, oneByOneSignal } from "../../core/hires/one-by-one.js";
import type { DescopeClient } from "../../descope/client.js";

export async function oneByOneFor(
  descope: DescopeClient,
  tenantId: string,
): Promise<OneByOneSignal | null> {
  const [{ users }, groups] = await Promise.all([
    descope.searchUsers({ tenantIds: [tenantId], scimOnly: true, limit: 500 }),
    descope.listGroups(tenantId),
  ]);
  return oneByOneSignal({
    scimUsers: users.map((u) => ({ userId: u.userId, loginId: u.loginIds[0] ?? u.userId })),
    scimGroups: groups
      .filter((g) => (g.source ?? "scim").toLowerCase() === "scim")
      .map((g) => ({
        display: g.display ?? g.id,
        memberUserIds: g.members.map((m) => m.userId ?? "").filter(Boolean),
      })),
  });
}
