/**
 * The transport to Descope's management API, and the one place a request is
 * sent: auth header, the license handshake, per-attempt timeout, retries (429
 * honouring Retry-After, 5xx and network errors with jittered backoff) within
 * a bounded total wait, a budget hook per attempt, and zod validation of the
 * answer. The resources (audit, users, tenants, SSO, groups) are in client.ts.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type * as z from "zod";
import { USER_AGENT } from "../config/version.js";
import { headerOf, httpRequest, isTimeout, networkCodeOf } from "../net/http.js";
import { DescopeError, retryHint } from "./errors.js";
import { ReadCache, type Shared, type SharedCache } from "./read-cache.js";
import { errorBodySchema, licenseSchema } from "./schemas.js";
import { parseRetryAfter, type RawAnswer } from "./wire.js";

export { isNotFound, type RawAnswer } from "./wire.js";

export type ManagementPriority = "interactive" | "background";
export type { SharedCache } from "./read-cache.js";

export interface DescopeClientOptions {
  projectId: string;
  managementKey: string;
  baseUrl?: string | undefined;
  /** Per-attempt timeout (headers and body). Default 10 s. */
  timeoutMs?: number;
  /** Attempts per call, first one included. Default 4. */
  maxAttempts?: number;
  /** Longest total time spent waiting between attempts of one call. Default 20 s. */
  maxRetryWaitMs?: number;
  /** First backoff step for 5xx/network errors. Default 250 ms. */
  backoffBaseMs?: number;
  /** Longest one call may take, attempts and waits included. Default 30 s. */
  maxTotalMs?: number;
  /**
   * Keep tenant lists, tenant settings and SSO settings this long (ms) in memory;
   * they change rarely and every check reads them. Default 0 (no cache).
   */
  cacheTtlMs?: number;
  /**
   * Called before every audit-search request (every page, every retry: each
   * reaches Descope): the audit budget hooks in here. `maxWaitMs` is how long
   * the caller accepts to wait for it; `priority` who is asking.
   */
  beforeAuditSearch?: (maxWaitMs: number | undefined, priority: "tail" | "check") => Promise<void>;
  /**
   * Called before every attempt of every other management call (user, tenant,
   * SSO look-ups): the management budget hooks in here. Throw a DescopeError
   * to refuse the call. `priority`: "interactive" (a person waits: checks,
   * registrations, the CLI) or "background" (the evaluation of open hires,
   * which leaves a reserve to the people waiting and resumes at its next run).
   */
  beforeManagementCall?: (priority: ManagementPriority) => Promise<void>;
  /**
   * A cache every replica shares (Redis), for reads that change rarely and
   * every replica repeats (the tenant list, tenant and SSO settings): on a
   * miss in memory, asked before Descope. Values are JSON.
   */
  sharedCache?: SharedCache;
  /** After each call (retries included): its operation and outcome ("ok", "http_4xx" or the failure code), for metrics. */
  /** After each call (its retries included): what, how it ended, how long it took (ms). */
  onCall?: (op: string, outcome: string, ms: number) => void;
  now?: () => number;
}

/** Descope's base URL: an explicit override, or the regional host encoded in long project IDs. */
export function descopeBaseUrl(projectId: string, override?: string): string {
  if (override) return override.replace(/\/+$/, "");
  if (projectId.length >= 32) return `https://api.${projectId.slice(1, 5)}.descope.com`;
  return "https://api.descope.com";
}

export class DescopeHttp {
  readonly baseUrl: string;
  private readonly auth: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly backoffBaseMs: number;
  private readonly now: () => number;

  private readonly cache: ReadCache;
  /** The license handshake, done once: the project's rate-limit tier, or null. */
  private license?: Promise<string | null>;

  /** Memoises a read in this process (`cacheTtlMs`) and, given `share`, across replicas. */
  cached<T>(key: string, load: () => Promise<T>, share?: Shared<T>): Promise<T> {
    return this.cache.get(key, load, share);
  }

  constructor(private readonly opts: DescopeClientOptions) {
    this.baseUrl = descopeBaseUrl(opts.projectId, opts.baseUrl);
    this.auth = `Bearer ${opts.projectId}:${opts.managementKey}`;
    this.cache = new ReadCache(opts.cacheTtlMs ?? 0, opts.sharedCache);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.maxRetryWaitMs = opts.maxRetryWaitMs ?? 20_000;
    this.backoffBaseMs = opts.backoffBaseMs ?? 250;
    this.now = opts.now ?? Date.now;
  }

  /**
   * Descope's SDKs ask `GET /v1/mgmt/license` once and send its
   * `rateLimitTier` as `x-descope-license` on every management call, so that
   * Descope applies the project's rate-limit bucket. One attempt with a short
   * timeout; when it fails, calls go on without the header.
   */
  rateLimitTier(): Promise<string | null> {
    this.license ??= (async () => {
      try {
        const timeoutMs = Math.min(this.timeoutMs, 5_000);
        const res = await httpRequest(`${this.baseUrl}/v1/mgmt/license`, {
          headers: {
            authorization: this.auth,
            accept: "application/json",
            "user-agent": USER_AGENT,
          },
          timeoutMs,
        });
        if (res.status !== 200) return null;
        const text = res.text;
        const parsed = licenseSchema.safeParse(JSON.parse(text));
        return parsed.success ? (parsed.data.rateLimitTier ?? null) : null;
      } catch {
        return null;
      }
    })();
    return this.license;
  }

  parse<S extends z.ZodType>(op: string, ans: RawAnswer, schema: S): z.output<S> {
    this.ensureOk(op, ans);
    const res = schema.safeParse(ans.json);
    if (!res.success) {
      const issue = res.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new DescopeError(
        "descope_bad_response",
        `${op}: Descope answered with an unexpected body${where} (${issue?.message ?? "invalid"}); retry in a minute, and report it if it persists`,
        60,
        ans.status,
      );
    }
    return res.data;
  }

  ensureOk(op: string, ans: RawAnswer): void {
    if (ans.status >= 200 && ans.status < 300) return;
    const err = errorBodySchema.safeParse(ans.json);
    const detail = err.success
      ? [err.data.errorCode, err.data.errorDescription ?? err.data.errorMessage]
          .filter(Boolean)
          .join(" ")
      : "";
    throw new DescopeError(
      "descope_error",
      `${op}: Descope answered HTTP ${ans.status}${detail ? ` (${detail})` : ""}`,
      undefined,
      ans.status,
    );
  }

  /** Sends one request with retries. Returns 2xx and non-auth 4xx answers; throws DescopeError otherwise. */
  async call(
    op: string,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    beforeAttempt?: () => Promise<void> | undefined,
  ): Promise<RawAnswer> {
    const t0 = performance.now();
    try {
      const ans = await this.attempts(op, method, path, body, beforeAttempt);
      this.opts.onCall?.(
        op,
        ans.status < 300 ? "ok" : `http_${ans.status}`,
        performance.now() - t0,
      );
      return ans;
    } catch (e) {
      this.opts.onCall?.(op, e instanceof DescopeError ? e.code : "error", performance.now() - t0);
      throw e;
    }
  }

  private async attempts(
    op: string,
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    /** Before every attempt (each one reaches Descope): the budget for this kind of call. */
    beforeAttempt: () => Promise<void> | undefined = () =>
      this.opts.beforeManagementCall?.("interactive"),
  ): Promise<RawAnswer> {
    const tier = await this.rateLimitTier();
    const started = this.now();
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      let failure: DescopeError;
      let delayMs: number;
      // Every attempt reaches Descope and counts against its limits.
      await beforeAttempt();
      try {
        const res = await httpRequest(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: this.auth,
            accept: "application/json",
            "user-agent": USER_AGENT,
            ...(tier ? { "x-descope-license": tier } : {}),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          timeoutMs: this.timeoutMs,
        });
        const { text, status } = res;
        if (status === 401 || status === 403) {
          throw new DescopeError(
            "descope_auth",
            `${op}: Descope refused the credentials (HTTP ${status}); check DESCOPE_PROJECT_ID and DESCOPE_MANAGEMENT_KEY (the key may be expired, revoked or lack permissions)`,
            undefined,
            status,
          );
        }
        if (status === 429) {
          const retryAfter = parseRetryAfter(headerOf(res, "retry-after"));
          delayMs = retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt);
          failure = new DescopeError(
            "descope_rate_limited",
            `${op}: Descope is rate-limiting this project (HTTP 429)`,
            Math.ceil(delayMs / 1000),
            status,
          );
        } else if (status >= 500) {
          delayMs = this.backoff(attempt);
          failure = new DescopeError(
            "descope_unreachable",
            `${op}: Descope answered HTTP ${status}`,
            undefined,
            status,
          );
        } else {
          let json: unknown = null;
          if (text.length > 0) {
            try {
              json = JSON.parse(text);
            } catch {
              throw new DescopeError(
                "descope_bad_response",
                `${op}: Descope answered HTTP ${status} with a body that is not JSON; retry in a minute, and report it if it persists`,
                60,
                status,
              );
            }
          }
          return { status, json };
        }
      } catch (e) {
        if (e instanceof DescopeError) throw e;
        if (networkCodeOf(e) === "ENOTFOUND")
          // A name that does not exist is a setting to fix, not a moment to wait out.
          throw new DescopeError(
            "descope_unreachable",
            `${op}: ${hostOf(this.baseUrl)} does not resolve (ENOTFOUND): check DESCOPE_BASE_URL (unset it to use Descope's default), and this machine's DNS`,
          );
        delayMs = this.backoff(attempt);
        const timedOut = isTimeout(e);
        failure = new DescopeError(
          "descope_unreachable",
          timedOut
            ? `${op}: Descope did not answer within ${Math.round(this.timeoutMs / 1000)} s`
            : `${op}: could not reach Descope at ${this.baseUrl} (${networkCodeOf(e)})`,
        );
      }
      const budgetLeft = this.maxRetryWaitMs - waited;
      const wouldEndAt = this.now() - started + delayMs + this.timeoutMs;
      if (
        attempt >= this.maxAttempts ||
        delayMs > budgetLeft ||
        wouldEndAt > (this.opts.maxTotalMs ?? 30_000)
      ) {
        const retryAfterSec = failure.code === "descope_rate_limited" ? failure.retryAfterSec : 60;
        const spent = Math.round((this.now() - started) / 1000);
        throw new DescopeError(
          failure.code,
          `${failure.message}; gave up after ${attempt} attempt${attempt > 1 ? "s" : ""} in ${spent} s — ${retryHint(retryAfterSec, this.now())}`,
          retryAfterSec,
          failure.status,
        );
      }
      await sleep(delayMs);
      waited += delayMs;
    }
  }

  /** Exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    const cap = this.backoffBaseMs * 2 ** (attempt - 1);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
