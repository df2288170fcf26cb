/**
 * A local fake of Descope's management API, speaking the wire format in
 * shared/reference/descope-api.md: it checks the auth header and request
 * bodies the way the real API would, and can be told to misbehave
 * (429 with Retry-After, 5xx, slow answers, malformed bodies).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WireAudit {
  /** Descope may send it empty or not at all. */
  ID?: string;
  projectId?: string;
  userId?: string;
  action: string;
  type?: string;
  actorId?: string;
  occurred: string;
  method?: string;
  externalIds: string[];
  tenants: string[];
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface WireUser {
  userId: string;
  loginIds: string[];
  email?: string;
  name?: string;
  status: string;
  roleNames: string[];
  userTenants: { tenantId: string; tenantName?: string; roleNames: string[] }[];
  createdTime: number;
  SCIM?: boolean;
  [extra: string]: unknown;
}

export interface WireTenant {
  id: string;
  name: string;
  selfProvisioningDomains?: string[];
  [extra: string]: unknown;
}

export interface WireSso {
  saml?: Record<string, unknown>;
  oidc?: Record<string, unknown>;
}

export interface WireGroup {
  id: string;
  display: string;
  members: { loginId: string; userId: string; display?: string }[];
  source: "scim" | "jit";
}

export interface Fault {
  /** Let this request through untouched (to fail a later one). */
  pass?: boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Hold the answer (the fault's, or with `pass` the real one) this long (ms) before sending it. */
  delayMs?: number;
}

export type Route =
  | "audit"
  | "user"
  | "users"
  | "tenants"
  | "tenant"
  | "settings"
  | "sso"
  | "groups"
  | "scimKeys"
  | "adminLink"
  | "scimKeyCreate"
  | "scimKeyRevoke"
  | "scimKeyActivate"
  | "license";

const DAY = 86_400_000;

export class FakeDescope {
  readonly projectId: string;
  readonly managementKey: string;
  users: WireUser[] = [];
  tenants: WireTenant[] = [];
  settings: Record<string, { JITDisabled: boolean }> = {};
  /** Each tenant's default SSO configuration. */
  sso: Record<string, WireSso> = {};
  /** Further SSO configurations of a tenant (listed by /v2/mgmt/sso/settings/all). */
  ssoExtra: Record<string, Array<WireSso & { ssoId: string; displayName?: string }>> = {};
  /** A tenant's SCIM access keys (metadata), with the SSO configuration each serves. */
  scimKeys: Record<
    string,
    Array<{
      ssoId?: string;
      key: {
        id: string;
        name?: string;
        status?: string;
        expireTime?: number;
        createdTime?: number;
      };
    }>
  > = {};
  groups: Record<string, WireGroup[]> = {};
  /** When set, user search answers at most this many users a page, whatever the limit asked. */
  userPageCap: number | null = null;
  /** SSO Setup Suite links generated: for whom, valid how long (s), e-mailed to whom. */
  readonly adminLinks: Array<{ tenantId: string; expireTime: number; email: string | null }> = [];
  audits: WireAudit[] = [];
  /** SCIM keys created through the API, with the cleartext Descope answered once. */
  readonly createdKeys: Array<{ tenantId: string; id: string; cleartext: string }> = [];
  /** Every request's route and parsed body, in order. */
  readonly calls: { route: Route; body: unknown; at: number }[] = [];
  /** Add unknown fields to every answer, to prove the client tolerates them. */
  extraFields = false;
  /** Match login IDs exactly, as a case-sensitive store would (default: case-insensitive). */
  caseSensitiveLogins = false;
  /** What `total` says in audit answers: the true count, capped at a number, or left out. */
  auditTotal: "exact" | "absent" | number = "exact";
  /** The license handshake's tier (null: answer 404, as an older Descope would). */
  rateLimitTier: string | null = "tier2";
  /** Every request's headers, in order (to check x-descope-license and User-Agent). */
  readonly headers: { route: Route; headers: IncomingMessage["headers"] }[] = [];
  /** Every request as it came on the wire (method, path with query, body), in order: a replay log. */
  readonly wire: { method: string; path: string; body: string }[] = [];
  /** Audit searches beyond this many per rolling minute get 429 (like Descope's 10/min). */
  auditRatePerMin = Number.POSITIVE_INFINITY;
  now: () => number = Date.now;
  private readonly faults: Partial<Record<Route, Fault[]>> = {};
  private server?: Server;
  url = "";

  constructor(opts: { projectId?: string; managementKey?: string } = {}) {
    this.projectId = opts.projectId ?? "P2fakeproject";
    this.managementKey = opts.managementKey ?? "K2-secret-management-key";
  }

  /** Queue faults for the next requests to a route (consumed in order). */
  fail(route: Route, ...faults: Fault[]): void {
    const queue = this.faults[route] ?? [];
    queue.push(...faults);
    this.faults[route] = queue;
  }

  count(route: Route): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        send(res, 500, { errorCode: "E000000", errorDescription: String(e) });
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const raw = await readBody(req);
    this.wire.push({ method: req.method ?? "GET", path: req.url ?? "/", body: raw });
    const route = routeOf(req.method ?? "GET", url.pathname);
    if (!route) return send(res, 404, { errorCode: "E011004", errorDescription: "Not found" });
    this.calls.push({ route, body: safeJson(raw), at: this.now() });
    this.headers.push({ route, headers: req.headers });
    if (req.headers.authorization !== `Bearer ${this.projectId}:${this.managementKey}`) {
      return send(res, 401, {
        errorCode: "E011003",
        errorDescription: "Unauthorized",
        errorMessage: "Management key is invalid",
      });
    }
    let body: unknown = null;
    if (raw.length) {
      if (!String(req.headers["content-type"] ?? "").includes("application/json")) {
        return send(res, 400, {
          errorCode: "E011001",
          errorDescription: "Bad request: JSON expected",
        });
      }
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, {
          errorCode: "E011001",
          errorDescription: "Bad request: malformed JSON",
        });
      }
    }
    const fault = this.faults[route]?.shift();
    // A delay holds any answer, a fault's or (with pass) the real one.
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;
    if (fault && !fault.pass) {
      const status = fault.status ?? 500;
      res.writeHead(status, { "content-type": "application/json", ...fault.headers });
      res.end(fault.body ?? JSON.stringify({ errorCode: `E${status}`, errorDescription: "fault" }));
      return;
    }
    switch (route) {
      case "license":
        return this.rateLimitTier
          ? send(res, 200, this.extra({ rateLimitTier: this.rateLimitTier }))
          : send(res, 404, { errorCode: "E011004", errorDescription: "Not found" });
      case "audit":
        return this.auditSearch(body, res);
      case "user": {
        const loginId = url.searchParams.get("loginId");
        const userId = url.searchParams.get("userId");
        const u = this.users.find(
          (x) =>
            (loginId &&
              x.loginIds.some((l) =>
                this.caseSensitiveLogins
                  ? l === loginId
                  : l.toLowerCase() === loginId.toLowerCase(),
              )) ||
            (userId && x.userId === userId),
        );
        if (!u) {
          return send(res, 400, {
            errorCode: "E112102",
            errorDescription: "User not found",
            errorMessage: "Failed loading user",
          });
        }
        return send(res, 200, { user: this.extra(u) });
      }
      case "users": {
        const b = (body ?? {}) as {
          loginIds?: string[];
          emails?: string[];
          tenantIds?: string[];
          scimOnly?: boolean;
          limit?: number;
          page?: number;
        };
        const page = b.page ?? 0;
        // A server that caps the page size silently (Descope's largest page is unpublished).
        const limit = Math.min(b.limit ?? 100, this.userPageCap ?? Number.POSITIVE_INFINITY);
        if ((b.limit ?? 100) < 1 || (b.limit ?? 100) > 1000)
          return send(res, 400, { errorCode: "E011002", errorDescription: "limit out of range" });
        const ids = b.loginIds?.map((l) => l.toLowerCase());
        const emails = b.emails?.map((l) => l.toLowerCase());
        const rows = this.users.filter(
          (u) =>
            (!ids?.length || u.loginIds.some((l) => ids.includes(l.toLowerCase()))) &&
            (!emails?.length ||
              (u.email !== undefined && emails.includes(u.email.toLowerCase()))) &&
            (!b.tenantIds?.length ||
              u.userTenants.some((t) => b.tenantIds?.includes(t.tenantId))) &&
            (!b.scimOnly || u.SCIM === true),
        );
        return send(res, 200, {
          users: rows.slice(page * limit, page * limit + limit).map((u) => this.extra(u)),
          total: rows.length,
        });
      }
      case "tenants":
        return send(res, 200, { tenants: this.tenants.map((t) => this.extra(t)) });
      case "tenant": {
        const t = this.tenants.find((x) => x.id === url.searchParams.get("id"));
        return t
          ? send(res, 200, this.extra(t))
          : send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
      }
      case "settings": {
        const id = url.searchParams.get("id") ?? "";
        if (!this.tenants.some((t) => t.id === id)) {
          return send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
        }
        return send(
          res,
          200,
          this.extra({ JITDisabled: false, ...this.settings[id], selfProvisioningDomains: [] }),
        );
      }
      case "sso": {
        const id = url.searchParams.get("tenantId") ?? "";
        if (!this.tenants.some((t) => t.id === id)) {
          return send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
        }
        const s = this.sso[id];
        const t = this.tenants.find((x) => x.id === id);
        const main = { tenant: t, saml: s?.saml ?? null, oidc: s?.oidc ?? null, ssoId: "" };
        if (url.pathname.endsWith("/all")) {
          const extra = (this.ssoExtra[id] ?? []).map((x) => ({ tenant: t, ...x }));
          return send(res, 200, { SSOSettings: [main, ...extra].map((x) => this.extra(x)) });
        }
        const wanted = url.searchParams.get("ssoId");
        const one = wanted ? this.ssoExtra[id]?.find((x) => x.ssoId === wanted) : undefined;
        return send(res, 200, this.extra(one ? { tenant: t, ...one } : main));
      }
      case "scimKeys": {
        const id = url.searchParams.get("tenantId") ?? "";
        if (!this.tenants.some((t) => t.id === id)) {
          return send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
        }
        return send(res, 200, { keys: (this.scimKeys[id] ?? []).map((k) => this.extra(k)) });
      }
      case "scimKeyCreate":
      case "scimKeyRevoke":
      case "scimKeyActivate": {
        const b = (body ?? {}) as {
          tenantId?: string;
          ssoId?: string;
          name?: string;
          revokeMode?: unknown;
          keyIds?: string[];
        };
        if (typeof b.tenantId !== "string" || !this.tenants.some((t) => t.id === b.tenantId))
          return send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
        this.scimKeys[b.tenantId] ??= [];
        const keys = this.scimKeys[b.tenantId] ?? [];
        const mine = keys.filter((k) => (k.ssoId ?? "") === (b.ssoId ?? ""));
        if (route === "scimKeyCreate") {
          const id = `K-new-${keys.length + 1}`;
          const cleartext = `scim-token-${id}-${Math.random().toString(36).slice(2)}`;
          const key = {
            id,
            name: b.name ?? id,
            status: "active",
            expireTime: 0,
            createdTime: Math.floor(Date.now() / 1000),
          };
          keys.push({ ...(b.ssoId ? { ssoId: b.ssoId } : {}), key });
          this.createdKeys.push({ tenantId: b.tenantId, id, cleartext });
          return send(res, 200, { cleartext, key });
        }
        if (route === "scimKeyRevoke") {
          const deactivate =
            b.revokeMode === "SCIM_KEY_REVOKE_MODE_DEACTIVATE" || b.revokeMode === 1;
          for (const k of mine) k.key.status = deactivate ? "inactive" : "deleted";
          if (!deactivate) this.scimKeys[b.tenantId] = keys.filter((k) => !mine.includes(k));
          return send(res, 200, { revokedKeyIds: mine.map((k) => k.key.id) });
        }
        const ids = b.keyIds ?? [];
        const back = mine.filter((k) => ids.includes(k.key.id) && k.key.status === "inactive");
        for (const k of back) k.key.status = "active";
        return send(res, 200, { activatedKeyIds: back.map((k) => k.key.id) });
      }
      case "adminLink": {
        // SSO Setup Suite: `expireTime` a duration in seconds; `email` makes Descope send it.
        const b = (body ?? {}) as { tenantId?: unknown; expireTime?: unknown; email?: unknown };
        if (typeof b.tenantId !== "string" || !this.tenants.some((t) => t.id === b.tenantId))
          return send(res, 400, { errorCode: "E116002", errorDescription: "Tenant not found" });
        this.adminLinks.push({
          tenantId: b.tenantId,
          expireTime: Number(b.expireTime),
          email: typeof b.email === "string" ? b.email : null,
        });
        return send(res, 200, {
          adminSSOConfigurationLink: `https://auth.example.invalid/sso-setup?t=${b.tenantId}&n=${this.adminLinks.length}`,
        });
      }
      case "groups": {
        const id = (body as { tenantId?: unknown } | null)?.tenantId;
        if (typeof id !== "string" || !id) {
          return send(res, 400, { errorCode: "E011002", errorDescription: "tenantId is required" });
        }
        return send(res, 200, this.groups[id] ?? []);
      }
    }
  }

  private auditSearch(body: unknown, res: ServerResponse): undefined {
    const b = (body ?? {}) as Record<string, unknown>;
    const now = this.now();
    const bad = (why: string) =>
      send(res, 400, { errorCode: "E011002", errorDescription: `Bad request: ${why}` });
    for (const k of ["from", "to", "size", "page"]) {
      if (b[k] !== undefined && (typeof b[k] !== "number" || !Number.isInteger(b[k])))
        return bad(`${k} must be an integer`);
    }
    for (const k of ["actions", "externalIds", "userIds", "tenants"]) {
      if (
        b[k] !== undefined &&
        (!Array.isArray(b[k]) || !(b[k] as unknown[]).every((x) => typeof x === "string"))
      ) {
        return bad(`${k} must be an array of strings`);
      }
    }
    if ("loginIds" in b) return bad("unknown field loginIds (the wire name is externalIds)");
    const from = (b.from as number | undefined) ?? now - 30 * DAY;
    const to = (b.to as number | undefined) ?? now;
    if (from < now - 30 * DAY - 60_000) return bad("from is more than 30 days ago");
    if (from < 1e12 || to < 1e12) return bad("from/to must be epoch milliseconds");
    const size = (b.size as number | undefined) ?? 1000;
    const page = (b.page as number | undefined) ?? 0;
    if (size < 1 || size > 1000) return bad("size must be between 1 and 1000");
    if (page < 0) return bad("page must be >= 0");
    const recent = this.calls.filter((c) => c.route === "audit" && c.at > now - 60_000).length;
    if (recent > this.auditRatePerMin) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "60" });
      res.end(JSON.stringify({ errorCode: "E130429", errorDescription: "Too many requests" }));
      return;
    }
    const actions = b.actions as string[] | undefined;
    const ids = (b.externalIds as string[] | undefined)?.map((x) => x.toLowerCase());
    const userIds = b.userIds as string[] | undefined;
    const tenants = b.tenants as string[] | undefined;
    if (b.text !== undefined && typeof b.text !== "string") return bad("text must be a string");
    // Free text matches anywhere in the row, as Descope's search does.
    const text = (b.text as string | undefined)?.toLowerCase();
    const rows = this.audits
      .filter((a) => {
        const t = Number(a.occurred);
        if (t < from || t > to) return false;
        if (actions?.length && !actions.includes(a.action)) return false;
        if (ids?.length && !a.externalIds.some((x) => ids.includes(x.toLowerCase()))) return false;
        if (userIds?.length && !(a.userId && userIds.includes(a.userId))) return false;
        if (tenants?.length && !a.tenants.some((x) => tenants.includes(x))) return false;
        if (text && !JSON.stringify(a).toLowerCase().includes(text)) return false;
        return true;
      })
      .sort((x, y) =>
        b.oldestFirst
          ? Number(x.occurred) - Number(y.occurred)
          : Number(y.occurred) - Number(x.occurred),
      );
    const audits = rows.slice(page * size, page * size + size).map((a) => this.extra(a));
    const total =
      this.auditTotal === "exact"
        ? rows.length
        : this.auditTotal === "absent"
          ? undefined
          : Math.min(rows.length, this.auditTotal);
    send(res, 200, total === undefined ? { audits } : { audits, total });
  }

  private extra<T extends object>(o: T): T {
    return this.extraFields ? { ...o, futureField: { nested: [1, 2] }, anotherOne: "x" } : o;
  }
}

function routeOf(method: string, path: string): Route | undefined {
  if (method === "POST" && path === "/v1/mgmt/audit/search") return "audit";
  if (method === "GET" && path === "/v1/mgmt/user") return "user";
  if (method === "POST" && path === "/v2/mgmt/user/search") return "users";
  if (method === "GET" && path === "/v1/mgmt/tenant/all") return "tenants";
  if (method === "GET" && path === "/v1/mgmt/tenant") return "tenant";
  if (method === "GET" && path === "/v1/mgmt/tenant/settings") return "settings";
  if (
    method === "GET" &&
    (path === "/v2/mgmt/sso/settings" || path === "/v2/mgmt/sso/settings/all")
  )
    return "sso";
  if (method === "GET" && path === "/v1/mgmt/scim/key") return "scimKeys";
  if (method === "POST" && path === "/v2/mgmt/tenant/adminlinks/sso/generate") return "adminLink";
  if (method === "POST" && path === "/v1/mgmt/scim/key/create") return "scimKeyCreate";
  if (method === "POST" && path === "/v1/mgmt/scim/key/revoke") return "scimKeyRevoke";
  if (method === "POST" && path === "/v1/mgmt/scim/key/activate") return "scimKeyActivate";
  if (method === "POST" && path === "/v1/mgmt/group/all") return "groups";
  if (method === "GET" && path === "/v1/mgmt/license") return "license";
  return undefined;
}

function safeJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return raw;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): undefined {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
