/**
 * The one place scimwatch talks to Microsoft Entra ID: an app-only token per
 * customer tenant (client credentials, cached until shortly before expiry)
 * and read-only Graph v1.0 GETs with paging (@odata.nextLink, followed
 * verbatim), 429 with Retry-After, the reports service's tighter limit (5
 * requests per 10 s per tenant) kept in a shared Redis budget, and failures
 * turned into coded errors that say what is missing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import * as z from "zod";
import { CodedError } from "../core/failure.js";
import { sameOrigin } from "../net/egress.js";
import {
  type HttpAnswer,
  type HttpOptions,
  headerOf,
  httpRequest,
  isTimeout,
  jsonOrNull,
  networkCodeOf,
} from "../net/http.js";

export type ConnectorProblem =
  | "consent_missing"
  | "bad_credentials"
  | "tenant_not_found"
  | "permission_missing"
  | "throttled"
  | "unreachable"
  | "bad_response";

export class ConnectorError extends CodedError {
  constructor(
    readonly problem: ConnectorProblem,
    message: string,
    retryAfterSec?: number,
  ) {
    super("connector", message, retryAfterSec);
  }
}

interface EntraHttpOptions {
  clientId: string;
  clientSecret: string;
  loginUrl?: string | undefined;
  graphUrl?: string | undefined;
  /** ENTRA_REDIRECT_URI: a redirect URI registered on scimwatch's app, which the admin-consent link must carry. */
  redirectUri?: string | undefined;
  timeoutMs?: number;
  /** Before every reports-service request (audit/provisioning logs), per Entra tenant: the shared budget. */
  beforeReports?: (tenant: string) => Promise<void>;
  now?: () => number;
}

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number() });
const tokenErrorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});
const graphErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
const pageSchema = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
});

/** The permission each Graph path needs (idp-apis.md §1), to say which one is missing. */
export function permissionFor(path: string): string {
  // The reports list needs both (idp-apis.md §1): without Directory.Read.All Graph says 403.
  if (path.startsWith("/auditLogs")) return "AuditLog.Read.All and Directory.Read.All";
  if (path.includes("/synchronization")) return "Synchronization.Read.All";
  if (path.includes("/memberOf") && !path.includes("transitive")) return "Directory.Read.All";
  if (path.startsWith("/groups")) return "GroupMember.Read.All";
  if (path.startsWith("/users")) return "User.Read.All";
  return "Application.Read.All";
}

export class EntraHttp {
  private readonly loginUrl: string;
  /** Graph's base URL (no trailing slash). */
  readonly graphUrl: string;
  readonly timeoutMs: number;
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly opts: EntraHttpOptions) {
    this.loginUrl = (opts.loginUrl ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
    this.graphUrl = (opts.graphUrl ?? "https://graph.microsoft.com").replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * The link the customer's admin opens once to grant the read-only permissions:
   * the v2 endpoint with every permission of the registration (`/.default`) and
   * the registered redirect URI it requires (idp-apis.md §1). Without
   * ENTRA_REDIRECT_URI, the v1 form (Microsoft may refuse it: set the URI).
   */
  consentUrl(tenant: string): string {
    const id = encodeURIComponent(this.opts.clientId);
    const t = encodeURIComponent(tenant);
    if (!this.opts.redirectUri) return `${this.loginUrl}/${t}/adminconsent?client_id=${id}`;
    const q = new URLSearchParams({
      client_id: this.opts.clientId,
      scope: `${this.graphUrl}/.default`,
      redirect_uri: this.opts.redirectUri,
      state: tenant,
    });
    return `${this.loginUrl}/${t}/v2.0/adminconsent?${q.toString()}`;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async token(tenant: string): Promise<string> {
    const hit = this.tokens.get(tenant);
    if (hit && hit.until > this.now()) return hit.token;
    const body = new URLSearchParams({
      client_id: this.opts.clientId,
      client_secret: this.opts.clientSecret,
      scope: `${this.graphUrl}/.default`,
      grant_type: "client_credentials",
    });
    const res = await this.fetch(
      `${this.loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      },
    );
    const json = jsonOrNull(res);
    if (res.status !== 200) {
      const e = tokenErrorSchema.safeParse(json);
      const desc = e.success ? (e.data.error_description ?? e.data.error ?? "") : "";
      const codes = e.success ? (e.data.error_codes ?? []) : [];
      const first = desc.split(/\r?\n/)[0] ?? "";
      if (
        codes.some((c) => [65001, 700016, 500011].includes(c)) ||
        /consent|not found in the directory/i.test(desc)
      )
        throw new ConnectorError(
          "consent_missing",
          `Entra tenant ${tenant} has not granted consent to scimwatch's app yet (${first}): its admin opens ${this.consentUrl(tenant)}`,
        );
      if (codes.some((c) => [90002, 900023].includes(c)) || /tenant.*not found/i.test(desc))
        throw new ConnectorError("tenant_not_found", `no Entra tenant ${tenant} (${first})`);
      throw new ConnectorError(
        "bad_credentials",
        `Entra refused scimwatch's app credentials (${first || `HTTP ${res.status}`}): check ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET (the secret may have expired)`,
      );
    }
    const t = tokenSchema.safeParse(json);
    if (!t.success)
      throw new ConnectorError(
        "bad_response",
        "Entra's token endpoint answered with an unexpected body",
      );
    // Kept until a minute before it expires.
    this.tokens.set(tenant, {
      token: t.data.access_token,
      until: this.now() + Math.max(0, t.data.expires_in - 60) * 1000,
    });
    return t.data.access_token;
  }

  /** One Graph GET (path under /v1.0, or a full nextLink); null on 404. */
  async get(tenant: string, pathOrUrl: string): Promise<unknown | null> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${this.graphUrl}/v1.0${pathOrUrl}`;
    const path = pathOrUrl.startsWith("http")
      ? new URL(pathOrUrl).pathname.replace(/^\/v1\.0/, "")
      : pathOrUrl;
    for (let attempt = 1; ; attempt++) {
      if (path.startsWith("/auditLogs"))
        await this.opts.beforeReports?.(tenant).catch((e: unknown) => {
          const sec = Math.ceil(((e as { retryInMs?: number }).retryInMs ?? 10_000) / 1000);
          throw new ConnectorError(
            "throttled",
            `Graph's reports limit (5 requests per 10 s per tenant) is spent: provisioning logs skipped, retry in ${sec} s`,
            sec,
          );
        });
      const token = await this.token(tenant);
      const res = await this.fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      });
      if (res.status === 404) {
        return null;
      }
      if (res.status === 429) {
        const wait = Number(headerOf(res, "retry-after") ?? "5");
        const sec = Number.isFinite(wait) ? wait : 5;
        if (attempt >= 2 || sec > 10)
          throw new ConnectorError(
            "throttled",
            `Microsoft Graph is throttling ${path}; retry in ${sec} s`,
            sec,
          );
        await sleep(sec * 1000);
        continue;
      }
      if (res.status === 401 && attempt === 1) {
        // A cached token outlived its grant (consent revoked, secret rotated): ask again, once.
        this.tokens.delete(tenant);
        continue;
      }
      const json = jsonOrNull(res);
      if (res.status === 401 || res.status === 403) {
        const e = graphErrorSchema.safeParse(json);
        const code = e.success ? (e.data.error?.code ?? res.status) : res.status;
        // Report calls answer this code both without a P1/P2 licence and without Directory.Read.All.
        if (code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant")
          throw new ConnectorError(
            "permission_missing",
            `Graph refused ${path.split("?")[0]} (${code}): scimwatch's Entra app lacks Directory.Read.All (with AuditLog.Read.All), or the tenant has no Entra ID P1/P2 licence — grant both permissions with admin consent, on a premium tenant`,
          );
        throw new ConnectorError(
          "permission_missing",
          `Graph refused ${path.split("?")[0]} (${code}): the ${permissionFor(path)} permission${permissionFor(path).includes(" and ") ? "s are" : " is"} missing or not consented`,
        );
      }
      if (res.status >= 400) {
        const e = graphErrorSchema.safeParse(json);
        throw new ConnectorError(
          res.status >= 500 ? "unreachable" : "bad_response",
          `Graph answered HTTP ${res.status} to ${path.split("?")[0]}${e.success && e.data.error?.message ? `: ${e.data.error.message}` : ""}`,
        );
      }
      return json;
    }
  }

  /**
   * Pages of a Graph collection until `enough` says so, the list ends, or
   * `maxPages` were read (Graph may answer empty pages with a nextLink: they are
   * followed). Null when the first page is a 404. `ended`: the list was read to its end.
   */
  async pages(
    tenant: string,
    path: string,
    maxPages: number,
    enough: (items: unknown[]) => boolean,
  ): Promise<{ items: unknown[]; pages: number; ended: boolean } | null> {
    const items: unknown[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next && pages < maxPages) {
      const json = await this.get(tenant, next);
      if (json === null) return pages === 0 ? null : { items, pages, ended: true };
      const page = pageSchema.safeParse(json);
      if (!page.success)
        throw new ConnectorError(
          "bad_response",
          `Graph answered ${path.split("?")[0]} with an unexpected body`,
        );
      pages++;
      items.push(...page.data.value);
      next = page.data["@odata.nextLink"];
      if (next && !sameOrigin(next, this.graphUrl))
        throw new ConnectorError(
          "bad_response",
          "Graph's next-page link points to another origin: not followed",
        );
      if (enough(items)) break;
    }
    return { items, pages, ended: !next };
  }

  /** Every page of a Graph collection (nextLink followed verbatim), at most `maxPages`. */
  async list(tenant: string, path: string, maxPages = 20): Promise<unknown[] | null> {
    return (await this.pages(tenant, path, maxPages, () => false))?.items ?? null;
  }

  private async fetch(url: string, init: Omit<HttpOptions, "timeoutMs">): Promise<HttpAnswer> {
    try {
      const service =
        url.startsWith(this.loginUrl) && url.includes("/oauth2/") ? "entra_login" : "graph";
      return await httpRequest(url, { ...init, timeoutMs: this.timeoutMs, service });
    } catch (e) {
      const timedOut = isTimeout(e);
      throw new ConnectorError(
        "unreachable",
        timedOut
          ? `Microsoft did not answer within ${Math.round(this.timeoutMs / 1000)} s`
          : `could not reach ${new URL(url).host} (${networkCodeOf(e)})`,
      );
    }
  }
}
