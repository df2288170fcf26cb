/** Normalises Descope's audit and user records into the plain facts the diagnosis reads. */
import type { AuditEvent, GroupMapping, UserFacts } from "../diagnosis/facts.js";
import type { SsoEndpoints } from "../idp/infer.js";
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

export function toAuditEvent(rec: AuditRecord, index: number): AuditEvent {
  const data = rec.data;
  const isScim = rec.action === "SCIMEvent";
  const loginIds = [...rec.externalIds];
  const req = asObject(data.scim_request);
  if (isScim && typeof req?.userName === "string" && !loginIds.includes(req.userName)) {
    loginIds.push(req.userName);
  }
  const error = isScim
    ? str(data.error)
    : rec.action === "LoginFailed"
      ? str(data.error_message)
      : undefined;
  return {
    id: rec.ID ?? `${rec.action}-${rec.occurred}-${index}`,
    action: rec.action,
    at: rec.occurred,
    loginIds,
    userId: rec.userId ?? undefined,
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

/** Group→role mappings from SAML and OIDC settings (OIDC's may be called roleMappings). */
export function groupMappingsOf(sso: SsoSettings | null): GroupMapping[] {
  if (!sso) return [];
  const all = [
    ...(sso.saml?.groupsMapping ?? []),
    ...(sso.oidc?.groupsMapping ?? []),
    ...(sso.oidc?.roleMappings ?? []),
  ];
  return all
    .filter((m) => m.groups.length > 0)
    .map((m) => ({ groups: m.groups, role: m.role?.name ?? m.role?.id ?? "(unnamed role)" }));
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
