/**
 * Which of a tenant's SSO configurations SCIM uses, decided once: the only
 * one; else the one whose SCIM key the tenant holds (Descope's SCIM keys name
 * their configuration); else, when every configuration points at the same
 * IdP, that IdP's default; else the default, saying the choice could not be
 * told. Pure.
 */
import { IDPS } from "../core/idp/catalog.js";
import { inferIdp } from "../core/idp/infer.js";
import { ssoEndpointsOf } from "./events.js";
import type { SsoSettings, TenantScimKey } from "./schemas.js";

const idOf = (c: { ssoId?: string | null | undefined }) => c.ssoId ?? "";
const label = (c: SsoSettings) => (idOf(c) ? `"${idOf(c)}"` : "the default");

export function scimConfiguration(
  configs: SsoSettings[],
  keys: TenantScimKey[] | null,
): SsoSettings | null {
  if (configs.length <= 1) return configs[0] ?? null;
  const n = configs.length;
  const fallback = configs.find((c) => !idOf(c)) ?? (configs[0] as SsoSettings);
  const keyed = keys
    ? configs.filter((c) =>
        keys.some((k) => idOf(k) === idOf(c) && (k.key.status ?? "active") !== "inactive"),
      )
    : [];
  if (keyed.length === 1) {
    const c = keyed[0] as SsoSettings;
    return {
      ...c,
      chosenBecause: `in ${idOf(c) ? `the SSO configuration "${idOf(c)}"` : "the default SSO configuration"}, which holds the tenant's SCIM key (${n} configurations)`,
    };
  }
  const idps = configs.map((c) => inferIdp(ssoEndpointsOf(c)).idp);
  if (new Set(idps).size === 1) {
    return { ...fallback, chosenBecause: `all ${n} SSO configurations use it` };
  }
  const list = configs.map((c, i) => `${label(c)}: ${IDPS[idps[i] ?? "generic"].name}`).join(", ");
  return {
    ...fallback,
    chosenBecause: `in the default SSO configuration; the tenant has ${n} (${list}) and ${keys ? "its SCIM keys do not tell which one SCIM uses" : "its SCIM keys could not be read to tell which one SCIM uses"}; the steps may be for the other IdP`,
  };
}
