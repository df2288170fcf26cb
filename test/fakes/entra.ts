/**
 * A loopback Microsoft Entra ID: the token endpoint (client credentials) and
 * the Graph v1.0 reads scimwatch makes, in their wire format
 * (shared/reference/idp-apis.md), with paging by @odata.nextLink, unknown
 * fields, and faults (429 with Retry-After, 403 missing permission, consent
 * not granted, a $filter Graph refuses).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGroup {
  id: string;
  displayName: string;
  securityEnabled?: boolean;
  /** Member object IDs: users or groups. */
  members: string[];
}

export interface FakeEntraTenant {
  users: Array<{ id: string; userPrincipalName: string; mail?: string; accountEnabled?: boolean }>;
  groups: FakeGroup[];
  sps: Array<{
    id: string;
    appId: string;
    displayName: string;
    assignments: Array<{
      principalId: string;
      principalType: "User" | "Group";
      principalDisplayName: string;
      createdDateTime: string;
    }>;
    jobs: Array<Record<string, unknown>>;
  }>;
  logs: Array<Record<string, unknown>>;
  /** Directory audit entries ("Add member to group"), as Graph returns them. */
  audits?: Array<Record<string, unknown>>;
}

export type EntraRoute =
  | "token"
  | "sps"
  | "assigned"
  | "user"
  | "users"
  | "memberOf"
  | "transitive"
  | "logs"
  | "jobs"
  | "audits"
  | "group"
  | "members"
  | "schema"
  | "provision"
  | "restart"
  | "validate"
  | "secrets";

export class FakeEntra {
  readonly clientId = "11111111-2222-3333-4444-555555555555";
  readonly clientSecret = "entra-fake-secret-value";
  /** The second, write-capable app (Synchronization.ReadWrite.All), consented per tenant. */
  readonly writeClientId = "99999999-8888-7777-6666-555555555555";
  readonly writeClientSecret = "entra-fake-write-secret";
  readonly writeConsented = new Set<string>();
  /** Every write call: its route, the service principal and job, its body. */
  readonly writes: Array<{ route: EntraRoute; url: string; body: unknown }> = [];
  /** Each service principal's saved provisioning credentials (`PUT …/synchronization/secrets`). */
  readonly secrets: Record<string, Array<{ key: string; value: string }>> = {};
  /** Whether `GET …/synchronization/secrets` answers (no v1.0 page documents it: off by default). */
  secretsReadable = false;
  /** validateCredentials: whether Entra reaches this SCIM address with this token. */
  acceptsToken: (token: string, baseAddress: string) => boolean = () => true;
  /** Called on provisionOnDemand with the user's object ID (a test makes Entra's push happen). */
  onProvision: ((userObjectId: string) => void) | null = null;
  readonly tenants: Record<string, FakeEntraTenant> = {};
  /** Entra tenants whose admin granted consent. */
  readonly consented = new Set<string>();
  /** Routes answered with 403 (a permission not granted). */
  readonly forbidden = new Set<EntraRoute>();
  /** Refuse a $filter on sourceIdentity/id with 400 (as an unverified filter might be). */
  refuseLogFilter = false;
  readonly calls: Array<{ route: EntraRoute; url: string }> = [];
  private readonly faults: Partial<
    Record<EntraRoute, Array<{ status: number; headers?: Record<string, string> }>>
  > = {};
  private server?: Server;
  url = "";
  pageSize = 2;
  /** When set, `@odata.nextLink` points to this origin instead (a hostile answer). */
  nextOrigin: string | null = null;
  /** Provisioning-log pages answered empty (with a nextLink) before the rows, as Graph may. */
  emptyLogPages = 0;
  /** Report calls answer 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant (no P1/P2, or no Directory.Read.All). */
  nonPremium = false;
  /** Every Graph answer waits this long (a slow tenant, to stop a reconciliation midway). */
  delayMs = 0;

  /** The environment that points scimwatch at this fake: the read app, and with `write` the write app too. */
  env(o: { write?: boolean } = {}): Record<string, string> {
    return {
      ENTRA_CLIENT_ID: this.clientId,
      ENTRA_CLIENT_SECRET: this.clientSecret,
      ...(o.write
        ? {
            ENTRA_WRITE_CLIENT_ID: this.writeClientId,
            ENTRA_WRITE_CLIENT_SECRET: this.writeClientSecret,
          }
        : {}),
      ENTRA_LOGIN_URL: this.url,
      GRAPH_API_URL: this.url,
    };
  }

  fail(route: EntraRoute, ...f: Array<{ status: number; headers?: Record<string, string> }>): void {
    this.faults[route] = [...(this.faults[route] ?? []), ...f];
  }

  count(route: EntraRoute): number {
    return this.calls.filter((c) => c.route === route).length;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server?.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  private page(res: ServerResponse, url: URL, items: unknown[]) {
    const skip = Number(url.searchParams.get("$skiptoken") ?? "0");
    // Graph pages at $top (100 when not given, 999 at most); this fake at most `pageSize`.
    const size = Math.min(
      this.pageSize,
      Math.min(999, Number(url.searchParams.get("$top") ?? "100")),
    );
    const chunk = items.slice(skip, skip + size);
    const next = new URL(url.href);
    next.searchParams.set("$skiptoken", String(skip + size));
    this.send(res, 200, {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#fake",
      value: chunk,
      ...(skip + size < items.length
        ? {
            "@odata.nextLink": this.nextOrigin
              ? new URL(`${next.pathname}${next.search}`, this.nextOrigin).href
              : next.href,
          }
        : {}),
    });
  }

  private readonly userIndex = new WeakMap<
    FakeEntraTenant,
    { n: number; m: Map<string, FakeEntraTenant["users"][number]> }
  >();
  /** Users by ID (rebuilt when the list grows: large tenants are seeded once). */
  private usersById(t: FakeEntraTenant) {
    const hit = this.userIndex.get(t);
    if (hit && hit.n === t.users.length) return hit.m;
    const m = new Map(t.users.map((u) => [u.id, u]));
    this.userIndex.set(t, { n: t.users.length, m });
    return m;
  }

  private groupsOf(t: FakeEntraTenant, id: string, transitive: boolean): FakeGroup[] {
    const direct = t.groups.filter((g) => g.members.includes(id));
    if (!transitive) return direct;
    const out = new Map(direct.map((g) => [g.id, g]));
    for (let grew = true; grew; ) {
      grew = false;
      for (const g of t.groups)
        if (!out.has(g.id) && g.members.some((m) => out.has(m))) {
          out.set(g.id, g);
          grew = true;
        }
    }
    return [...out.values()];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const body = await new Promise<string>((r) => {
      let b = "";
      req.on("data", (c) => (b += c));
      req.on("end", () => r(b));
    });
    const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    const route: EntraRoute | null = tokenMatch
      ? "token"
      : /\/synchronization\/jobs\/[^/]+\/schema$/.test(url.pathname)
        ? "schema"
        : /\/synchronization\/jobs\/[^/]+\/provisionOnDemand$/.test(url.pathname)
          ? "provision"
          : /\/synchronization\/jobs\/[^/]+\/restart$/.test(url.pathname)
            ? "restart"
            : /\/synchronization\/jobs\/[^/]+\/validateCredentials$/.test(url.pathname)
              ? "validate"
              : /^\/v1\.0\/servicePrincipals\/[^/]+\/synchronization\/secrets$/.test(url.pathname)
                ? "secrets"
                : /^\/v1\.0\/groups\/[^/]+\/members$/.test(url.pathname)
                  ? "members"
                  : /^\/v1\.0\/groups\/[^/]+$/.test(url.pathname)
                    ? "group"
                    : /^\/v1\.0\/servicePrincipals$/.test(url.pathname)
                      ? "sps"
                      : /\/appRoleAssignedTo$/.test(url.pathname)
                        ? "assigned"
                        : /\/synchronization\/jobs$/.test(url.pathname)
                          ? "jobs"
                          : /\/transitiveMemberOf$/.test(url.pathname)
                            ? "transitive"
                            : /\/memberOf$/.test(url.pathname)
                              ? "memberOf"
                              : /^\/v1\.0\/users$/.test(url.pathname)
                                ? "users"
                                : /^\/v1\.0\/users\//.test(url.pathname)
                                  ? "user"
                                  : /^\/v1\.0\/auditLogs\/provisioning$/.test(url.pathname)
                                    ? "logs"
                                    : /^\/v1\.0\/auditLogs\/directoryAudits$/.test(url.pathname)
                                      ? "audits"
                                      : null;
    if (!route)
      return this.send(res, 404, {
        error: { code: "Request_ResourceNotFound", message: "no route" },
      });
    this.calls.push({ route, url: url.href });
    if (this.delayMs && route !== "token") await new Promise((r) => setTimeout(r, this.delayMs));
    const fault = this.faults[route]?.shift();
    if (fault)
      return this.send(
        res,
        fault.status,
        { error: { code: "Fault", message: "injected" } },
        fault.headers,
      );

    if (route === "token") {
      const tenant = tokenMatch?.[1] as string;
      const form = new URLSearchParams(body);
      if (form.get("client_id") === this.writeClientId) {
        if (form.get("client_secret") !== this.writeClientSecret)
          return this.send(res, 401, {
            error: "invalid_client",
            error_description: "AADSTS7000215: Invalid client secret provided.",
            error_codes: [7000215],
          });
        if (!this.writeConsented.has(tenant))
          return this.send(res, 400, {
            error: "unauthorized_client",
            error_description: `AADSTS700016: Application with identifier '${this.writeClientId}' was not found in the directory '${tenant}'.`,
            error_codes: [700016],
          });
        return this.send(res, 200, {
          token_type: "Bearer",
          expires_in: 3599,
          access_token: `tokw.${tenant}`,
        });
      }
      if (
        form.get("client_id") !== this.clientId ||
        form.get("client_secret") !== this.clientSecret
      )
        return this.send(res, 401, {
          error: "invalid_client",
          error_description: "AADSTS7000215: Invalid client secret provided.",
          error_codes: [7000215],
        });
      if (!this.tenants[tenant])
        return this.send(res, 400, {
          error: "invalid_request",
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
          error_codes: [90002],
        });
      if (!this.consented.has(tenant))
        return this.send(res, 400, {
          error: "unauthorized_client",
          error_description: `AADSTS700016: Application with identifier '${this.clientId}' was not found in the directory '${tenant}'.\r\nTrace ID: x`,
          error_codes: [700016],
        });
      return this.send(res, 200, {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `tok.${tenant}`,
      });
    }
    const auth = req.headers.authorization ?? "";
    const writeToken = auth.startsWith("Bearer tokw.");
    const tenant = writeToken
      ? auth.slice("Bearer tokw.".length)
      : auth.startsWith("Bearer tok.")
        ? auth.slice("Bearer tok.".length)
        : "";
    const t = this.tenants[tenant];
    if (!t || !this.consented.has(tenant))
      return this.send(res, 401, {
        error: { code: "InvalidAuthenticationToken", message: "Access token is empty." },
      });
    if (this.forbidden.has(route))
      return this.send(res, 403, {
        error: {
          code: "Authorization_RequestDenied",
          message: "Insufficient privileges to complete the operation.",
        },
      });
    // Writes need the write app's token (Synchronization.ReadWrite.All): the read app's is refused.
    if (["provision", "restart", "validate", "secrets"].includes(route) && !writeToken)
      return this.send(res, 403, {
        error: {
          code: "Authorization_RequestDenied",
          message: "Insufficient privileges to complete the operation.",
        },
      });
    const filter = url.searchParams.get("$filter") ?? "";
    const quoted = (name: string) =>
      new RegExp(`${name} eq '([^']*)'`).exec(filter)?.[1]?.replace(/''/g, "'");
    const idOf = (re: RegExp) => re.exec(url.pathname)?.[1] ?? "";
    switch (route) {
      case "sps": {
        const appId = quoted("appId");
        const name = quoted("displayName");
        return this.page(
          res,
          url,
          t.sps
            .filter((s) => (appId ? s.appId === appId : s.displayName === name))
            .map(({ id, appId, displayName }) => ({
              id,
              appId,
              displayName,
              accountEnabled: true,
            })),
        );
      }
      case "assigned": {
        const sp = t.sps.find((s) => s.id === idOf(/servicePrincipals\/([^/]+)\//));
        if (!sp)
          return this.send(res, 404, {
            error: { code: "Request_ResourceNotFound", message: "no sp" },
          });
        return this.page(
          res,
          url,
          sp.assignments.map((a) => ({
            id: `ra-${a.principalId}`,
            appRoleId: "00000000-0000-0000-0000-000000000000",
            resourceId: sp.id,
            ...a,
          })),
        );
      }
      case "jobs": {
        const sp = t.sps.find((s) => s.id === idOf(/servicePrincipals\/([^/]+)\//));
        return this.send(res, 200, { value: sp?.jobs ?? [] });
      }
      case "user": {
        const key = decodeURIComponent(idOf(/^\/v1\.0\/users\/([^/?]+)/));
        const u = t.users.find(
          (x) => x.id === key || x.userPrincipalName.toLowerCase() === key.toLowerCase(),
        );
        if (!u)
          return this.send(res, 404, {
            error: {
              code: "Request_ResourceNotFound",
              message: `Resource '${key}' does not exist`,
            },
          });
        return this.send(res, 200, { "@odata.context": "x", businessPhones: [], ...u });
      }
      case "schema":
        return this.send(res, 200, {
          id: "scim",
          synchronizationRules: [
            { id: "rule-groups", name: "Groups", objectMappings: [{ sourceObjectName: "Group" }] },
            { id: "rule-users", name: "Users", objectMappings: [{ sourceObjectName: "User" }] },
          ],
        });
      case "provision": {
        const b = JSON.parse(body || "{}") as {
          parameters?: Array<{ ruleId?: string; subjects?: Array<{ objectId?: string }> }>;
        };
        this.writes.push({ route, url: url.href, body: b });
        const objectId = b.parameters?.[0]?.subjects?.[0]?.objectId ?? "";
        const known = t.users.some((u) => u.id === objectId);
        if (known) this.onProvision?.(objectId);
        const step = (type: string, status: string, description: string) => ({
          name: `${type}Step`,
          type,
          status,
          description,
          timestamp: new Date().toISOString(),
          details: {},
        });
        return this.send(res, 200, {
          "@odata.context":
            "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair",
          key: JSON.stringify({ result: known ? "Success" : "Failure", details: {} }),
          value: JSON.stringify({
            action: known ? "Create" : "Other",
            provisioningSteps: known
              ? [
                  step("Import", "Success", "Retrieved the user from Microsoft Entra ID"),
                  step("Scoping", "Success", "The user is in scope (assigned)"),
                  step("Matching", "Success", "No matching user in Descope"),
                  step("Export", "Success", "The user was created in Descope"),
                ]
              : [step("Import", "Failure", "No such user")],
            statusInfo: { status: known ? "success" : "failure" },
          }),
        });
      }
      case "restart":
        this.writes.push({ route, url: url.href, body: JSON.parse(body || "{}") });
        res.writeHead(204);
        res.end();
        return;
      case "validate":
      case "secrets": {
        const spId = idOf(/servicePrincipals\/([^/]+)\//);
        if (route === "secrets" && req.method === "GET")
          return this.secretsReadable
            ? this.send(res, 200, { value: this.secrets[spId] ?? [] })
            : this.send(res, 405, {
                error: {
                  code: "Request_BadRequest",
                  message: "The HTTP method 'GET' is not allowed",
                },
              });
        const b = JSON.parse(body || "{}") as {
          value?: Array<{ key: string; value: string }>;
          credentials?: Array<{ key: string; value: string }>;
          useSavedCredentials?: boolean;
        };
        this.writes.push({ route, url: url.href, body: b });
        if (route === "secrets") {
          if (req.method !== "PUT" || !Array.isArray(b.value))
            return this.send(res, 400, {
              error: { code: "BadRequest", message: "expected PUT with a value array" },
            });
          this.secrets[spId] = b.value;
        } else {
          const creds = b.useSavedCredentials ? (this.secrets[spId] ?? []) : (b.credentials ?? []);
          const of = (k: string) => creds.find((c) => c.key === k)?.value ?? "";
          if (
            !of("BaseAddress") ||
            !of("SecretToken") ||
            !this.acceptsToken(of("SecretToken"), of("BaseAddress"))
          )
            return this.send(res, 400, {
              error: {
                code: "BadRequest",
                message:
                  "Failed to validate credentials: You appear to have entered invalid credentials (SystemForCrossDomainIdentityManagementCredentialValidationUnavailable)",
              },
            });
        }
        res.writeHead(204);
        res.end();
        return;
      }
      case "group": {
        const g = t.groups.find((x) => x.id === idOf(/groups\/([^/]+)$/));
        if (!g)
          return this.send(res, 404, {
            error: { code: "Request_ResourceNotFound", message: "no group" },
          });
        return this.send(res, 200, {
          id: g.id,
          displayName: g.displayName,
          securityEnabled: g.securityEnabled ?? true,
          mailEnabled: false,
        });
      }
      case "members": {
        const g = t.groups.find((x) => x.id === idOf(/groups\/([^/]+)\//));
        if (!g)
          return this.send(res, 404, {
            error: { code: "Request_ResourceNotFound", message: "no group" },
          });
        const byId = this.usersById(t);
        return this.page(
          res,
          url,
          g.members.flatMap((m): Array<Record<string, unknown>> => {
            const u = byId.get(m);
            if (u) return [{ "@odata.type": "#microsoft.graph.user", ...u }];
            const sub = t.groups.find((x) => x.id === m);
            return sub
              ? [
                  {
                    "@odata.type": "#microsoft.graph.group",
                    id: sub.id,
                    displayName: sub.displayName,
                    securityEnabled: sub.securityEnabled ?? true,
                  },
                ]
              : [];
          }),
        );
      }
      case "users": {
        const ids = /id in \(([^)]*)\)/.exec(filter)?.[1];
        if (ids !== undefined) {
          const want = new Set(ids.split(",").map((x) => x.trim().replace(/^'|'$/g, "")));
          return this.page(
            res,
            url,
            t.users.filter((u) => want.has(u.id)),
          );
        }
        if (!filter) return this.page(res, url, t.users);
        const mail = quoted("mail")?.toLowerCase();
        return this.page(
          res,
          url,
          t.users.filter(
            (u) => u.mail?.toLowerCase() === mail || u.userPrincipalName.toLowerCase() === mail,
          ),
        );
      }
      case "memberOf":
      case "transitive": {
        const id = idOf(/users\/([^/]+)\//);
        return this.page(
          res,
          url,
          this.groupsOf(t, id, route === "transitive").map((g) => ({
            "@odata.type": "#microsoft.graph.group",
            id: g.id,
            displayName: g.displayName,
            securityEnabled: g.securityEnabled ?? true,
            mailEnabled: false,
          })),
        );
      }
      case "audits": {
        const ge = / ge (\S+)/.exec(filter)?.[1];
        const le = / le (\S+)/.exec(filter)?.[1];
        // The activities the filter names ("Add member to group", "Remove member from group").
        const names = [...filter.matchAll(/activityDisplayName eq '([^']*)'/g)].map((m) => m[1]);
        const rows = (t.audits ?? []).filter(
          (a) =>
            (!ge || String(a.activityDateTime) >= ge) &&
            (!le || String(a.activityDateTime) <= le) &&
            (!names.length ||
              names.includes(String(a.activityDisplayName ?? "Add member to group"))),
        );
        // Stored order unless $orderby asks (Graph documents no default order).
        if (/activityDateTime asc/.test(url.searchParams.get("$orderby") ?? ""))
          rows.sort((a, b) => String(a.activityDateTime).localeCompare(String(b.activityDateTime)));
        return this.page(res, url, rows);
      }
      case "logs": {
        if (this.nonPremium)
          return this.send(res, 403, {
            error: {
              code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
              message: "Tenant does not have a SKU required for this operation.",
            },
          });
        const user = /sourceIdentity\/id eq '([^']*)'/.exec(filter)?.[1];
        if (user && this.refuseLogFilter)
          return this.send(res, 400, {
            error: { code: "BadRequest", message: "Invalid filter clause" },
          });
        const sp = quoted("servicePrincipal/id");
        // Graph documents no default order: stored order unless $orderby asks.
        const rows = t.logs.filter(
          (l) =>
            (!sp || (l.servicePrincipal as { id: string }).id === sp) &&
            (!user || (l.sourceIdentity as { id: string }).id === user),
        );
        if (/activityDateTime desc/.test(url.searchParams.get("$orderby") ?? ""))
          rows.sort((a, b) => String(b.activityDateTime).localeCompare(String(a.activityDateTime)));
        // Empty pages first (each with a nextLink), as Graph may answer.
        const empty = Number(url.searchParams.get("$emptyseen") ?? "0");
        if (empty < this.emptyLogPages) {
          const next = new URL(url.href);
          next.searchParams.set("$emptyseen", String(empty + 1));
          return this.send(res, 200, { value: [], "@odata.nextLink": next.href });
        }
        return this.page(res, url, rows);
      }
    }
  }
}

/** A provisioning log entry as Graph returns it. */
export function provisioningLog(o: {
  spId: string;
  userId: string;
  at: string;
  action?: string;
  status: "success" | "failure" | "skipped" | "warning";
  errorCode?: string;
  reason?: string;
  skipReason?: string;
}): Record<string, unknown> {
  return {
    id: `log-${o.at}`,
    activityDateTime: o.at,
    jobId: "scim.job",
    provisioningAction: o.action ?? "create",
    servicePrincipal: { id: o.spId, displayName: "Descope" },
    sourceIdentity: { id: o.userId, displayName: "u", identityType: "User", details: {} },
    targetIdentity: {
      id: "",
      displayName: "",
      identityType: "urn:ietf:params:scim:schemas:core:2.0:User",
    },
    provisioningStatusInfo: {
      status: o.status,
      ...(o.errorCode
        ? {
            errorInformation: {
              errorCode: o.errorCode,
              reason: o.reason ?? null,
              errorCategory: "nonServiceFailure",
            },
          }
        : {}),
    },
    provisioningSteps: o.skipReason
      ? [
          {
            name: "EntrySynchronizationSkip",
            provisioningStepType: "scoping",
            status: "skipped",
            details: { SkipReason: o.skipReason },
          },
        ]
      : [],
  };
}

/** A user as Graph returns it (mail = UPN). */
export const entraUser = (id: string, upn: string, accountEnabled = true) => ({
  id,
  userPrincipalName: upn,
  mail: upn,
  accountEnabled,
});

/**
 * The enterprise app "Descope" with its assignments (groups by default) and an
 * active provisioning job (scim.job, every 40 minutes), as most tests need it.
 */
export function descopeApp(
  spId: string,
  appId: string,
  assigned: Array<{ id: string; name: string; type?: "User" | "Group"; at?: string }>,
): FakeEntraTenant["sps"][number] {
  return {
    id: spId,
    appId,
    displayName: "Descope",
    assignments: assigned.map((a) => ({
      principalId: a.id,
      principalType: a.type ?? "Group",
      principalDisplayName: a.name,
      createdDateTime: a.at ?? "2026-01-01T00:00:00Z",
    })),
    jobs: [
      {
        id: "scim.job",
        schedule: { interval: "PT40M", state: "Active" },
        status: { code: "Active", steadyStateFirstAchievedTime: "2026-01-02T00:00:00Z" },
      },
    ],
  };
}
