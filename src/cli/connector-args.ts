/** The IdP connector options `check` and `reconcile` share: --entra-tenant/--entra-app or --okta-url/--okta-app, and the credentials each needs. */
import { egressFromSetting, urlProblem } from "../net/egress.js";

export const CONNECTOR_OPTIONS = {
  "entra-tenant": { type: "string" },
  "entra-app": { type: "string" },
  "okta-url": { type: "string" },
  "okta-app": { type: "string" },
} as const;

export type ConnectorChoice =
  | { entra: { tenant: string; app: string } }
  | { okta: { url: string; app: string } }
  | Record<string, never>;

/** The connector asked for, or the usage problem. */
export function connectorChoice(
  values: {
    "entra-tenant"?: string | undefined;
    "entra-app"?: string | undefined;
    "okta-url"?: string | undefined;
    "okta-app"?: string | undefined;
  },
  env: NodeJS.ProcessEnv,
): ConnectorChoice | { problem: string } {
  const entraTenant = values["entra-tenant"];
  const entraApp = values["entra-app"];
  if (Boolean(entraTenant) !== Boolean(entraApp))
    return { problem: "--entra-tenant and --entra-app go together" };
  if (entraTenant && (!env.ENTRA_CLIENT_ID || !env.ENTRA_CLIENT_SECRET))
    return {
      problem: "--entra-tenant needs ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET in the environment",
    };
  const oktaUrl = values["okta-url"];
  const oktaApp = values["okta-app"];
  if (Boolean(oktaUrl) !== Boolean(oktaApp))
    return { problem: "--okta-url and --okta-app go together" };
  if (oktaUrl && entraTenant)
    return { problem: "give either the Entra or the Okta options, not both" };
  if (oktaUrl && !env.OKTA_API_TOKEN && !(env.OKTA_CLIENT_ID && env.OKTA_PRIVATE_KEY))
    return {
      problem:
        "--okta-url needs OKTA_API_TOKEN (a read-only API token), or OKTA_CLIENT_ID and OKTA_PRIVATE_KEY (a service app), in the environment",
    };
  const bad = oktaUrl
    ? urlProblem(oktaUrl, egressFromSetting(env.SCIMWATCH_ALLOW_LOOPBACK_IDP))
    : null;
  if (bad) return { problem: `--okta-url is refused: ${bad}` };
  if (entraTenant && entraApp) return { entra: { tenant: entraTenant, app: entraApp } };
  if (oktaUrl && oktaApp) return { okta: { url: oktaUrl, app: oktaApp } };
  return {};
}
