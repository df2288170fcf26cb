/**
 * "Starts soon and still cannot sign in": once per hire, when the start date
 * is near (core/hires/start.ts) and they are not provisioned, or provisioned
 * without roles. The IdP-window alert keeps working beside it.
 */
import { startAlertDue } from "../../core/hires/start.js";
import type { HireStore } from "../../redis/hire-store.js";
import { startSoonMessage } from "../../render/hires-start.js";
import type { Outbox } from "../notify/outbox.js";

export async function alertStartDates(
  deps: {
    hires: HireStore;
    outbox: Outbox;
    now: () => number;
    startLeadHours?: number | undefined;
  },
  onlyIds?: string[],
): Promise<number> {
  const now = deps.now();
  const records = (await deps.hires.getMany(onlyIds ?? (await deps.hires.openIds()))).filter((r) =>
    startAlertDue(r.hire, now, deps.startLeadHours),
  );
  if (!records.length) return 0;
  const outcomes = await deps.outbox.send(
    records.map(({ id, hire }) => ({
      key: `start:${id}:${hire.startDate}`,
      kind: "hire_start_near" as const,
      to: { tenantId: hire.tenantId, fallback: hire.channelId },
      message: startSoonMessage(hire, id, now),
    })),
  );
  return outcomes.filter((o) => o.status === "sent").length;
}
