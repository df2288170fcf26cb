/**
 * `scimwatch doctor`'s IdP-connector lines, from the connections stored in
 * Redis: which credentials they need from the environment, and the last
 * problem each one met. Pure.
 */
import { type KeySnapshot, keysRunOutSoon } from "../core/scim-keys.js";
import type { Connection } from "../redis/connections.js";
import { keyExpiryLine } from "../render/scim-keys.js";
import type { Result } from "./doctor-slack.js";

const IDP_NAME = { azure: "Entra ID", okta: "Okta" } as const;

export function connectorResults(
  conns: Connection[],
  env: Record<string, string | undefined>,
): Result[] {
  if (conns.length === 0)
    return [
      {
        name: "IdP connectors",
        ok: true,
        detail:
          "none connected: checks read Descope's side only; an admin's /scim connect <tenant> entra|okta adds the IdP's (assignments, provisioning logs)",
      },
    ];
  const out: Result[] = [];
  const entra = conns.filter((c) => c.idp === "azure");
  const okta = conns.filter((c) => c.idp === "okta");
  if (entra.length && !(env.ENTRA_CLIENT_ID && env.ENTRA_CLIENT_SECRET))
    out.push({
      name: "IdP connectors",
      ok: false,
      detail: `${entra.length} Entra connection(s) stored, but ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are not both set: set them to scimwatch's Entra app registration (its Application (client) ID and a client secret)`,
    });
  if (okta.length && !env.SCIMWATCH_SECRETS_KEY)
    out.push({
      name: "IdP connectors",
      ok: false,
      detail: `${okta.length} Okta connection(s) stored, but SCIMWATCH_SECRETS_KEY is not set: their sealed tokens cannot be opened; set the key they were sealed with`,
    });
  for (const c of conns.filter((c) => c.problem))
    out.push({
      name: `IdP connector ${c.tenantName}`,
      ok: true,
      warn: true,
      detail: `${IDP_NAME[c.idp]}: ${c.problem}`,
    });
  if (!out.some((r) => !r.ok))
    out.unshift({
      name: "IdP connectors",
      ok: true,
      detail: `${conns.length} connected (Entra ID ${entra.length}, Okta ${okta.length})`,
    });
  return out;
}

/** The SCIM keys as the key watch last read them: which run out within the first threshold. Pure. */
export function scimKeyResult(snaps: KeySnapshot[], now: number, warnDays: number[]): Result {
  if (!snaps.length)
    return {
      name: "SCIM keys",
      ok: true,
      detail:
        "not read yet: the key watch runs when a worker (role all or worker) starts, then daily",
    };
  const within = (warnDays[0] ?? 14) * 86_400_000;
  const soon = snaps.filter((s) => keysRunOutSoon(s, now, within));
  if (!soon.length)
    return {
      name: "SCIM keys",
      ok: true,
      detail: `${snaps.length} tenant(s) read; no SCIM key runs out within ${warnDays[0] ?? 14} days`,
    };
  return {
    name: "SCIM keys",
    ok: true,
    warn: true,
    detail: soon
      .slice(0, 10)
      .map((s) => `${s.tenantName}: ${keyExpiryLine(s, now)}`)
      .join("; "),
  };
}
