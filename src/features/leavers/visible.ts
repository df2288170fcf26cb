/** Which open leavers a person sees from here: the one access rule of hires (core/access.ts hireAllowed). */
import { type Access, hireAllowed } from "../../core/access.js";
import type { Leaver } from "../../core/leavers/model.js";
import type { LeaverStore } from "../../redis/leaver-store.js";

export async function visibleLeavers(
  leavers: LeaverStore,
  access: Access,
  who: { userId: string; channelId: string },
  tenantId?: string,
): Promise<Leaver[]> {
  const all = await leavers.getMany(await leavers.openIds());
  return all
    .map((r) => r.leaver)
    .filter((l) => (tenantId ? l.tenantId === tenantId : true))
    .filter((l) => hireAllowed(access, l, who))
    .sort((a, b) => a.lastDay - b.lastDay);
}
