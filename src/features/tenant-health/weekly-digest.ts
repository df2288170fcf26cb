/** The tenant's weekly digest: a week of SCIM activity, and the one-by-one warning. Sent once per tenant per week. */

import { summarizeActivity } from "../../core/activity.js";
import type { DescopeClient } from "../../descope/client.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import { activityMessage } from "../../render/activity.js";
import { oneByOneFor } from "../hires/one-by-one-check.js";
import { alertRoutes, type Outbox, type Outgoing } from "../notify/outbox.js";
import { healthOf, type TenantWatchDeps } from "./watch.js";

interface DigestDeps extends Pick<TenantWatchDeps, "tenantHealth" | "settings"> {
  descope: DescopeClient;
  index: AuditIndex;
  links: LinkStore;
  hires: HireStore;
  once: OnceStore;
  outbox: Outbox;
  log: Logger;
  alertChannel?: string | undefined;
  now: () => number;
}

const WEEK = 7 * 86_400_000;

export async function sendWeeklyDigests(deps: DigestDeps): Promise<number> {
  const now = deps.now();
  const week = Math.floor(now / WEEK);
  // Linked tenants, each to the channel that hears its alerts (the one routing rule).
  const routeOf = await alertRoutes(deps.links, deps.alertChannel);
  const tenants = new Map<string, string>();
  for (const { link } of await deps.links.all()) {
    if (routeOf(link.tenantId) && !tenants.has(link.tenantId))
      tenants.set(link.tenantId, link.tenantName);
  }
  const key = (tenantId: string) => `weekly:${tenantId}:${week}`;
  const done = await deps.once.sent([...tenants.keys()].map(key));
  const out: Outgoing[] = [];
  for (const [tenantId, name] of tenants) {
    if (done.has(key(tenantId))) continue;
    try {
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
        tenantName: name,
        idp: idp.idp,
        asOf: now,
        oneByOne: oneByOne?.message ?? null,
      });
      out.push({
        key: key(tenantId),
        kind: "weekly_digest",
        to: { tenantId },
        message: { ...msg, text: `Weekly digest — ${msg.text}` },
      });
    } catch (e) {
      deps.log.warn({ kind: "weekly_digest", err: e }, "weekly digest failed");
    }
  }
  return (await deps.outbox.send(out)).filter((o) => o.status === "sent").length;
}
