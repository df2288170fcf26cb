/**
 * "Starts soon and still cannot sign in": once per hire, when the start date
 * is near (core/hires/start.ts) and they are not provisioned, or provisioned
 * without roles. The IdP-window alert keeps working beside it.
 */
import { startAlertDue } from "../../core/hires/start.js";
import type { Logger } from "../../log/logger.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import { startSoonMessage } from "../../render/hires-start.js";
import type { Notifier } from "../notifier.js";
import { alertChannels } from "./alert-channel.js";
import { deliverClaimed } from "./deliver.js";

const KEEP_MS = 60 * 86_400_000;

export async function alertStartDates(
  deps: {
    hires: HireStore;
    links: LinkStore;
    notifier: Notifier;
    log: Logger;
    now: () => number;
    alertChannel?: string | undefined;
    startLeadHours?: number | undefined;
    metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
  },
  onlyIds?: string[],
): Promise<number> {
  const now = deps.now();
  const records = (await deps.hires.getMany(onlyIds ?? (await deps.hires.openIds()))).filter((r) =>
    startAlertDue(r.hire, now, deps.startLeadHours),
  );
  if (!records.length) return 0;
  const channelFor = await alertChannels(deps.links, deps.alertChannel);
  let sent = 0;
  for (const { id, hire } of records) {
    const channel = channelFor(hire.tenantId) ?? hire.channelId;
    const name = `start:${id}:${hire.startDate}`;
    if (!(await deps.hires.claim(name))) continue;
    try {
      await deliverClaimed(
        deps,
        name,
        channel,
        (key) => deps.notifier.post(channel, startSoonMessage(hire, id, now), undefined, key),
        KEEP_MS,
      );
      sent++;
    } catch (e) {
      deps.log.warn({ kind: "start_alert", err: e }, "could not post a start-date alert");
    }
  }
  return sent;
}
