/**
 * One HTTP request, over Node's own `http`/`https` (its native parser): the
 * one HTTP client of every adapter (Descope, Microsoft Graph, Okta, the bot's
 * warm-up). No retries, budgets or parsing here: each adapter decides those.
 *
 * Why not `fetch` or the `undici` package: both parse HTTP in WebAssembly,
 * which costs a one-shot command like `scimwatch check` 0.1–0.25 s of loading
 * and compiling before its first request; `node:http` is already in the
 * binary. Connections are kept alive by Node's default agents.
 */
import { request as httpRequestRaw, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequestRaw } from "node:https";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { type EgressPolicy, EgressRefused, guardedLookup, urlProblem } from "./egress.js";

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface HttpOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Bounds the whole exchange: connect, headers and body. */
  timeoutMs: number;
  /** Refuse answers larger than this. Default 32 MiB. */
  maxBytes?: number;
  /**
   * Where this request may go (egress.ts): set for URLs that come from outside
   * (an Okta org typed in Slack). The scheme and an IP-literal host are checked
   * before, and every address a name resolves to when connecting.
   */
  egress?: EgressPolicy;
}

/** Thrown when no complete answer came within `timeoutMs`. */
class HttpTimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "ETIMEDOUT";
}

/** One request; resolves with any status, rejects on network failure, timeout or an oversized answer. */
export function httpRequest(url: string, opts: HttpOptions): Promise<HttpAnswer> {
  const problem = opts.egress ? urlProblem(url, opts.egress) : null;
  if (problem) return Promise.reject(new EgressRefused(problem));
  const u = new URL(url);
  const send = u.protocol === "https:" ? httpsRequestRaw : httpRequestRaw;
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(answer as HttpAnswer);
    };
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
    const guard = opts.egress ? { lookup: guardedLookup(opts.egress) } : {};
    const req = send(u, { method: opts.method ?? "GET", headers, ...guard }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish(new Error(`answer larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on("error", (e) => finish(e));
      res.on("close", () => {
        if (!res.complete)
          finish(Object.assign(new Error("connection closed mid-answer"), { code: "ECONNRESET" }));
      });
      res.on("end", () => {
        try {
          const text = decode(Buffer.concat(chunks), res.headers["content-encoding"]);
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, text });
        } catch (e) {
          finish(e as Error);
        }
      });
    });
    const timer = setTimeout(
      () => finish(new HttpTimeoutError(`no answer from ${u.host} within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    req.on("error", (e) => finish(e));
    req.end(opts.body);
  });
}

function decode(body: Buffer, encoding: string | undefined): string {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return gunzipSync(body).toString("utf8");
    case "deflate":
      return inflateSync(body).toString("utf8");
    case "br":
      return brotliDecompressSync(body).toString("utf8");
    default:
      return body.toString("utf8");
  }
}

/** One header's value (the first, when repeated). */
export function headerOf(ans: HttpAnswer, name: string): string | undefined {
  const v = ans.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The body as JSON, or null when it is empty or not JSON. */
export function jsonOrNull(ans: HttpAnswer): unknown {
  if (ans.text.length === 0) return null;
  try {
    return JSON.parse(ans.text);
  } catch {
    return null;
  }
}

/** Whether a request failed for want of an answer in time. */
export function isTimeout(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

/** Why a request got no answer, in words: "no answer in time", or the network code. */
export function unanswered(e: unknown): string {
  return isTimeout(e) ? "no answer in time" : networkCodeOf(e);
}

/** What a failed request's error says went wrong on the network (ECONNREFUSED, ENOTFOUND, …). */
export function networkCodeOf(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; message?: string } | null;
  return err?.code ?? err?.cause?.code ?? err?.message ?? "network error";
}
