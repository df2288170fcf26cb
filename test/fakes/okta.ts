/**
 * A loopback Okta org: the management API reads scimwatch makes, in their
 * wire format (shared/reference/idp-apis.md §3): SSWS tokens, `Link:
 * rel="next"` paging, rate-limit headers and a 429, 404 for "not assigned";
 * and a service app's OAuth: client credentials with a private_key_jwt
 * assertion checked against its public key, DPoP (proofs verified, the
 * token endpoint's and the API's nonces) when the app requires it.
 */
import {
  createHash,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
  verify,
} from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOktaUser {
  id: string;
  login: string;
  /** profile.email (the login when not set). */
  email?: string;
  status?: string;
}

const b64u = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** Verifies a compact JWS (RS256 or ES256) with a public key; returns its header and claims, or null. */
function verifyJwt(
  jwt: string,
  key?: KeyObject,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  const [h, c, sig] = jwt.split(".");
  if (!h || !c || !sig) return null;
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(c, "base64url").toString()) as Record<string, unknown>;
    const k = key ?? createPublicKey({ key: header.jwk as JsonWebKey, format: "jwk" });
    const data = Buffer.from(`${h}.${c}`);
    const ok =
      k.asymmetricKeyType === "ec"
        ? verify(
            "sha256",
            data,
            { key: k, dsaEncoding: "ieee-p1363" },
            Buffer.from(sig, "base64url"),
          )
        : verify("sha256", data, k, Buffer.from(sig, "base64url"));
    return ok ? { header, claims } : null;
  } catch {
    return null;
  }
}

export class FakeOkta {
  readonly token = "00okta-fake-api-token-value";
  /** An admin's token whose role may manage apps and groups (the read token may not write). */
  readonly writeToken = "00okta-fake-write-token-value";
  /** Every write: method, path, body. */
  readonly writes: Array<{ method: string; path: string; body: unknown }> = [];
  /** A service app: its client ID, its registered public key, the scopes granted, whether DPoP is required. */
  serviceApp: {
    clientId: string;
    publicKey: KeyObject;
    scopes: string[];
    requireDpop: boolean;
    /** The API also asks for a DPoP nonce (401 use_dpop_nonce) before it answers. */
    apiNonce?: boolean;
  } | null = null;
  /** Every token request: whether it carried a DPoP proof, and its nonce. */
  readonly tokenRequests: Array<{ dpop: boolean; nonce?: string; outcome: string }> = [];
  private readonly issued = new Map<string, { jkt: string | null }>();
  private readonly tokenNonce = `tn-${randomUUID()}`;
  private readonly apiNonceValue = `an-${randomUUID()}`;
  users: FakeOktaUser[] = [];
  groups: Array<{ id: string; name: string; members: string[] }> = [];
  apps: Array<{
    id: string;
    label: string;
    groups: string[];
    /** Assignments by Okta user ID. */
    users: Record<
      string,
      {
        scope: "USER" | "GROUP";
        status: string;
        syncState?: string;
        externalId?: string;
        /** The app username (credentials.userName), the login when not set. */
        userName?: string;
        /** When the assignment was made (ISO), 2026-11-01 when not set. */
        created?: string;
      }
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
  /** System Log `application.integration.*` events (Okta could not call the app's SCIM API). */
  integrationEvents: Array<{
    eventType: string;
    appId: string;
    published: string;
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
    /** A removal (group.user_membership.remove) instead of a join. */
    removed?: boolean;
  }> = [];
  readonly calls: string[] = [];
  private pending429 = 0;
  private server?: Server;
  url = "";
  pageSize = 2;
  /** When set, `Link: rel="next"` points to this origin instead (a hostile org). */
  nextOrigin: string | null = null;

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
    // Okta pages at `limit` where the list takes one; this fake at most `pageSize`.
    const limit = Number(url.searchParams.get("limit") ?? "") || this.pageSize;
    const size = Math.min(this.pageSize, limit);
    const chunk = items.slice(after, after + size);
    const headers: Record<string, string> = {};
    if (after + size < items.length) {
      const next = new URL(url.href);
      next.searchParams.set("after", String(after + size));
      // A hostile org sends its next page to another origin.
      const href = this.nextOrigin
        ? new URL(`${next.pathname}${next.search}`, this.nextOrigin).href
        : next.href;
      headers.link = `<${url.href}>; rel="self", <${href}>; rel="next"`;
    }
    this.send(res, 200, chunk, headers);
  }

  /** O6: a user into a group (okta.groups.manage), or assigned to an app (okta.apps.manage). */
  private write(req: IncomingMessage, res: ServerResponse, p: string): void {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      if (req.headers.authorization !== `SSWS ${this.writeToken}`)
        return this.send(res, 403, {
          errorCode: "E0000006",
          errorSummary: "You do not have permission to perform the requested action",
          errorId: "x",
        });
      const body = raw
        ? (JSON.parse(raw) as { id?: string; credentials?: { userName?: string } })
        : {};
      this.writes.push({ method: String(req.method), path: p, body });
      const inGroup = /^\/api\/v1\/groups\/([^/]+)\/users\/([^/]+)$/.exec(p);
      if (req.method === "PUT" && inGroup) {
        const g = this.groups.find((x) => x.id === inGroup[1]);
        if (!g || !this.users.some((u) => u.id === inGroup[2]))
          return this.send(res, 404, { errorCode: "E0000007", errorSummary: "Not found" });
        if (!g.members.includes(inGroup[2] as string)) g.members.push(inGroup[2] as string);
        for (const a of this.apps)
          if (a.groups.includes(g.id))
            a.users[inGroup[2] as string] ??= {
              scope: "GROUP",
              status: "PROVISIONED",
              syncState: "SYNCHRONIZED",
            };
        res.writeHead(204);
        res.end();
        return;
      }
      const appUsers = /^\/api\/v1\/apps\/([^/]+)\/users$/.exec(p);
      const a = appUsers ? this.apps.find((x) => x.id === appUsers[1]) : undefined;
      if (req.method === "POST" && a && body.id) {
        a.users[body.id] = {
          scope: "USER",
          status: "PROVISIONED",
          userName: body.credentials?.userName,
        };
        return this.send(res, 200, { id: body.id, scope: "USER", status: "PROVISIONED" });
      }
      this.send(res, 404, { errorCode: "E0000007", errorSummary: "Not found" });
    });
  }

  private tokenEndpoint(req: IncomingMessage, res: ServerResponse): void {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const app = this.serviceApp;
      const form = new URLSearchParams(raw);
      const tokenUrl = `${this.url}/oauth2/v1/token`;
      const proofHeader = req.headers.dpop as string | undefined;
      const fail = (
        status: number,
        error: string,
        description: string,
        h: Record<string, string> = {},
      ) => {
        this.tokenRequests.push({ dpop: Boolean(proofHeader), outcome: error });
        this.send(res, status, { error, error_description: description }, h);
      };
      const assertion = app ? verifyJwt(form.get("client_assertion") ?? "", app.publicKey) : null;
      const a = assertion?.claims;
      if (
        !app ||
        form.get("grant_type") !== "client_credentials" ||
        form.get("client_assertion_type") !==
          "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
        !a ||
        a.iss !== app.clientId ||
        a.sub !== app.clientId ||
        a.aud !== tokenUrl ||
        Number(a.exp) * 1000 < Date.now()
      )
        return fail(401, "invalid_client", "The client_assertion signature is invalid.");
      const wanted = (form.get("scope") ?? "").split(" ").filter(Boolean);
      if (wanted.some((w) => !app.scopes.includes(w)))
        return fail(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.");
      let jkt: string | null = null;
      if (app.requireDpop) {
        if (!proofHeader)
          return fail(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
        const proof = verifyJwt(proofHeader);
        if (
          proof?.header.typ !== "dpop+jwt" ||
          proof.claims.htm !== "POST" ||
          proof.claims.htu !== tokenUrl
        )
          return fail(400, "invalid_dpop_proof", "The DPoP proof JWT is invalid.");
        if (proof.claims.nonce !== this.tokenNonce)
          return fail(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.", {
            "dpop-nonce": this.tokenNonce,
          });
        jkt = JSON.stringify(proof.header.jwk);
      }
      const token = `okta-at-${randomUUID()}`;
      this.issued.set(token, { jkt });
      this.tokenRequests.push({
        dpop: Boolean(proofHeader),
        ...(jkt ? { nonce: this.tokenNonce } : {}),
        outcome: "issued",
      });
      this.send(res, 200, {
        token_type: jkt ? "DPoP" : "Bearer",
        expires_in: 3600,
        access_token: token,
        scope: wanted.join(" "),
      });
    });
  }

  /** Whether a request is authorised: the API token, or an issued access token (with its DPoP proof). */
  private authorised(req: IncomingMessage, url: URL, res: ServerResponse): boolean | "answered" {
    const auth = req.headers.authorization ?? "";
    if (auth === `SSWS ${this.token}` || auth === `SSWS ${this.writeToken}`) return true;
    const [scheme, token] = auth.split(" ");
    const issued = token ? this.issued.get(token) : undefined;
    if (!issued) return false;
    if (!issued.jkt) return scheme === "Bearer";
    if (scheme !== "DPoP") return false;
    const proof = verifyJwt(String(req.headers.dpop ?? ""));
    if (
      !proof ||
      JSON.stringify(proof.header.jwk) !== issued.jkt ||
      proof.claims.htm !== req.method ||
      proof.claims.htu !== `${url.origin}${url.pathname}` ||
      proof.claims.ath !==
        b64u(
          createHash("sha256")
            .update(token as string)
            .digest(),
        )
    )
      return false;
    if (this.serviceApp?.apiNonce && proof.claims.nonce !== this.apiNonceValue) {
      this.send(
        res,
        401,
        { errorCode: "E0000011", errorSummary: "Invalid token provided" },
        {
          "www-authenticate":
            'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
          "dpop-nonce": this.apiNonceValue,
        },
      );
      return "answered";
    }
    return true;
  }

  private handle(req: IncomingMessage, res: ServerResponse): unknown {
    const url = new URL(req.url ?? "/", this.url);
    this.calls.push(url.pathname);
    if (url.pathname === "/oauth2/v1/token" && req.method === "POST")
      return this.tokenEndpoint(req, res);
    const ok = this.authorised(req, url, res);
    if (ok === "answered") return;
    if (!ok)
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
    if (req.method === "PUT" || req.method === "POST") return this.write(req, res, p);
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
    const appUserOf = (a: (typeof this.apps)[number], id: string) => {
      const au = a.users[id];
      const u = this.users.find((x) => x.id === id);
      return au
        ? {
            id,
            created: "2026-11-01T00:00:00.000Z",
            lastUpdated: "x",
            _links: {},
            credentials: { userName: au.userName ?? u?.login ?? id },
            ...au,
          }
        : null;
    };
    const appUsers = /^\/api\/v1\/apps\/([^/]+)\/users$/.exec(p);
    if (appUsers) {
      // q: starts-with on the app user's userName, names and email (no exact filter exists).
      const a = this.apps.find((x) => x.id === appUsers[1]);
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      const expand = url.searchParams.get("expand") === "user";
      return this.list(
        res,
        url,
        Object.keys(a?.users ?? {})
          .map((id) => (a ? appUserOf(a, id) : null))
          .filter((x) => x?.credentials.userName.toLowerCase().startsWith(q))
          .map((x) => {
            if (!x || !expand) return x;
            const u = this.users.find((y) => y.id === x.id);
            return u
              ? {
                  ...x,
                  _embedded: {
                    user: {
                      id: u.id,
                      status: u.status ?? "ACTIVE",
                      profile: { login: u.login, email: u.email ?? u.login },
                    },
                  },
                }
              : x;
          }),
      );
    }
    if (p === "/api/v1/users") {
      const email = /profile\.email eq "([^"]*)"/.exec(url.searchParams.get("search") ?? "")?.[1];
      return this.list(
        res,
        url,
        this.users
          .filter((u) => email && (u.email ?? u.login).toLowerCase() === email.toLowerCase())
          .map((u) => ({
            id: u.id,
            status: u.status ?? "ACTIVE",
            profile: { login: u.login, email: u.email ?? u.login },
          })),
      );
    }
    const m2 = /^\/api\/v1\/apps\/([^/]+)\/users\/([^/]+)$/.exec(p);
    if (m2) {
      const m = m2;
      const a = this.apps.find((x) => x.id === m?.[1]);
      const au = a ? appUserOf(a, m?.[2] ?? "") : null;
      return au ? this.send(res, 200, au) : notFound();
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
            profile: { login: u.login, email: u.email ?? u.login },
          })
        : notFound();
    }
    if (p === "/api/v1/logs") {
      const f = url.searchParams.get("filter") ?? "";
      if (f.includes("application.integration.")) {
        const types = [...f.matchAll(/eventType eq "([^"]+)"/g)].map((x) => x[1]);
        const since = Date.parse(url.searchParams.get("since") ?? "") || 0;
        return this.send(
          res,
          200,
          this.integrationEvents
            .filter((e) => types.includes(e.eventType) && Date.parse(e.published) >= since)
            .sort((a, b) => b.published.localeCompare(a.published))
            .map((e, i) => ({
              uuid: `ie-${i}`,
              published: e.published,
              eventType: e.eventType,
              displayMessage: "Integration error",
              severity: "WARN",
              outcome: { result: "FAILURE", reason: e.reason ?? null },
              target: [
                {
                  id: e.appId,
                  type: "AppInstance",
                  alternateId: this.apps.find((a) => a.id === e.appId)?.label ?? "",
                  displayName: "SCIM 2.0 Test App",
                },
              ],
            })),
        );
      }
      if (f.includes('eventType eq "group.user_membership.add"')) {
        const since = Date.parse(url.searchParams.get("since") ?? "") || 0;
        const until = Date.parse(url.searchParams.get("until") ?? "") || Number.POSITIVE_INFINITY;
        return this.send(
          res,
          200,
          this.groupJoins
            .filter((j) => {
              const at = Date.parse(j.published);
              const type = j.removed ? "group.user_membership.remove" : "group.user_membership.add";
              return at >= since && at < until && f.includes(`"${type}"`);
            })
            .sort((a, b) => a.published.localeCompare(b.published))
            .map((j) => ({
              uuid: `gj-${j.userId}-${j.groupId}`,
              published: j.published,
              eventType: j.removed ? "group.user_membership.remove" : "group.user_membership.add",
              displayMessage: j.removed
                ? "Remove user from group membership"
                : "Add user to group membership",
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
