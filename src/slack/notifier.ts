/**
 * Posts and edits messages through Slack's Web API for the background work
 * (checklists, alerts, digests):
 * - every call is bounded (`deadlineMs`, default 60 s, well inside the
 *   5-minute exactly-once claims), with the Web API client's own timeout and
 *   few retries set by `slackClientOptions`;
 * - posts are paced at about one per second per channel (chat.postMessage's
 *   pace) across every process sharing Redis;
 * - a post can carry a key in Slack's message metadata, and `findPosted`
 *   finds it again, so a send whose outcome is unknown (a timeout, a crash
 *   after Slack accepted it) is looked for before it is sent again.
 */

import { setTimeout as sleep } from "node:timers/promises";
import type { webApi } from "@slack/bolt";
import type { HomeView } from "@slack/types";
import type { Notifier, OutgoingFile } from "../features/notify/port.js";
import { ChannelPace } from "../redis/channel-pace.js";
import type { Keyer, RedisClient } from "../redis/client.js";
import type { SlackMessage } from "../render/blocks.js";

const DEFAULT_DEADLINE_MS = 60_000;

/**
 * Web API client options for background sends: one attempt, timed out inside
 * the deadline, and a 429 not waited out. The client's own retries would
 * repeat a post that Slack accepted but answered too late (a duplicate
 * nobody records); retries happen at the next evaluation instead, after
 * looking for the message by its metadata key.
 */
export function slackClientOptions(deadlineMs = DEFAULT_DEADLINE_MS) {
  return {
    timeout: Math.floor(deadlineMs * 0.8),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  };
}

const METADATA_EVENT = "scimwatch_once";

/** A send that failed; `uncertain` when Slack may have accepted it (no answer, 5xx, a timeout). */
class SlackSendError extends Error {
  override readonly name = "SlackSendError";
  constructor(
    message: string,
    readonly uncertain: boolean,
    readonly slackError?: string,
  ) {
    super(message);
  }
}

/** Classifies a Web API failure: did Slack answer (definite) or not (uncertain)? */
function asSendError(e: unknown, what: string): SlackSendError {
  if (e instanceof SlackSendError) return e;
  const err = e as { code?: string; data?: { error?: string }; message?: string };
  if (
    err?.code === "slack_webapi_platform_error" ||
    err?.code === "slack_webapi_rate_limited_error"
  ) {
    const code = err.data?.error ?? "ratelimited";
    return new SlackSendError(`${what}: Slack answered ${code}`, false, code);
  }
  return new SlackSendError(`${what}: ${err?.message ?? String(e)}`, true);
}

/** Longest a post waits for its channel's slot; beyond, it fails now and is retried later. */
const MAX_PACE_WAIT_MS = 10_000;
/** Pages of history a look-up reads at most (200 messages each). */
const LOOKUP_PAGES = 25;

interface NotifierOptions {
  paceMs?: number;
  /** Longest one Slack call may take, retries included (give the client `slackClientOptions` of the same). Default 60 s. */
  deadlineMs?: number;
  /** Pace across processes through Redis (else within this process). */
  redis?: RedisClient;
  key?: Keyer;
}

export class SlackNotifier implements Notifier {
  private readonly nextAt = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  /** Pace and pauses shared by every process through Redis (else this process's own). */
  private readonly shared: ChannelPace | null;
  private readonly paceMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly client: webApi.WebClient,
    readonly opts: NotifierOptions = {},
  ) {
    this.paceMs = opts.paceMs ?? 1_100;
    this.shared = opts.redis && opts.key ? new ChannelPace(opts.redis, opts.key) : null;
    this.deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  }

  private async pace(channel: string): Promise<void> {
    let wait: number;
    if (this.shared) {
      wait = await this.shared.take(channel, this.paceMs, MAX_PACE_WAIT_MS);
    } else {
      const now = Date.now();
      const at = Math.max(this.nextAt.get(channel) ?? 0, this.pausedUntil.get(channel) ?? 0);
      wait = Math.max(0, at - now);
      if (wait <= MAX_PACE_WAIT_MS) this.nextAt.set(channel, Math.max(now, at) + this.paceMs);
    }
    if (wait > MAX_PACE_WAIT_MS) {
      throw new SlackSendError(
        `chat.postMessage: Slack asked to wait before posting in this channel again (about ${Math.ceil(wait / 1000)} s)`,
        false,
        "ratelimited",
      );
    }
    if (wait > 0) await sleep(wait);
  }

  /** Honours a Retry-After for the channel, across processes. */
  private async pause(channel: string, seconds: number): Promise<void> {
    const ms = Math.max(1, seconds) * 1000;
    if (this.shared) await this.shared.pause(channel, ms);
    else this.pausedUntil.set(channel, Date.now() + ms);
  }

  /** Runs one Web API call within the deadline; failures become SlackSendError. */
  private async bounded<T>(what: string, call: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SlackSendError(
              `${what}: Slack did not answer within ${Math.round(this.deadlineMs / 1000)} s`,
              true,
            ),
          ),
        this.deadlineMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([call(), deadline]);
    } catch (e) {
      throw asSendError(e, what);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Posts a message (or a thread reply); returns its ts. `onceKey` goes into the message metadata. */
  async post(
    channel: string,
    msg: SlackMessage,
    threadTs?: string,
    onceKey?: string,
  ): Promise<string> {
    await this.pace(channel);
    const res = await this.bounded("chat.postMessage", () =>
      this.client.chat
        .postMessage({
          channel,
          text: msg.text,
          blocks: msg.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(onceKey
            ? { metadata: { event_type: METADATA_EVENT, event_payload: { key: onceKey } } }
            : {}),
        })
        .catch(async (e: unknown) => {
          const retryAfter = (e as { retryAfter?: unknown }).retryAfter;
          if (typeof retryAfter === "number") await this.pause(channel, retryAfter);
          throw e;
        }),
    );
    return String(res.ts);
  }

  async update(channel: string, ts: string, msg: SlackMessage): Promise<void> {
    await this.bounded("chat.update", () =>
      this.client.chat.update({ channel, ts, text: msg.text, blocks: msg.blocks }),
    );
  }

  /** files.getUploadURLExternal, the upload, files.completeUploadExternal (the client's filesUploadV2). */
  async upload(channel: string, file: OutgoingFile, threadTs?: string): Promise<string> {
    await this.pace(channel);
    const common = {
      filename: file.filename,
      title: file.title,
      file: Buffer.from(file.content, "utf8"),
      ...(file.comment ? { initial_comment: file.comment } : {}),
    };
    const res = await this.bounded("files.uploadV2", () =>
      this.client.filesUploadV2(
        threadTs
          ? { ...common, channel_id: channel, thread_ts: threadTs }
          : { ...common, channel_id: channel },
      ),
    );
    const first = (res as { files?: Array<{ files?: Array<{ id?: string }> }> }).files?.[0];
    return String(first?.files?.[0]?.id ?? "");
  }

  async publishHome(userId: string, view: HomeView): Promise<void> {
    await this.bounded("views.publish", () => this.client.views.publish({ user_id: userId, view }));
  }

  /**
   * The ts of a message already posted in `channel` (or one of its threads'
   * parents) since `sinceMs` carrying `onceKey` in its metadata, or null.
   */
  async findPosted(channel: string, onceKey: string, sinceMs: number): Promise<string | null> {
    const ours = (m: unknown) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } })
        .metadata;
      return meta?.event_type === METADATA_EVENT ? meta.event_payload?.key : undefined;
    };
    // Paged back to the attempt's time: however busy the channel, the look-up reaches it.
    const threads: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const res = await this.bounded("conversations.history", () =>
        this.client.conversations.history({
          channel,
          oldest: String(Math.floor(sinceMs / 1000)),
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const m of res.messages ?? []) {
        if (ours(m) === onceKey) return String(m.ts);
        // Our digests carry alerts in their threads.
        if (ours(m) !== undefined && (m.reply_count ?? 0) > 0 && m.ts) threads.push(m.ts);
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    for (const ts of threads.slice(0, 5)) {
      const replies = await this.bounded("conversations.replies", () =>
        this.client.conversations.replies({
          channel,
          ts,
          include_all_metadata: true,
          limit: 200,
        }),
      );
      for (const m of replies.messages ?? []) if (ours(m) === onceKey) return String(m.ts);
    }
    return null;
  }
}
