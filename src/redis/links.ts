/** Channel → tenant links (and the channel's alert channel), stored in Redis. */

import * as z from "zod";
import type { ChannelLink } from "../core/access.js";
import { replicated } from "./client.js";
import { RedisStore } from "./store.js";

const linkSchema = z.object({
  tenantId: z.string().min(1),
  tenantName: z.string(),
  linkedBy: z.string().optional(),
  linkedAt: z.number().optional(),
  alertChannel: z.string().optional(),
  /** Where checklists of hires registered from outside Slack (webhook, file) go: /scim onboarding #channel. */
  onboardingChannel: z.string().optional(),
});
export type StoredLink = z.infer<typeof linkSchema>;

export class LinkStore extends RedisStore {
  async get(channelId: string): Promise<StoredLink | null> {
    const raw = await this.redis.get(this.keys.link(channelId));
    if (!raw) return null;
    const parsed = linkSchema.safeParse(safeParse(raw));
    return parsed.success ? parsed.data : null;
  }

  async set(
    channelId: string,
    link: ChannelLink & {
      linkedBy?: string;
      linkedAt?: number;
      alertChannel?: string;
      onboardingChannel?: string;
    },
  ): Promise<void> {
    const value = linkSchema.parse(link);
    await this.redis
      .multi()
      .set(this.keys.link(channelId), JSON.stringify(value))
      .sadd(this.keys.links(), channelId)
      .exec();
    await replicated(this.redis);
  }

  async delete(channelId: string): Promise<boolean> {
    const [[, n] = [null, 0]] = ((await this.redis
      .multi()
      .del(this.keys.link(channelId))
      .srem(this.keys.links(), channelId)
      .exec()) ?? []) as [Error | null, number][];
    return n > 0;
  }

  /** Every linked channel, for fan-out (alerts). */
  async all(): Promise<Array<{ channelId: string; link: StoredLink }>> {
    const ids = await this.redis.smembers(this.keys.links());
    const out: Array<{ channelId: string; link: StoredLink }> = [];
    for (const channelId of ids) {
      const link = await this.get(channelId);
      if (link) out.push({ channelId, link });
    }
    return out;
  }
}

export function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
