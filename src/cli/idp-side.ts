/** `scimwatch check --entra-tenant … --entra-app …` or `--okta-url … --okta-app …`: the IdP's side from the command line. */
import { existsSync, readFileSync } from "node:fs";

import { findServicePrincipal } from "../connectors/entra-facts.js";
import { ConnectorError, EntraHttp } from "../connectors/entra-http.js";
import { findOktaApp } from "../connectors/okta-facts.js";
import { OktaHttp } from "../connectors/okta-http.js";
import { OktaOAuth } from "../connectors/okta-oauth.js";
import type { Diagnosis } from "../core/diagnosis/diagnose.js";
import { withIdpSide } from "../features/check/service.js";
import { entraSide, oktaSide } from "../features/idp-side.js";
import { egressFromSetting } from "../net/egress.js";

/** Graph's client from ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET — or, for `write`, the write app's ENTRA_WRITE_CLIENT_* — and the test URLs. */
export function entraHttpFromEnv(
  env: NodeJS.ProcessEnv,
  app: "read" | "write" = "read",
): EntraHttp {
  const w = app === "write";
  return new EntraHttp({
    clientId: (w ? env.ENTRA_WRITE_CLIENT_ID : env.ENTRA_CLIENT_ID) as string,
    clientSecret: (w ? env.ENTRA_WRITE_CLIENT_SECRET : env.ENTRA_CLIENT_SECRET) as string,
    loginUrl: env.ENTRA_LOGIN_URL,
    graphUrl: env.GRAPH_API_URL,
    redirectUri: env.ENTRA_REDIRECT_URI,
  });
}

/** Okta's client from OKTA_API_TOKEN, or a service app's OKTA_CLIENT_ID and OKTA_PRIVATE_KEY. */
export function oktaHttpFromEnv(env: NodeJS.ProcessEnv, url: string): OktaHttp {
  const egress = egressFromSetting(env.SCIMWATCH_ALLOW_LOOPBACK_IDP);
  return new OktaHttp(
    url,
    env.OKTA_API_TOKEN ??
      new OktaOAuth(
        url,
        env.OKTA_CLIENT_ID as string,
        keyText(env.OKTA_PRIVATE_KEY as string),
        egress,
      ),
    egress,
  );
}

export async function entraSideForCli(
  d: Diagnosis,
  env: NodeJS.ProcessEnv,
  entraTenant: string,
  app: string,
): Promise<Diagnosis> {
  const http = entraHttpFromEnv(env);
  try {
    const sp = await findServicePrincipal(http, entraTenant, app);
    if (!sp)
      return withIdpSide(d, {
        side: null,
        note: `Entra ID side unavailable: no enterprise app ${app} in Entra tenant ${entraTenant}.`,
      });
    const side = await entraSide(
      http,
      { entraTenant, spId: sp.id, appName: sp.displayName, appId: sp.appId },
      d.loginId,
    );
    return withIdpSide(d, { side });
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    return withIdpSide(d, { side: null, note: `Entra ID side unavailable: ${e.message}.` });
  }
}

/** OKTA_PRIVATE_KEY: the PEM or JWK itself, or the path of a file holding it. */
function keyText(v: string): string {
  const t = v.trim();
  if (t.startsWith("-----") || t.startsWith("{") || !existsSync(t)) return v;
  return readFileSync(t, "utf8");
}

export async function oktaSideForCli(
  d: Diagnosis,
  env: NodeJS.ProcessEnv,
  url: string,
  app: string,
  now: number,
): Promise<Diagnosis> {
  try {
    const http = oktaHttpFromEnv(env, url);
    const found = await findOktaApp(http, app);
    if (!found)
      return withIdpSide(d, {
        side: null,
        note: `Okta side unavailable: no Okta app ${app} at ${url}.`,
      });
    const side = await oktaSide(
      http,
      { appId: found.id, appName: found.label || app },
      d.loginId,
      now,
    );
    return withIdpSide(d, { side });
  } catch (e) {
    if (!(e instanceof ConnectorError)) throw e;
    return withIdpSide(d, { side: null, note: `Okta side unavailable: ${e.message}.` });
  }
}
