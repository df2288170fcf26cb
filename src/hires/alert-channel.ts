/** Which channel hears a tenant's alerts: `/scim alerts #channel` in a linked channel, else SCIMWATCH_ALERT_CHANNEL. */
import type { LinkStore } from "../store/links.js";

export async function alertChannelFor(
  links: LinkStore,
  tenantId: string,
  fallback?: string,
): Promise<string | undefined> {
  const all = await links.all();
  const set = all.find((l) => l.link.tenantId === tenantId && l.link.alertChannel);
  return set?.link.alertChannel ?? fallback;
}
