/**
 * A local stand-in for Slack's Web API (POST /api/<method>) and for
 * response_url endpoints (POST /respond/<id>). Records everything it gets.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** What the fake answered. */
  result?: Record<string, unknown>;
}

export interface Responded {
  id: string;
  body: Record<string, unknown>;
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: Responded[] = [];
  validTokens = new Set(["xoxb-test-token"]);
  /** App-level tokens (Socket Mode) this fake accepts for apps.connections.open. */
  appTokens = new Set(["xapp-1-test-token"]);
  /** The WebSocket URL apps.connections.open answers (default: this server, which refuses it). */
  socketUrl: string | undefined;
  /** Called after each Web API call and each response_url post (the demo prints them). */
  listeners: Array<
    (e: { kind: "api"; call: ApiCall } | { kind: "respond"; r: Responded }) => void
  > = [];
  /** Make chat.postMessage answer ratelimited this many times. */
  rateLimitPosts = 0;
  /** The Retry-After (seconds) those answers carry. */
  rateLimitRetryAfter = 1;
  /**
   * Faults for the next chat.postMessage calls, in order: an HTTP status
   * (500: nothing posted), or a delay before answering (the message is
   * posted at once, as Slack would, but the answer comes late).
   */
  postFaults: Array<{ status?: number; delayMs?: number }> = [];
  /** Channels the bot is not a member of: posts and history reads there answer not_in_channel. */
  notInChannels = new Set<string>();
  /** The Enterprise Grid organisation auth.test names (null: a plain workspace). */
  enterpriseId: string | null = null;
  /** The bot token's scopes, sent as Slack does in the x-oauth-scopes header. */
  botScopes = ["commands", "chat:write", "channels:history", "groups:history", "files:write"];
  /** Messages posted, per channel, newest last (for conversations.history). */
  readonly messages: Array<{
    channel: string;
    ts: string;
    thread_ts?: string;
    text: unknown;
    metadata?: unknown;
    reply_count?: number;
  }> = [];
  /** Files shared (files.getUploadURLExternal, the upload, files.completeUploadExternal). */
  readonly files: Array<{
    id: string;
    filename: string;
    length: number;
    content: string;
    title?: string;
    channel?: string;
    thread_ts?: string;
    completed: boolean;
  }> = [];
  private server?: Server;
  url = "";
  private ts = 1_700_000_000;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  respondedTo(id: string): Responded[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Waits until `pred` holds (polling), or fails after `ms`. */
  async waitFor<T>(pred: () => T | undefined | false, ms = 8_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() > until) throw new Error("FakeSlack.waitFor timed out");
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const rawBytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks)));
    });
    const raw = rawBytes.toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const respond = /^\/respond\/([\w-]+)$/.exec(url.pathname);
    if (respond) {
      const r = { id: respond[1] as string, body: JSON.parse(raw || "{}") };
      this.responses.push(r);
      for (const l of this.listeners) l({ kind: "respond", r });
      return { status: 200, body: "ok" };
    }
    const upload = /^\/upload\/([\w-]+)$/.exec(url.pathname);
    if (upload) {
      // files.getUploadURLExternal's URL: the bytes, as they are sent.
      const f = this.files.find((x) => x.id === upload[1]);
      if (!f) return { status: 404, body: "no such upload" };
      const type = String(req.headers["content-type"] ?? "");
      if (type.startsWith("multipart/form-data")) {
        // The Web API client sends the bytes as a multipart form with one file field.
        const form = await new Response(rawBytes, { headers: { "content-type": type } }).formData();
        const part = [...form.values()][0];
        f.content = typeof part === "string" ? part : await (part as Blob).text();
      } else f.content = raw;
      return { status: 200, body: "OK - ok" };
    }
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!api) return { status: 404, body: { ok: false, error: "unknown_path" } };
    const method = api[1] as string;
    const args = parseArgs(raw, String(req.headers["content-type"] ?? ""));
    const auth = String(req.headers.authorization ?? "");
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : (args.token as string | undefined);
    const call: ApiCall = { method, args, token, at: Date.now() };
    this.calls.push(call);
    const fault =
      method === "chat.postMessage" && this.validTokens.has(token ?? "")
        ? this.postFaults.shift()
        : undefined;
    if (fault?.status) {
      call.result = { ok: false, error: `http_${fault.status}` };
      return { status: fault.status, body: "internal error" };
    }
    const answer = this.answer(method, args, token);
    if (this.validTokens.has(token ?? ""))
      answer.headers = { ...answer.headers, "x-oauth-scopes": this.botScopes.join(",") };
    call.result = answer.body as Record<string, unknown>;
    for (const l of this.listeners) l({ kind: "api", call });
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    return answer;
  }

  private answer(
    method: string,
    args: Record<string, unknown>,
    token: string | undefined,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    if (method === "apps.connections.open") {
      // Socket Mode: the WebSocket URL (this server, which refuses the upgrade).
      return this.appTokens.has(token ?? "")
        ? {
            status: 200,
            body: { ok: true, url: this.socketUrl ?? `${this.url.replace(/^http/, "ws")}/socket` },
          }
        : { status: 200, body: { ok: false, error: "invalid_auth" } };
    }
    if (!token || !this.validTokens.has(token))
      return { status: 200, body: { ok: false, error: "invalid_auth" } };
    switch (method) {
      case "auth.test":
        return {
          status: 200,
          body: {
            ok: true,
            url: "https://acme.slack.com/",
            team: "Acme",
            user: "scimwatch",
            team_id: "T0TEAM",
            user_id: "UBOT",
            bot_id: "BBOT",
            ...(this.enterpriseId
              ? { enterprise_id: this.enterpriseId, is_enterprise_install: false }
              : {}),
          },
        };
      case "chat.postMessage": {
        if (this.notInChannels.has(String(args.channel)))
          return { status: 200, body: { ok: false, error: "not_in_channel" } };
        if (this.rateLimitPosts > 0) {
          this.rateLimitPosts--;
          return {
            status: 429,
            body: { ok: false, error: "ratelimited" },
            headers: { "retry-after": String(this.rateLimitRetryAfter) },
          };
        }
        this.ts += 1;
        const ts = `${this.ts}.000100`;
        const meta = typeof args.metadata === "string" ? safeJson(args.metadata) : args.metadata;
        this.messages.push({
          channel: String(args.channel),
          ts,
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          text: args.text,
          ...(meta ? { metadata: meta } : {}),
        });
        if (args.thread_ts) {
          const parent = this.messages.find(
            (m) => m.channel === args.channel && m.ts === args.thread_ts,
          );
          if (parent) parent.reply_count = (parent.reply_count ?? 0) + 1;
        }
        return {
          status: 200,
          body: {
            ok: true,
            channel: args.channel,
            ts,
            message: { text: args.text },
          },
        };
      }
      case "conversations.history": {
        if (this.notInChannels.has(String(args.channel)))
          return { status: 200, body: { ok: false, error: "not_in_channel" } };
        // Top-level messages, newest first; metadata only when asked for.
        const withMeta = String(args.include_all_metadata) === "true";
        // Paged as Slack pages it: `limit` per page (at most 200 here), a cursor to the next.
        const all = this.messages
          .filter((m) => m.channel === args.channel && !m.thread_ts)
          .reverse();
        const limit = Math.min(200, Number(args.limit ?? 100));
        const from = args.cursor ? Number(String(args.cursor).replace("c-", "")) : 0;
        const list = all
          .slice(from, from + limit)
          .map(({ metadata, ...m }) => (withMeta && metadata ? { ...m, metadata } : m));
        const more = from + limit < all.length;
        return {
          status: 200,
          body: {
            ok: true,
            messages: list,
            has_more: more,
            ...(more ? { response_metadata: { next_cursor: `c-${from + limit}` } } : {}),
          },
        };
      }
      case "conversations.replies": {
        const withMeta = String(args.include_all_metadata) === "true";
        const list = this.messages
          .filter(
            (m) => m.channel === args.channel && (m.ts === args.ts || m.thread_ts === args.ts),
          )
          .map(({ metadata, ...m }) => (withMeta && metadata ? { ...m, metadata } : m));
        return { status: 200, body: { ok: true, messages: list, has_more: false } };
      }
      case "files.getUploadURLExternal": {
        if (!args.filename || !args.length)
          return { status: 200, body: { ok: false, error: "invalid_arguments" } };
        const id = `F${String(this.files.length + 1).padStart(6, "0")}`;
        this.files.push({
          id,
          filename: String(args.filename),
          length: Number(args.length),
          content: "",
          completed: false,
        });
        return {
          status: 200,
          body: { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id },
        };
      }
      case "files.completeUploadExternal": {
        const list = (typeof args.files === "string" ? safeJson(args.files) : args.files) as
          | Array<{ id: string; title?: string }>
          | undefined;
        if (args.channel_id && this.notInChannels.has(String(args.channel_id)))
          return { status: 200, body: { ok: false, error: "not_in_channel" } };
        const done = (list ?? []).flatMap((x) => {
          const f = this.files.find((y) => y.id === x.id);
          if (!f) return [];
          f.completed = true;
          if (x.title) f.title = x.title;
          if (args.channel_id) f.channel = String(args.channel_id);
          if (args.thread_ts) f.thread_ts = String(args.thread_ts);
          return [{ id: f.id, title: f.title ?? f.filename, name: f.filename }];
        });
        return { status: 200, body: { ok: true, files: done } };
      }
      case "chat.update":
        return { status: 200, body: { ok: true, channel: args.channel, ts: args.ts } };
      case "chat.postEphemeral":
        return { status: 200, body: { ok: true, message_ts: `${this.ts}.000200` } };
      case "views.publish":
      case "views.open":
      case "views.update":
        return { status: 200, body: { ok: true, view: { id: "V1" } } };
      default:
        return { status: 200, body: { ok: true } };
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // WebClient JSON-encodes nested arguments (blocks, attachments) in form bodies.
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** Signs a body the way Slack does: v0=HMAC-SHA256(secret, "v0:<ts>:<body>"). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** POSTs a form-encoded, signed request to the bot. */
export async function postSigned(
  url: string,
  form: Record<string, string>,
  secret: string,
  opts: { timestamp?: number; signature?: string; unsigned?: boolean } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const body = new URLSearchParams(form).toString();
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (!opts.unsigned) {
    headers["x-slack-request-timestamp"] = String(ts);
    headers["x-slack-signature"] = opts.signature ?? slackSignature(secret, ts, body);
  }
  const t0 = Date.now();
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, body: await res.text(), ms: Date.now() - t0 };
}
