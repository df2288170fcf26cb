/**
 * Posts and edits messages through Slack's Web API, at most about one message
 * per second per channel (chat.postMessage's pace). The Web API client itself
 * waits and retries on 429 with Retry-After.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { webApi } from "@slack/bolt";
import type { SlackMessage } from "../render/blocks.js";

export class Notifier {
  private readonly nextAt = new Map<string, number>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly paceMs = 1_100,
  ) {}

  private async pace(channel: string): Promise<void> {
    const now = Date.now();
    const at = this.nextAt.get(channel) ?? 0;
    this.nextAt.set(channel, Math.max(now, at) + this.paceMs);
    if (at > now) await sleep(at - now);
  }

  /** Posts a message (or a thread reply); returns its ts. */
  async post(channel: string, msg: SlackMessage, threadTs?: string): Promise<string> {
    await this.pace(channel);
    const res = await this.client.chat.postMessage({
      channel,
      text: msg.text,
      blocks: msg.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return String(res.ts);
  }

  async update(channel: string, ts: string, msg: SlackMessage): Promise<void> {
    await this.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks as never });
  }

  async publishHome(userId: string, view: { type: "home"; blocks: unknown[] }): Promise<void> {
    await this.client.views.publish({ user_id: userId, view: view as never });
  }
}
