/** Where a tenant's checklists go when nobody in Slack registered them. */
import type { LinkStore } from "../../redis/links.js";

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
