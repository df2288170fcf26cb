/**
 * The one place scimwatch talks to an Okta org: read-only GETs with an API
 * token (`Authorization: SSWS …`) or a service app's OAuth tokens (with DPoP
 * when the app requires it: okta-oauth.ts), `Link: rel="next"` paging followed
 * verbatim, and Okta's rate-limit headers respected (a 429 waits until
 * X-Rate-Limit-Reset, measured against the response's Date, once).
 */
import { setTimeout as sleep } from "node:timers/promises";
import * as z from "zod";
import { type EgressPolicy, STRICT, sameOrigin } from "../net/egress.js";
import { type HttpAnswer, headerOf, httpRequest, jsonOrNull } from "../net/http.js";
import { ConnectorError } from "./entra-http.js";
import { type OktaAuth, oktaApiToken, oktaUnreachable } from "./okta-oauth.js";

const errorSchema = z.object({
  errorCode: z.string().optional(),
  errorSummary: z.string().optional(),
});

/** Scopes each path needs (idp-apis.md §3), to say which one is missing. */
function oktaScopeFor(path: string): string {
  if (path.startsWith("/api/v1/logs")) return "okta.logs.read";
  if (path.startsWith("/api/v1/apps")) return "okta.apps.read";
  if (path.startsWith("/api/v1/groups")) return "okta.groups.read";
  return "okta.users.read";
}

export class OktaHttp {
  /** The org URL (no trailing slash): where the API is, and the admin console beside it. */
  readonly base: string;
  private readonly auth: OktaAuth;

  constructor(
    orgUrl: string,
    /** An API token, or a service app's OAuth (okta-oauth.ts). */
    auth: string | OktaAuth,
    /** Where the org URL and its next links may lead (net/egress.ts); strict by default. */
    private readonly egress: EgressPolicy = STRICT,
    private readonly timeoutMs = 10_000,
  ) {
    this.base = orgUrl.replace(/\/+$/, "");
    this.auth = typeof auth === "string" ? oktaApiToken(auth) : auth;
  }

  /** One GET; null on 404. */
  async get(path: string): Promise<{ json: unknown; next: string | null } | null> {
    const url = /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
    let reauthorised = false;
    for (let attempt = 1; ; attempt++) {
      let res: HttpAnswer;
      const auth = await this.auth.headers("GET", url);
      try {
        res = await httpRequest(url, {
          headers: { ...auth, accept: "application/json" },
          timeoutMs: this.timeoutMs,
          egress: this.egress,
          service: "okta",
        });
      } catch (e) {
        throw oktaUnreachable(e, url);
      }
      if (res.status === 404) {
        return null;
      }
      if (res.status === 429) {
        const reset = Number(headerOf(res, "x-rate-limit-reset"));
        const date = Date.parse(headerOf(res, "date") ?? "") || Date.now();
        const sec =
          Number.isFinite(reset) && reset > 0 ? Math.max(1, Math.ceil(reset - date / 1000)) : 5;
        if (attempt >= 2 || sec > 10)
          throw new ConnectorError(
            "throttled",
            `Okta is rate-limiting ${new URL(url).pathname}; retry in ${sec} s`,
            sec,
          );
        await sleep(sec * 1000);
        continue;
      }
      // A DPoP nonce to follow, or an OAuth token to renew: once.
      if (res.status === 401 && !reauthorised && this.auth.retryAfter(res)) {
        reauthorised = true;
        continue;
      }
      const json = jsonOrNull(res);
      if (res.status === 401)
        throw new ConnectorError(
          "bad_credentials",
          this.auth.kind === "token"
            ? "Okta refused the API token (expired after 30 days unused, revoked, or its admin lost the role): create a new read-only token and connect again"
            : "Okta refused the service app's token (scopes revoked, or the app deactivated): check the app's granted scopes and admin role, then connect again",
        );
      if (res.status === 403) {
        const e = errorSchema.safeParse(json);
        throw new ConnectorError(
          "permission_missing",
          `Okta refused ${new URL(url).pathname} (${e.success ? (e.data.errorSummary ?? 403) : 403}): the token's admin lacks ${oktaScopeFor(new URL(url).pathname)}`,
        );
      }
      if (res.status >= 400)
        throw new ConnectorError(
          res.status >= 500 ? "unreachable" : "bad_response",
          `Okta answered HTTP ${res.status} to ${new URL(url).pathname}`,
        );
      const link = headerOf(res, "link") ?? "";
      const next = /<([^>]+)>\s*;\s*rel="next"/.exec(link)?.[1] ?? null;
      // The token goes only where the call went: a next link to another origin is not followed.
      if (next && !sameOrigin(next, this.base))
        throw new ConnectorError(
          "bad_response",
          "Okta's next-page link points to another origin: not followed (the token stays with the org)",
        );
      return { json, next };
    }
  }

  /**
   * One write (POST/PUT) with this client's credentials (the write token):
   * the status and body, or a coded error naming what is missing. Never
   * retried: a write whose answer was lost is not sent twice.
   */
  async send(
    method: "POST" | "PUT",
    path: string,
    body: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const url = `${this.base}${path}`;
    const auth = await this.auth.headers(method, url);
    let res: HttpAnswer;
    try {
      res = await httpRequest(url, {
        method,
        headers: { ...auth, accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify(body ?? {}),
        timeoutMs: Math.max(this.timeoutMs, 30_000),
        egress: this.egress,
        service: "okta",
      });
    } catch (e) {
      throw oktaUnreachable(e, url);
    }
    const json = jsonOrNull(res);
    const e = errorSchema.safeParse(json);
    const why = e.success ? (e.data.errorSummary ?? e.data.errorCode ?? "") : "";
    if (res.status === 401 || res.status === 403)
      throw new ConnectorError(
        "permission_missing",
        `Okta refused ${new URL(url).pathname} (${why || res.status}): the write token's admin lacks ${path.startsWith("/api/v1/groups") ? "okta.groups.manage" : "okta.apps.manage"}`,
      );
    if (res.status >= 400)
      throw new ConnectorError(
        res.status >= 500 || res.status === 429 ? "unreachable" : "bad_response",
        `Okta answered HTTP ${res.status} to ${new URL(url).pathname}${why ? ` (${why})` : ""}`,
      );
    return { status: res.status, json };
  }

  /** Every page of a list, at most `maxPages`. */
  async list(path: string, maxPages = 10): Promise<unknown[] | null> {
    const out: unknown[] = [];
    let next: string | null = path;
    for (let i = 0; next && i < maxPages; i++) {
      const r = await this.get(next);
      if (!r) return i === 0 ? null : out;
      if (!Array.isArray(r.json))
        throw new ConnectorError(
          "bad_response",
          `Okta answered ${path.split("?")[0]} with an unexpected body`,
        );
      out.push(...r.json);
      next = r.next;
    }
    return out;
  }
}
