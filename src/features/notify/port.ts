/**
 * What the new-hire use cases need from a chat platform: the port. Slack
 * implements it (src/slack/notifier.ts); the use cases never import Slack.
 */
import type { HomeView } from "@slack/types";
import type { SlackMessage } from "../../render/blocks.js";

/** A file to share (a reconciliation's CSV). */
export interface OutgoingFile {
  filename: string;
  title: string;
  content: string;
  /** The message that goes with it. */
  comment?: string;
}

export interface Notifier {
  /** Posts a message (or a thread reply); returns its ts. `onceKey` goes into its metadata. */
  post(channel: string, msg: SlackMessage, threadTs?: string, onceKey?: string): Promise<string>;
  update(channel: string, ts: string, msg: SlackMessage): Promise<void>;
  /** Shares a file in a channel (or a thread); returns the file's ID. */
  upload(channel: string, file: OutgoingFile, threadTs?: string): Promise<string>;
  publishHome(userId: string, view: HomeView): Promise<void>;
  /** A message already posted in `channel` since `sinceMs` carrying `onceKey`, or null. */
  findPosted(channel: string, onceKey: string, sinceMs: number): Promise<string | null>;
}

/**
 * How a send failed, as far as exactly-once cares: `uncertain` when the
 * platform may have accepted it (no answer in time), `refused` when it said
 * no, `null` when the error is not a send failure at all.
 */
export function sendFailure(e: unknown): "uncertain" | "refused" | null {
  const u = (e as { uncertain?: unknown } | null)?.uncertain;
  return typeof u === "boolean" ? (u ? "uncertain" : "refused") : null;
}
