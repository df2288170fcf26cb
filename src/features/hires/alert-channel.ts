/** Which channel hears a tenant's alerts: `/scim alerts #channel` in a linked channel, else SCIMWATCH_ALERT_CHANNEL. */
import type { LinkStore } from "../../redis/links.js";

/** Reads the channel links once; the returned lookup answers for any tenant without more I/O. */
export async function alertChannels(
  links: LinkStore,
  fallback?: string,
): Promise<(tenantId: string) => string | undefined> {
  const byTenant = new Map<string, string>();
  for (const { link } of await links.all()) {
    if (link.alertChannel && !byTenant.has(link.tenantId))
      byTenant.set(link.tenantId, link.alertChannel);
  }
  return (tenantId) => byTenant.get(tenantId) ?? fallback;
}

/**
 * Where a tenant's checklists go when hires come from outside Slack (the
 * webhook, a file): its onboarding channel (/scim onboarding #channel), else
 * the channel linked to it, else SCIMWATCH_ALERT_CHANNEL.
 */
export async function onboardingChannelFor(
  links: LinkStore,
  tenantId: string,
  fallback?: string,
): Promise<string | undefined> {
  const mine = (await links.all()).filter((l) => l.link.tenantId === tenantId);
  return (
    mine.find((l) => l.link.onboardingChannel)?.link.onboardingChannel ??
    mine[0]?.channelId ??
    fallback
  );
}
