/** The tenant's weekly digest: a week of SCIM activity, and the one-by-one warning. Sent once per tenant per week. */

import { summarizeActivity } from "../../core/activity.js";
import type { DescopeClient } from "../../descope/client.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import { activityMessage } from "../../render/activity.js";
import { alertChannels } from "../hires/alert-channel.js";
import { deliverClaimed, once } from "../hires/deliver.js";
import { oneByOneFor } from "../hires/one-by-one-check.js";
import type { Notifier } from "../notifier.js";
import { healthOf, type TenantWatchDeps } from "./watch.js";

export interface DigestDeps extends Pick<TenantWatchDeps, "tenantHealth" | "settings"> {
  descope: DescopeClient;
  index: AuditIndex;
  links: LinkStore;
  hires: HireStore;
  notifier: Notifier;
  log: Logger;
  alertChannel?: string | undefined;
  now: () => number;
}

const WEEK = 7 * 86_400_000;

export async function sendWeeklyDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  const week = Math.floor(now / WEEK);
  // Linked tenants, each to the channel that hears its alerts (the one rule in alert-channel.ts).
  const channelFor = await alertChannels(deps.links, deps.alertChannel);
  const tenants = new Map<string, { name: string; channel: string }>();
  for (const { link } of await deps.links.all()) {
    const channel = channelFor(link.tenantId);
    if (channel && !tenants.has(link.tenantId))
      tenants.set(link.tenantId, { name: link.tenantName, channel });
  }
  let sent = 0;
  for (const [tenantId, t] of tenants) {
    const claim = `weekly:${tenantId}:${week}`;
    try {
      const ran = await once(deps.hires, claim, 2 * WEEK, async () => {
        const [{ health }, events, idp, oneByOne] = await Promise.all([
          healthOf(deps, tenantId, now),
          deps.index.eventsForTenant(tenantId, now - WEEK, now),
          tenantIdp(deps.descope, tenantId),
          oneByOneFor(deps.descope, tenantId).catch(() => null),
        ]);
        const summary = summarizeActivity(tenantId, events, {
          from: now - WEEK,
          to: now,
          health: health.state,
        });
        const msg = activityMessage(summary, {
          tenantName: t.name,
          idp: idp.idp,
          asOf: now,
          oneByOne: oneByOne?.message ?? null,
        });
        // Exactly once, as alerts are: a send of unknown outcome is looked for before a retry.
        await deliverClaimed(
          deps,
          claim,
          t.channel,
          (key) =>
            deps.notifier.post(
              t.channel,
              { ...msg, text: `Weekly digest — ${msg.text}` },
              undefined,
              key,
            ),
          2 * WEEK,
        );
      });
      if (ran) sent++;
    } catch (e) {
      deps.log.warn({ kind: "weekly_digest", err: e }, "weekly digest failed");
    }
  }
  return sent;
}
