import type { IdpId } from "./catalog.js";

/** The parts of a tenant's SSO configuration that reveal its IdP. */
export interface SsoEndpoints {
  samlEntityId?: string | undefined;
  samlSsoUrl?: string | undefined;
  samlMetadataUrl?: string | undefined;
  oidcIssuer?: string | undefined;
  oidcAuthUrl?: string | undefined;
}

export interface IdpGuess {
  idp: IdpId;
  /** Why this IdP was assumed, in words. */
  reason: string;
}

const HOST_RULES: Array<{ idp: IdpId; test: (host: string) => boolean }> = [
  {
    idp: "azure",
    test: (h) =>
      h === "sts.windows.net" ||
      h === "login.microsoftonline.com" ||
      h.endsWith(".microsoftonline.com"),
  },
  {
    idp: "okta",
    test: (h) => /(^|\.)(okta|oktapreview|okta-emea)\.com$/.test(h),
  },
  { idp: "google", test: (h) => h === "accounts.google.com" },
  { idp: "onelogin", test: (h) => /(^|\.)onelogin\.com$/.test(h) },
  { idp: "jumpcloud", test: (h) => /(^|\.)jumpcloud\.com$/.test(h) },
  { idp: "pingone", test: (h) => /(^|\.)(pingone|pingidentity)\.com$/.test(h) },
];

function hostOf(value: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  try {
    return new URL(trimmed.includes("://") ? trimmed : `https://${trimmed}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

const FIELD_LABELS: Array<[keyof SsoEndpoints, string]> = [
  ["samlEntityId", "SAML IdP entity ID"],
  ["samlSsoUrl", "SAML SSO URL"],
  ["samlMetadataUrl", "SAML metadata URL"],
  ["oidcIssuer", "OIDC issuer"],
  ["oidcAuthUrl", "OIDC authorization URL"],
];

/** Infers the tenant's IdP from the hosts in its SSO settings; falls back to the generic IdP. */
export function inferIdp(sso: SsoEndpoints | null): IdpGuess {
  if (sso) {
    for (const [field, label] of FIELD_LABELS) {
      const value = sso[field];
      if (!value) continue;
      const host = hostOf(value);
      if (!host) continue;
      const rule = HOST_RULES.find((r) => r.test(host));
      if (rule) return { idp: rule.idp, reason: `inferred from the tenant's ${label} (${host})` };
    }
    return {
      idp: "generic",
      reason: "the tenant's SSO settings name no IdP host scimwatch recognises",
    };
  }
  return { idp: "generic", reason: "no SSO settings were found to infer the IdP from" };
}
