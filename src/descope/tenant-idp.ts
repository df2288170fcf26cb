/**
 * Which IdP a tenant uses, decided in one place: the IdP someone named wins;
 * otherwise it is inferred from the tenant's SSO settings (SAML entity ID,
 * SSO URL, OIDC issuer…). Every answer, checklist, alert and digest asks here.
 */
import type { IdpId } from "../core/idp/catalog.js";
import { type IdpGuess, inferIdp } from "../core/idp/infer.js";
import type { DescopeClient } from "./client.js";
import { ssoEndpointsOf } from "./events.js";
import { optional } from "./optional.js";
import type { SsoSettings } from "./schemas.js";

/** From settings already loaded. Pure. */
export function idpOf(sso: SsoSettings | null, named?: { idp: IdpId; reason: string }): IdpGuess {
  if (named) return named;
  const guess = inferIdp(ssoEndpointsOf(sso));
  // A tenant with several SSO configurations: which one, and why (sso-choice.ts).
  return sso?.chosenBecause ? { ...guess, reason: `${guess.reason}, ${sso.chosenBecause}` } : guess;
}

/** Loads the tenant's SSO settings (an optional look-up: refused or missing → inferred as generic). */
export async function tenantIdp(
  descope: Pick<DescopeClient, "loadSsoSettings">,
  tenantId: string,
  named?: { idp: IdpId; reason: string },
): Promise<IdpGuess> {
  if (named) return named;
  return idpOf(await optional(descope.loadSsoSettings(tenantId)));
}
