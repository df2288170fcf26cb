/**
 * The IdP's side of a check, when the tenant has a read-only connector (Entra ID or Okta): read
 * the facts, decide with the one rule set (core/idp-side.ts). A connector that
 * fails never breaks a check: the answer says what the IdP side could not tell.
 */

import { findJob, readEntraFacts } from "../connectors/entra-facts.js";
import { ConnectorError, type EntraHttp } from "../connectors/entra-http.js";
import { oktaIntegrationProblem, readOktaFacts } from "../connectors/okta-facts.js";
import { OktaHttp } from "../connectors/okta-http.js";
import { OktaOAuth } from "../connectors/okta-oauth.js";
import { decideEntra } from "../core/idp-side/entra.js";
import type { IdpSide } from "../core/idp-side/model.js";
import { decideOkta } from "../core/idp-side/okta.js";
import { entraLinks, oktaLinks } from "../core/links.js";
import type { Logger } from "../log/logger.js";
import type { EgressPolicy } from "../net/egress.js";
import { type Connection, type ConnectionStore, oktaSealContext } from "../redis/connections.js";
import { SealError, type SecretBox } from "../redis/secret-box.js";

export interface IdpSideAnswer {
  side: IdpSide | null;
  /** Set when the IdP side could not be read: what and why, in one line. */
  note?: string;
}

/** Entra's side for one person: read the facts, decide, say what could not be read. */
export async function entraSide(
  http: EntraHttp,
  c: { entraTenant: string; spId: string; appName: string; appId?: string },
  loginId: string,
): Promise<IdpSide> {
  const { facts, unread } = await readEntraFacts(http, c, loginId);
  const assigned = new Set(facts.assignments.map((a) => a.principalId));
  const groups = facts.assignedGroups.filter((g) => assigned.has(g.id));
  return {
    ...decideEntra(facts, loginId),
    unread,
    links: entraLinks(
      { ...c, appId: c.appId ?? "" },
      { user: facts.user, groups: groups.map((g) => ({ id: g.id, name: g.displayName ?? g.id })) },
    ),
  };
}

/** Okta's side for one person, the same way. */
export async function oktaSide(
  http: OktaHttp,
  c: { appId: string; appName: string },
  loginId: string,
  now: number,
): Promise<IdpSide> {
  const { facts, unread } = await readOktaFacts(http, c, loginId, now);
  return {
    ...decideOkta(facts, loginId),
    unread,
    links: oktaLinks({ oktaUrl: http.base }, { user: facts.user, groups: facts.appGroups }),
  };
}

/**
 * A service app's OAuth, one per connection in this process: its access token
 * (1 h) and DPoP key serve every check and auto-expect read until it expires.
 */
const oauthOf = new Map<string, OktaOAuth>();

/** The Okta client of a stored connection: its sealed secret opened with SCIMWATCH_SECRETS_KEY. */
export function oktaHttpOf(
  c: Extract<Connection, { idp: "okta" }>,
  secrets: SecretBox,
  egress: EgressPolicy,
): OktaHttp {
  let secret: string;
  try {
    secret = secrets.open(c.tokenSealed, oktaSealContext(c));
  } catch (e) {
    throw new ConnectorError(
      "bad_credentials",
      `the stored Okta credentials cannot be opened: ${e instanceof SealError ? e.message : "connect again"}`,
    );
  }
  if (c.auth !== "oauth") return new OktaHttp(c.oktaUrl, secret, egress);
  const id = `${c.oktaUrl}|${c.clientId}|${c.tokenSealed}`;
  let oauth = oauthOf.get(id);
  if (!oauth) {
    oauth = new OktaOAuth(c.oktaUrl, c.clientId ?? "", secret, egress);
    oauthOf.set(id, oauth);
  }
  return new OktaHttp(c.oktaUrl, oauth, egress);
}

/** What reading a tenant's IdP needs: its stored connection, the connectors, the key to its secrets. */
export interface IdpReaders {
  connections: ConnectionStore;
  entra: EntraHttp | null;
  /** Opens sealed secrets (SCIMWATCH_SECRETS_KEY), or null when the key is not set. */
  secretBox: SecretBox | null;
  /** Where Okta org URLs may lead (SCIMWATCH_ALLOW_LOOPBACK_IDP). */
  egress: EgressPolicy;
  log: Logger;
  now: () => number;
}

export function idpSideReader(deps: IdpReaders) {
  async function readSide(c: Connection, loginId: string): Promise<IdpSide> {
    if (c.idp === "azure") return entraSide(deps.entra as EntraHttp, c, loginId);
    return oktaSide(
      oktaHttpOf(c, deps.secretBox as SecretBox, deps.egress),
      c,
      loginId,
      deps.now(),
    );
  }

  return async (tenantId: string, loginId: string): Promise<IdpSideAnswer | null> => {
    const c = await deps.connections.get(tenantId).catch(() => null);
    if (!c) return null;
    const name = c.idp === "azure" ? "Entra ID" : "Okta";
    if (c.idp === "azure" && !deps.entra)
      return {
        side: null,
        note: "Entra ID side unavailable: ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are not set on scimwatch.",
      };
    if (c.idp === "okta" && !deps.secretBox)
      return {
        side: null,
        note: "Okta side unavailable: SCIMWATCH_SECRETS_KEY is not set, so the stored token cannot be opened.",
      };
    try {
      const side = await readSide(c, loginId);
      await deps.connections.mark(c, true, null, deps.now()).catch(() => {});
      return { side };
    } catch (e) {
      const msg = e instanceof ConnectorError ? e.message : `unexpected: ${(e as Error).message}`;
      if (!(e instanceof ConnectorError))
        deps.log.error({ kind: "idp_side", err: e }, `${name} read failed`);
      await deps.connections.mark(c, false, msg, deps.now()).catch(() => {});
      return {
        side: null,
        note: `${name} side unavailable: ${msg}. The verdict above is from Descope's side only.`,
      };
    }
  };
}

/**
 * The IdP's own word on a tenant's provisioning job, for the tenant-health
 * alerts: Entra's job in quarantine (or paused) is the proof behind "stopped"
 * or "failing". Null without an Entra connector, or when the job is fine or unreadable.
 */
export function idpJobReader(deps: Omit<IdpReaders, "log">) {
  return async (tenantId: string): Promise<string | null> => {
    const c = await deps.connections.get(tenantId).catch(() => null);
    if (c?.idp === "okta") {
      if (!deps.secretBox) return null;
      const p = await oktaIntegrationProblem(
        oktaHttpOf(c, deps.secretBox, deps.egress),
        c,
        deps.now(),
      ).catch(() => null);
      if (!p) return null;
      return p.kind === "credential"
        ? `Okta confirms: it could not authenticate to Descope's SCIM API at ${p.at} (the SCIM credential was refused: a Descope access key expired or revoked)${p.reason ? `: ${p.reason}` : ""}. Paste a new key in ${c.appName} › Provisioning › Integration, Test API Credentials, Save.`
        : `Okta confirms: Descope's SCIM API throttled it at ${p.at}${p.reason ? `: ${p.reason}` : ""}.`;
    }
    if (c?.idp !== "azure" || !deps.entra) return null;
    const job = await findJob(deps.entra, c.entraTenant, c.spId).catch(() => null);
    const code = job?.status?.code;
    if (code === "Quarantine") {
      const q = job?.status?.quarantine;
      return `Entra ID confirms: ${c.appName}'s provisioning job is in quarantine${q?.reason ? ` (${q.reason})` : ""}${q?.error?.message ? `: ${q.error.message}` : ""}${q?.nextAttempt ? `; next attempt ${q.nextAttempt}` : ""}.`;
    }
    if (code && ["Paused", "NotConfigured", "NotRun"].includes(code))
      return `Entra ID confirms: ${c.appName}'s provisioning job is ${code}: nothing is pushed until it is started.`;
    return null;
  };
}
