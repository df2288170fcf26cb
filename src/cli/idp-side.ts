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

export async function entraSideForCli(
  d: Diagnosis,
  env: NodeJS.ProcessEnv,
  entraTenant: string,
  app: string,
): Promise<Diagnosis> {
  const http = new EntraHttp({
    clientId: env.ENTRA_CLIENT_ID as string,
    clientSecret: env.ENTRA_CLIENT_SECRET as string,
    loginUrl: env.ENTRA_LOGIN_URL,
    graphUrl: env.GRAPH_API_URL,
    redirectUri: env.ENTRA_REDIRECT_URI,
  });
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
  const egress = egressFromSetting(env.SCIMWATCH_ALLOW_LOOPBACK_IDP);
  try {
    const http = new OktaHttp(
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
