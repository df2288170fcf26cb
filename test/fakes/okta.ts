/**
 * A loopback Okta org: the management API reads scimwatch makes, in their
 * wire format (shared/reference/idp-apis.md §3): SSWS tokens, `Link:
 * rel="next"` paging, rate-limit headers and a 429, 404 for "not assigned".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOktaUser {
  id: string;
  login: string;
  status?: string;
}

export class FakeOkta {
  readonly token = "00okta-fake-api-token-value";
  users: FakeOktaUser[] = [];
  groups: Array<{ id: string; name: string; members: string[] }> = [];
  apps: Array<{
    id: string;
    label: string;
    groups: string[];
    /** Assignments by Okta user ID. */
    users: Record<
      string,
      { scope: "USER" | "GROUP"; status: string; syncState?: string; externalId?: string }
    >;
    lifecycleCreate: "ENABLED" | "DISABLED";
  }> = [];
  events: Array<{
    userId: string;
    appId: string;
    published: string;
    result: string;
    reason?: string;
  }> = [];
  /** System Log `group.user_membership.add` events (targets: the User, then the UserGroup). */
  groupJoins: Array<{
    userId: string;
    login: string;
    groupId: string;
    groupName: string;
    published: string;
    result?: string;
  }> = [];
  readonly calls: string[] = [];
  private pending429 = 0;
  private server?: Server;
  url = "";
  pageSize = 2;

  throttleNext(n = 1): void {
    this.pending429 += n;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
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
    res.writeHead(status, {
      "content-type": "application/json",
      "x-rate-limit-limit": "100",
      "x-rate-limit-remaining": "99",
      "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 60),
      date: new Date().toUTCString(),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private list(res: ServerResponse, url: URL, items: unknown[]) {
    const after = Number(url.searchParams.get("after") ?? "0");
    const chunk = items.slice(after, after + this.pageSize);
    const headers: Record<string, string> = {};
    if (after + this.pageSize < items.length) {
      const next = new URL(url.href);
      next.searchParams.set("after", String(after + this.pageSize));
      headers.link = `<${url.href}>; rel="self", <${next.href}>; rel="next"`;
    }
    this.send(res, 200, chunk, headers);
  }

  private handle(req: IncomingMessage, res: ServerResponse): unknown {
    const url = new URL(req.url ?? "/", this.url);
    this.calls.push(url.pathname);
    if (req.headers.authorization !== `SSWS ${this.token}`)
      return this.send(res, 401, {
        errorCode: "E0000011",
        errorSummary: "Invalid token provided",
        errorId: "x",
      });
    if (this.pending429 > 0) {
      this.pending429--;
      return this.send(
        res,
        429,
        { errorCode: "E0000047", errorSummary: "API call exceeded rate limit" },
        {
          "x-rate-limit-remaining": "0",
          "x-rate-limit-reset": String(Math.floor(Date.now() / 1000) + 1),
        },
      );
    }
    const p = url.pathname;
    const notFound = () =>
      this.send(res, 404, {
        errorCode: "E0000007",
        errorSummary: "Not found: Resource not found",
        errorId: "x",
      });
    if (p === "/api/v1/apps") {
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      return this.list(
        res,
        url,
        this.apps
          .filter((a) => a.label.toLowerCase().startsWith(q))
          .map((a) => ({ id: a.id, label: a.label, name: "scim2testapp", status: "ACTIVE" })),
      );
    }
    const m1 = /^\/api\/v1\/apps\/([^/]+)$/.exec(p);
    if (m1) {
      const m = m1;
      const a = this.apps.find((x) => x.id === m?.[1]);
      return a
        ? this.send(res, 200, { id: a.id, label: a.label, name: "scim2testapp" })
        : notFound();
    }
    const m2 = /^\/api\/v1\/apps\/([^/]+)\/users\/([^/]+)$/.exec(p);
    if (m2) {
      const m = m2;
      const a = this.apps.find((x) => x.id === m?.[1]);
      const au = a?.users[m?.[2] ?? ""];
      return au
        ? this.send(res, 200, {
            id: m?.[2],
            created: "2026-11-01T00:00:00.000Z",
            lastUpdated: "x",
            _links: {},
            ...au,
          })
        : notFound();
    }
    const m3 = /^\/api\/v1\/apps\/([^/]+)\/groups$/.exec(p);
    if (m3) {
      const m = m3;
      const a = this.apps.find((x) => x.id === m?.[1]);
      return this.list(
        res,
        url,
        (a?.groups ?? []).map((gid) => ({
          id: gid,
          priority: 0,
          _embedded: {
            group: { id: gid, profile: { name: this.groups.find((g) => g.id === gid)?.name } },
          },
        })),
      );
    }
    const m4 = /^\/api\/v1\/apps\/([^/]+)\/features\/USER_PROVISIONING$/.exec(p);
    if (m4) {
      const m = m4;
      const a = this.apps.find((x) => x.id === m?.[1]);
      return a
        ? this.send(res, 200, {
            name: "USER_PROVISIONING",
            status: "ENABLED",
            capabilities: {
              create: { lifecycleCreate: { status: a.lifecycleCreate } },
              update: {},
            },
          })
        : notFound();
    }
    const m5 = /^\/api\/v1\/users\/([^/]+)\/groups$/.exec(p);
    if (m5) {
      const m = m5;
      return this.list(
        res,
        url,
        this.groups
          .filter((g) => g.members.includes(m?.[1] ?? ""))
          .map((g) => ({
            id: g.id,
            type: "OKTA_GROUP",
            profile: { name: g.name, description: "" },
          })),
      );
    }
    const m6 = /^\/api\/v1\/users\/([^/]+)$/.exec(p);
    if (m6) {
      const m = m6;
      const key = decodeURIComponent(m[1] ?? "");
      const u = this.users.find((x) => x.id === key || x.login.toLowerCase() === key.toLowerCase());
      return u
        ? this.send(res, 200, {
            id: u.id,
            status: u.status ?? "ACTIVE",
            profile: { login: u.login, email: u.login },
          })
        : notFound();
    }
    if (p === "/api/v1/logs") {
      const f = url.searchParams.get("filter") ?? "";
      if (f.includes('eventType eq "group.user_membership.add"')) {
        const since = Date.parse(url.searchParams.get("since") ?? "") || 0;
        const until = Date.parse(url.searchParams.get("until") ?? "") || Number.POSITIVE_INFINITY;
        return this.send(
          res,
          200,
          this.groupJoins
            .filter((j) => {
              const at = Date.parse(j.published);
              return at >= since && at < until;
            })
            .sort((a, b) => a.published.localeCompare(b.published))
            .map((j) => ({
              uuid: `gj-${j.userId}-${j.groupId}`,
              published: j.published,
              eventType: "group.user_membership.add",
              displayMessage: "Add user to group membership",
              severity: "INFO",
              outcome: { result: j.result ?? "SUCCESS", reason: null },
              actor: { id: "00u-admin", type: "User", alternateId: "admin@globex.com" },
              // Targets in the opposite order from app events: readers must find them by type.
              target: [
                {
                  id: j.groupId,
                  type: "UserGroup",
                  alternateId: "unknown",
                  displayName: j.groupName,
                },
                { id: j.userId, type: "User", alternateId: j.login, displayName: j.login },
              ],
            })),
        );
      }
      const ids = [...f.matchAll(/target\.id eq "([^"]+)"/g)].map((x) => x[1]);
      return this.send(
        res,
        200,
        this.events
          .filter((e) => ids.includes(e.userId) && ids.includes(e.appId))
          .sort((a, b) => b.published.localeCompare(a.published))
          .map((e) => ({
            uuid: `ev-${e.published}`,
            published: e.published,
            eventType: "application.provision.user.push",
            displayMessage: "Push new user to external application",
            outcome: { result: e.result, reason: e.reason ?? null },
            target: [
              { id: e.userId, type: "User" },
              { id: e.appId, type: "AppInstance" },
            ],
          })),
      );
    }
    return notFound();
  }
}
