/**
 * With a read-only IdP connector, a pending hire does not have to wait for
 * the window: when the IdP proves they cannot arrive (not assigned, nested
 * group only, disabled, job quarantined…), alert at once, exactly once per
 * cause; when it proves they are assigned, tick "Assigned in the IdP".
 * Read at registration, then at most every 10 minutes per hire.
 */
import { hireState } from "../../core/hires/state.js";
import { ASSIGNED, BLOCKING } from "../../core/idp-side/model.js";
import type { Logger } from "../../log/logger.js";
import type { ConnectionStore } from "../../redis/connections.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import { hireBlockedMessage } from "../../render/idp-proof.js";
import type { IdpSideAnswer } from "../idp-side.js";
import type { Outbox, Outgoing } from "../notify/outbox.js";
import { checklistOutgoing } from "./evaluator.js";

const IDP_RECHECK_MS = 10 * 60_000;

interface IdpProofDeps {
  hires: HireStore;
  links: LinkStore;
  connections: ConnectionStore;
  outbox: Outbox;
  idpSide: (tenantId: string, loginId: string) => Promise<IdpSideAnswer | null>;
  log: Logger;
  now: () => number;
  graceMinutes: number;
  alertChannel?: string | undefined;
}

/** Returns how many hires the IdP was asked about. `onlyIds`: asked now, whatever the last read. */
export async function proveHires(deps: IdpProofDeps, onlyIds?: string[]): Promise<number> {
  const now = deps.now();
  const connected = new Set((await deps.connections.all()).map((c) => c.tenantId));
  if (!connected.size) return 0;
  const records = await deps.hires.getMany(onlyIds ?? (await deps.hires.openIds()));
  const batches = new Set<string>();
  const out: Outgoing[] = [];
  let asked = 0;
  for (const { id, hire } of records) {
    if (!connected.has(hire.tenantId) || hire.items.provisioned.at || hire.dismissed) continue;
    const status = hireState(hire, now, deps.graceMinutes).status;
    // Re-read those the IdP proved blocked too: a fix (they were added to the group) clears it.
    if (status !== "waiting" && status !== "overdue" && status !== "will_not_arrive") continue;
    if (!onlyIds && hire.idpCheckedAt && now - hire.idpCheckedAt < IDP_RECHECK_MS) continue;
    asked++;
    const side = (await deps.idpSide(hire.tenantId, hire.loginId).catch(() => null))?.side;
    if (!side) continue;
    const tick = ASSIGNED.has(side.cause) && !hire.items.assigned.at;
    await deps.hires.update(id, (h) => ({
      ...h,
      idpCause: side.cause,
      idpCheckedAt: now,
      idpNextCycle: side.nextCycle ?? null,
      idpLinks: side.links ?? [],
      ...(tick ? { items: { ...h.items, assigned: { at: now, by: "idp" as const } } } : {}),
    }));
    if (tick) batches.add(hire.batchId);
    if (!BLOCKING.has(side.cause)) continue;
    // The app gone is the tenant's problem, not each hire's: one alert per tenant. Routed as
    // every hire alert is: the tenant's alert channel, else the channel it was registered in.
    out.push({
      key:
        side.cause === "app_not_found"
          ? `idp-block:${hire.tenantId}:app_not_found`
          : `idp-block:${id}:${side.cause}`,
      kind: "hire_blocked",
      to: { tenantId: hire.tenantId, fallback: hire.channelId },
      message: hireBlockedMessage(hire, side, id),
    });
  }
  for (const b of batches) {
    const m = await checklistOutgoing(deps, b, now).catch((e: unknown) => {
      deps.log.warn({ kind: "checklist", err: e }, "checklist update failed");
      return null;
    });
    if (m) out.push(m);
  }
  await deps.outbox.send(out);
  return asked;
}
