/**
 * One HTTP request, over undici (the project's HTTP client) and the process's
 * one dispatcher (dispatcher.ts: keep-alive, and the environment's proxy): the
 * one HTTP client of every adapter (Descope, Microsoft Graph, Okta, the bot's
 * warm-up). No retries, budgets or parsing here: each adapter decides those.
 */
import type { IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { request } from "undici";
import { directDispatcher, dispatcher, guardedDispatcher } from "./dispatcher.js";
import { type EgressPolicy, EgressRefused, urlProblem } from "./egress.js";

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface HttpOptions {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: string;
  /** Bounds the whole exchange: connect, headers and body. */
  timeoutMs: number;
  /** Refuse answers larger than this. Default 32 MiB. */
  maxBytes?: number;
  /**
   * Where this request may go (egress.ts): set for URLs that come from outside
   * (an Okta org typed in Slack). The scheme and an IP-literal host are checked
   * before, and every address a name resolves to when connecting directly.
   */
  egress?: EgressPolicy;
  /** To this process itself (the warm-up): never through a proxy. */
  direct?: boolean;
  /** Which service this call is for (graph, entra_login, okta, okta_token): timed under that name. */
  service?: string;
}

/** Told of every request that names its `service`: its duration and outcome (the metrics). */
type CallObserver = (service: string, outcome: string, ms: number) => void;
let observer: CallObserver | undefined;

/** Sets where timed requests are reported (one per process: the metrics). */
export function observeHttpCalls(fn: CallObserver | undefined): void {
  observer = fn;
}

/** Thrown when no complete answer came within `timeoutMs`. */
class HttpTimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "ETIMEDOUT";
}

/** One request; resolves with any status, rejects on network failure, timeout or an oversized answer. */
export async function httpRequest(url: string, opts: HttpOptions): Promise<HttpAnswer> {
  const problem = opts.egress ? urlProblem(url, opts.egress) : null;
  if (problem) throw new EgressRefused(problem);
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const started = performance.now();
  let outcome = "network_error";
  const abort = new AbortController();
  const timer = setTimeout(
    () =>
      abort.abort(
        new HttpTimeoutError(`no answer from ${new URL(url).host} within ${opts.timeoutMs} ms`),
      ),
    opts.timeoutMs,
  );
  try {
    const res = await request(url, {
      method: opts.method ?? "GET",
      headers: opts.headers ?? {},
      body: opts.body,
      signal: abort.signal,
      dispatcher: opts.egress
        ? guardedDispatcher(opts.egress)
        : opts.direct
          ? directDispatcher()
          : dispatcher(),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new Error(`answer larger than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    const headers = res.headers as IncomingHttpHeaders;
    const encoding = headers["content-encoding"];
    const text = decode(Buffer.concat(chunks), Array.isArray(encoding) ? encoding[0] : encoding);
    outcome = res.statusCode < 400 ? "ok" : `http_${res.statusCode}`;
    return { status: res.statusCode, headers, text };
  } catch (e) {
    if (abort.signal.aborted && abort.signal.reason instanceof HttpTimeoutError) {
      outcome = "timeout";
      throw abort.signal.reason;
    }
    throw e;
  } finally {
    clearTimeout(timer);
    if (opts.service) observer?.(opts.service, outcome, performance.now() - started);
  }
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
