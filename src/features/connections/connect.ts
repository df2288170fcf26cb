/**
 * Connecting a tenant's IdP (read-only), the use case: what the /scim connect
 * command and the Okta form share. It checks the connection really works
 * (consent, the app, its provisioning job; Okta's app and credentials),
 * stores it (Okta's secret sealed) and returns what was found and what is
 * missing; the callers only draw it.
 */
import { findJob, findServicePrincipal } from "../../connectors/entra-facts.js";
import { ConnectorError, type EntraHttp } from "../../connectors/entra-http.js";
import { findOktaApp } from "../../connectors/okta-facts.js";
import { OktaHttp } from "../../connectors/okta-http.js";
import { OktaOAuth } from "../../connectors/okta-oauth.js";
import type { EgressPolicy } from "../../net/egress.js";
import { type ConnectionStore, oktaSealContext } from "../../redis/connections.js";
import type { SecretBox } from "../../redis/secret-box.js";

type Tenant = { tenantId: string; tenantName: string };

interface EntraConnected {
  /** The enterprise app found (null: none by that name or appId). */
  app: { displayName: string; appId: string } | null;
  found: string[];
  missing: string[];
}

/** Entra: consent, the enterprise app, its provisioning job; stored when the app exists. */
export async function connectEntra(
  deps: { entra: EntraHttp; connections: ConnectionStore; now: () => number },
  o: Tenant & { entraTenant: string; app: string; by: string },
): Promise<EntraConnected> {
  const { entra } = deps;
  const found: string[] = [];
  const missing: string[] = [];
  let sp: Awaited<ReturnType<typeof findServicePrincipal>> = null;
  let jobId: string | null = null;
  try {
    await entra.token(o.entraTenant);
    found.push(`scimwatch's app can sign in to Entra tenant ${o.entraTenant} (consent granted)`);
    sp = await findServicePrincipal(entra, o.entraTenant, o.app);
    if (!sp) missing.push(`No enterprise app named or with appId ${o.app} in this Entra tenant.`);
    else {
      found.push(`Enterprise app ${sp.displayName} (appId ${sp.appId})`);
      const job = await findJob(entra, o.entraTenant, sp.id).catch((e: unknown) => {
        if (e instanceof ConnectorError && e.problem === "permission_missing") {
          missing.push(e.message);
          return undefined;
        }
        throw e;
      });
      if (job) {
        jobId = job.id;
        found.push(`Provisioning job ${job.id} (${job.status?.code ?? "Active"})`);
      } else if (job === null)
        missing.push(
          `${sp.displayName} has no provisioning job: SCIM may be set up on another enterprise app (SSO and SCIM are often two different apps). Connect that one with app=<its name>.`,
        );
    }
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    missing.push(e.message);
  }
  if (sp) {
    await deps.connections.set({
      tenantId: o.tenantId,
      tenantName: o.tenantName,
      idp: "azure",
      entraTenant: o.entraTenant,
      appName: sp.displayName,
      appId: sp.appId,
      spId: sp.id,
      jobId,
      connectedBy: o.by,
      connectedAt: deps.now(),
      lastOkAt: missing.length ? null : deps.now(),
      problem: missing[0] ?? null,
    });
  }
  return { app: sp ? { displayName: sp.displayName, appId: sp.appId } : null, found, missing };
}

/**
 * Okta: the app (by label or ID) read with the credentials given (an API
 * token, or a service app's client ID and private key), then stored sealed.
 * Null when no such app; a ConnectorError says why Okta refused.
 */
export async function connectOkta(
  deps: {
    connections: ConnectionStore;
    secretBox: SecretBox;
    egress: EgressPolicy;
    now: () => number;
  },
  o: Tenant & {
    url: string;
    app: string;
    token?: string | undefined;
    oauth?: { clientId: string; privateKey: string } | undefined;
    by: string;
  },
): Promise<{ label: string } | null> {
  const auth = o.oauth
    ? new OktaOAuth(o.url, o.oauth.clientId, o.oauth.privateKey, deps.egress)
    : (o.token ?? "");
  const found = await findOktaApp(new OktaHttp(o.url, auth, deps.egress), o.app);
  if (!found) return null;
  const kind = o.oauth ? "oauth" : "token";
  const clientId = o.oauth?.clientId ?? null;
  await deps.connections.set({
    tenantId: o.tenantId,
    tenantName: o.tenantName,
    idp: "okta",
    oktaUrl: o.url,
    appId: found.id,
    appName: found.label || o.app,
    auth: kind,
    clientId,
    tokenSealed: deps.secretBox.seal(
      o.oauth ? o.oauth.privateKey : (o.token ?? ""),
      oktaSealContext({ tenantId: o.tenantId, oktaUrl: o.url, auth: kind, clientId }),
    ),
    connectedBy: o.by,
    connectedAt: deps.now(),
    lastOkAt: deps.now(),
    problem: null,
  });
  return { label: found.label || o.app };
}
