/** Normalises Descope's audit and user records into the plain facts the diagnosis reads. */
import { createHash } from "node:crypto";
import type { AuditEvent, GroupMapping, UserFacts } from "../core/diagnosis/facts.js";
import type { SsoEndpoints } from "../core/idp/infer.js";
import type { AuditRecord, DescopeUser, SsoSettings } from "./schemas.js";

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.length ? v : undefined;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const k of ["message", "detail", "error", "description"]) {
      if (typeof o[k] === "string" && o[k]) return o[k] as string;
    }
    return JSON.stringify(v);
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** `data.scim_request` may be an object or a JSON string. */
function asObject(v: unknown): Record<string, unknown> | undefined {
  if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v === "string" && v.trim().startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed && typeof parsed === "object") return parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Finds `active` in a SCIM request body: a PUT/POST resource, or PATCH operations. */
function scimActive(req: Record<string, unknown> | undefined): boolean | undefined {
  if (!req) return undefined;
  if (typeof req.active === "boolean") return req.active;
  const ops = req.Operations ?? req.operations;
  if (Array.isArray(ops)) {
    for (const op of ops) {
      const o = op as { path?: unknown; value?: unknown };
      if (typeof o.path === "string" && o.path.toLowerCase() === "active") {
        if (typeof o.value === "boolean") return o.value;
        if (o.value === "False" || o.value === "false") return false;
        if (o.value === "True" || o.value === "true") return true;
      }
      const v = asObject(o.value);
      if (v && typeof v.active === "boolean") return v.active;
    }
  }
  return undefined;
}

/** Login IDs a SCIM resource names: `userName` and every `emails[].value`. */
function scimIdentities(resource: Record<string, unknown> | undefined): string[] {
  if (!resource) return [];
  const out: string[] = [];
  if (typeof resource.userName === "string" && resource.userName) out.push(resource.userName);
  if (Array.isArray(resource.emails)) {
    for (const e of resource.emails) {
      const v = (e as { value?: unknown } | null)?.value;
      if (typeof v === "string" && v) out.push(v);
    }
  }
  return out;
}

/** JSON with sorted keys, so the same content always gives the same text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * A row's key: its `ID`, or, when Descope sends none (missing or empty), a
 * hash of its content, so the same row read twice (in two pages, two runs or
 * two processes) gets the same key and two different rows never share one.
 */
function auditKey(rec: AuditRecord): string {
  if (rec.ID) return rec.ID;
  const { ID: _ignored, ...content } = rec;
  return `h-${createHash("sha256").update(canonical(content)).digest("hex").slice(0, 32)}`;
}

export function toAuditEvent(rec: AuditRecord): AuditEvent {
  const data = rec.data;
  const isScim = rec.action === "SCIMEvent";
  const req = asObject(data.scim_request);
  // A SCIM row names the person in externalIds, or only in what the IdP sent
  // (userName, emails) or got back: all of them find the row.
  const loginIds: string[] = [];
  const seen = new Set<string>();
  const candidates = [
    ...rec.externalIds,
    ...(isScim ? [...scimIdentities(req), ...scimIdentities(asObject(data.scim_result))] : []),
  ];
  for (const l of candidates) {
    const k = l.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      loginIds.push(l);
    }
  }
  const error = isScim
    ? str(data.error)
    : rec.action === "LoginFailed"
      ? str(data.error_message)
      : undefined;
  return {
    id: auditKey(rec),
    action: rec.action,
    at: rec.occurred,
    loginIds,
    userId: rec.userId || undefined,
    tenants: rec.tenants,
    method: rec.method ?? undefined,
    scimAction: isScim ? str(data.scim_action) : undefined,
    error,
    active: isScim ? scimActive(req) : undefined,
  };
}

export function toUserFacts(u: DescopeUser): UserFacts {
  return {
    userId: u.userId,
    loginIds: u.loginIds,
    name: u.name ?? undefined,
    email: u.email ?? undefined,
    status: u.status ?? "enabled",
    scim: u.SCIM === true,
    createdAt: typeof u.createdTime === "number" ? u.createdTime * 1000 : null,
    tenants: u.userTenants.map((t) => ({
      tenantId: t.tenantId,
      tenantName: t.tenantName ?? undefined,
      roleNames: t.roleNames,
    })),
    projectRoles: u.roleNames,
  };
}

/**
 * Group→role mappings from SAML and OIDC settings: SAML's `groupsMapping`
 * `[{ groups, role: { id, name } }]`, OIDC's `groupsMapping` or `roleMappings`
 * (the latter `[{ groups, roleName }]`).
 */
export function groupMappingsOf(sso: SsoSettings | null): GroupMapping[] {
  if (!sso) return [];
  const all = [
    ...(sso.saml?.groupsMapping ?? []),
    ...(sso.oidc?.groupsMapping ?? []),
    ...(sso.oidc?.roleMappings ?? []),
  ];
  return all
    .filter((m) => m.groups.length > 0)
    .map((m) => ({
      groups: m.groups,
      role: m.role?.name || m.roleName || m.role?.id || "(unnamed role)",
    }));
}

/** The SSO fields that reveal which IdP a tenant uses. */
export function ssoEndpointsOf(sso: SsoSettings | null): SsoEndpoints | null {
  if (!sso) return null;
  return {
    samlEntityId: sso.saml?.idpEntityId ?? undefined,
    samlSsoUrl: sso.saml?.idpSSOUrl ?? undefined,
    samlMetadataUrl: sso.saml?.idpMetadataUrl ?? undefined,
    oidcIssuer: sso.oidc?.issuer ?? undefined,
    oidcAuthUrl: sso.oidc?.authUrl ?? undefined,
  };
}
