/**
 * Okta's OAuth 2.0 for a service app (idp-apis.md §1, Okta): client
 * credentials with `private_key_jwt` (the only client authentication Okta
 * allows for service apps), against the org authorization server, and DPoP
 * when the app requires it (a proof per request, the server's nonce followed).
 * The access token (1 h) is kept until a minute before it expires. The private
 * key never leaves this process; nothing here is logged.
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
  sign,
} from "node:crypto";
import * as z from "zod";
import { type EgressPolicy, EgressRefused, STRICT } from "../net/egress.js";
import { type HttpAnswer, headerOf, httpRequest, jsonOrNull, unanswered } from "../net/http.js";
import { ConnectorError } from "./entra-http.js";

/** The read scopes scimwatch asks for (each must be granted to the app in Okta). */
const OKTA_SCOPES = ["okta.apps.read", "okta.users.read", "okta.groups.read", "okta.logs.read"];

/** How a request to Okta is authorised: an API token, or this service app's tokens. */
export interface OktaAuth {
  readonly kind: "token" | "oauth";
  /** The headers for one request (a fresh DPoP proof each time). */
  headers(method: string, url: string): Promise<Record<string, string>>;
  /** After a 401: whether a retry may succeed (a DPoP nonce to use, a token to renew). */
  retryAfter(ans: HttpAnswer): boolean;
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().default("Bearer"),
  expires_in: z.coerce.number().default(3600),
});
const errorSchema = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

const b64u = (b: Buffer | string) => Buffer.from(b).toString("base64url");

/** A compact JWS: RS256 for an RSA key, ES256 for a P-256 key. */
function signJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key: KeyObject,
): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const sig =
    key.asymmetricKeyType === "ec"
      ? sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" })
      : sign("sha256", Buffer.from(input), key);
  return `${input}.${b64u(sig)}`;
}

/** Reads a service app's private key (PEM, PKCS#8 or PKCS#1, or a JWK as JSON), or says what is wrong. */
export function oktaPrivateKey(text: string): KeyObject {
  try {
    const t = text.trim();
    const key = t.startsWith("{")
      ? createPrivateKey({ key: JSON.parse(t) as JsonWebKey, format: "jwk" })
      : createPrivateKey(t);
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") throw new Error("type");
    return key;
  } catch {
    throw new ConnectorError(
      "bad_credentials",
      "the private key is not a PEM (-----BEGIN PRIVATE KEY-----) or JWK RSA or EC private key",
    );
  }
}

/** The key ID a JWK names (Okta matches it against the app's keys), or undefined (a PEM has none). */
export function oktaKeyId(text: string): string | undefined {
  const t = text.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    const kid = (JSON.parse(t) as { kid?: unknown }).kid;
    return typeof kid === "string" && kid ? kid : undefined;
  } catch {
    return undefined;
  }
}

/** The client assertion's header: the algorithm of the key, and its `kid` when it has one. */
export function clientAssertionHeader(key: KeyObject, kid?: string): Record<string, string> {
  return {
    alg: key.asymmetricKeyType === "ec" ? "ES256" : "RS256",
    typ: "JWT",
    ...(kid ? { kid } : {}),
  };
}

export class OktaOAuth implements OktaAuth {
  readonly kind = "oauth" as const;
  private readonly tokenUrl: string;
  private readonly key: KeyObject;
  private readonly kid: string | undefined;
  /** The DPoP key of this process (an app that requires DPoP binds its tokens to it). */
  private readonly dpop = generateKeyPairSync("ec", { namedCurve: "P-256" });
  private readonly dpopJwk: JsonWebKey;
  private token: { value: string; dpop: boolean; until: number } | null = null;
  private pending: Promise<{ value: string; dpop: boolean }> | null = null;
  private useDpop = false;
  private tokenNonce: string | undefined;
  private apiNonce: string | undefined;

  constructor(
    orgUrl: string,
    private readonly clientId: string,
    privateKey: string,
    /** Where the org's token endpoint may be (net/egress.ts); strict by default. */
    private readonly egress: EgressPolicy = STRICT,
    private readonly timeoutMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenUrl = `${orgUrl.replace(/\/+$/, "")}/oauth2/v1/token`;
    this.key = oktaPrivateKey(privateKey);
    this.kid = oktaKeyId(privateKey);
    const { kty, crv, x, y } = this.dpop.publicKey.export({ format: "jwk" });
    this.dpopJwk = { kty, crv, x, y };
  }

  async headers(method: string, url: string): Promise<Record<string, string>> {
    const t = await this.accessToken();
    if (!t.dpop) return { authorization: `Bearer ${t.value}` };
    return {
      authorization: `DPoP ${t.value}`,
      dpop: this.proof(method, url, this.apiNonce, t.value),
    };
  }

  retryAfter(ans: HttpAnswer): boolean {
    const nonce = headerOf(ans, "dpop-nonce");
    if (nonce && nonce !== this.apiNonce) {
      this.apiNonce = nonce;
      return true;
    }
    // A token revoked or expired early: ask for a new one, once.
    if (this.token) {
      this.token = null;
      return true;
    }
    return false;
  }

  private accessToken(): Promise<{ value: string; dpop: boolean }> {
    if (this.token && this.token.until > this.now()) return Promise.resolve(this.token);
    this.pending ??= this.request().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** A DPoP proof for one request (RFC 9449): the method, the URL without query, and the token's hash. */
  private proof(
    method: string,
    url: string,
    nonce: string | undefined,
    accessToken?: string,
  ): string {
    const u = new URL(url);
    return signJwt(
      { typ: "dpop+jwt", alg: "ES256", jwk: this.dpopJwk },
      {
        htm: method,
        htu: `${u.origin}${u.pathname}`,
        iat: Math.floor(this.now() / 1000),
        jti: randomUUID(),
        ...(nonce ? { nonce } : {}),
        ...(accessToken ? { ath: b64u(createHash("sha256").update(accessToken).digest()) } : {}),
      },
      this.dpop.privateKey,
    );
  }

  private assertion(): string {
    const iat = Math.floor(this.now() / 1000);
    return signJwt(
      clientAssertionHeader(this.key, this.kid),
      {
        iss: this.clientId,
        sub: this.clientId,
        aud: this.tokenUrl,
        iat,
        exp: iat + 300,
        jti: randomUUID(),
      },
      this.key,
    );
  }

  /** Client credentials; without DPoP first, then with it when the app requires it, following its nonce. */
  private async request(): Promise<{ value: string; dpop: boolean }> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        scope: OKTA_SCOPES.join(" "),
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: this.assertion(),
      }).toString();
      let res: HttpAnswer;
      try {
        res = await httpRequest(this.tokenUrl, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
            ...(this.useDpop ? { dpop: this.proof("POST", this.tokenUrl, this.tokenNonce) } : {}),
          },
          body,
          service: "okta_token",
          timeoutMs: this.timeoutMs,
          egress: this.egress,
        });
      } catch (e) {
        throw oktaUnreachable(e, this.tokenUrl, " for a token");
      }
      const json = jsonOrNull(res);
      if (res.status === 200) {
        const t = tokenSchema.safeParse(json);
        if (!t.success)
          throw new ConnectorError(
            "bad_response",
            "Okta's token endpoint answered with an unexpected body",
          );
        const dpop = t.data.token_type.toLowerCase() === "dpop";
        this.token = {
          value: t.data.access_token,
          dpop,
          until: this.now() + (t.data.expires_in - 60) * 1000,
        };
        return this.token;
      }
      const e = errorSchema.safeParse(json);
      const code = e.success ? (e.data.error ?? "") : "";
      const desc = e.success ? (e.data.error_description ?? "") : "";
      if (code === "use_dpop_nonce" || (code === "invalid_dpop_proof" && !this.useDpop)) {
        this.useDpop = true;
        this.tokenNonce = headerOf(res, "dpop-nonce") ?? this.tokenNonce;
        continue;
      }
      if (code === "invalid_scope")
        throw new ConnectorError(
          "permission_missing",
          `Okta refused the scopes (${desc || code}): grant ${OKTA_SCOPES.join(", ")} to the service app (Okta API Scopes tab), and give it a read-only admin role`,
        );
      if (code === "invalid_client" || res.status === 401)
        throw new ConnectorError(
          "bad_credentials",
          `Okta refused the service app's credentials (${desc || code || `HTTP ${res.status}`}): check the client ID and that the app's public key matches this private key`,
        );
      throw new ConnectorError(
        "bad_response",
        `Okta's token endpoint answered HTTP ${res.status}${desc ? `: ${desc}` : ""}`,
      );
    }
    throw new ConnectorError("bad_response", "Okta kept asking for a new DPoP nonce");
  }
}

/** An API token: `Authorization: SSWS …`; nothing to renew. */
export function oktaApiToken(token: string): OktaAuth {
  return {
    kind: "token",
    headers: async () => ({ authorization: `SSWS ${token}` }),
    retryAfter: () => false,
  };
}

/** An Okta request that got no answer: the org URL refused by the egress policy, or why it was not reached. */
export function oktaUnreachable(e: unknown, url: string, what = ""): ConnectorError {
  if (e instanceof EgressRefused)
    return new ConnectorError("unreachable", `the Okta org URL is refused: ${e.message}`);
  return new ConnectorError(
    "unreachable",
    `could not reach ${new URL(url).host}${what} (${unanswered(e)})`,
  );
}
