/** Builders for Descope wire records used by the fakes and tests. */
import type { WireAudit, WireUser } from "./descope.js";

let seq = 0;
const nextId = () => `a${(++seq).toString().padStart(8, "0")}`;

export interface EventOpts {
  at: number;
  loginId: string;
  tenant?: string;
  userId?: string;
}

export function scimEvent(
  o: EventOpts & { scimAction?: string; error?: string; active?: boolean; email?: string },
): WireAudit {
  const request: Record<string, unknown> = {
    userName: o.loginId,
    emails: [{ value: o.email ?? o.loginId, primary: true }],
  };
  if (o.active !== undefined) request.active = o.active;
  return {
    ID: nextId(),
    projectId: "P2fakeproject",
    userId: o.userId ?? "",
    action: "SCIMEvent",
    type: o.error ? "Error" : "Info",
    actorId: "scim",
    occurred: String(o.at),
    externalIds: [o.loginId],
    tenants: o.tenant ? [o.tenant] : [],
    data: {
      scim_action: o.scimAction ?? "CreateUser",
      scim_request: request,
      ...(o.error
        ? { error: o.error }
        : { scim_result: { id: o.userId ?? "U1", userName: o.loginId, active: o.active ?? true } }),
      correlation_id: `c-${seq}`,
    },
  };
}

export function auditEvent(
  action: "LoginFailed" | "LoginSucceed" | "UserCreated" | "UserModified" | "UserDeleted",
  o: EventOpts & { errorMessage?: string; method?: string },
): WireAudit {
  return {
    ID: nextId(),
    projectId: "P2fakeproject",
    userId: o.userId ?? "",
    action,
    type: action === "LoginFailed" ? "Error" : "Info",
    actorId: o.loginId,
    occurred: String(o.at),
    method: o.method ?? (action.startsWith("Login") ? "saml" : undefined),
    externalIds: [o.loginId],
    tenants: o.tenant ? [o.tenant] : [],
    data: o.errorMessage ? { error_message: o.errorMessage } : {},
  };
}

export function user(o: {
  loginId: string;
  userId?: string;
  tenantId?: string;
  tenantName?: string;
  roles?: string[];
  status?: string;
  scim?: boolean;
  createdAt?: number;
  name?: string;
  /** Default: the login ID; null: none. */
  email?: string | null;
}): WireUser {
  return {
    userId: o.userId ?? `U${o.loginId.replace(/[^a-z0-9]/gi, "")}`,
    loginIds: [o.loginId],
    ...(o.email === null ? {} : { email: o.email ?? o.loginId }),
    name: o.name ?? o.loginId.split("@")[0] ?? o.loginId,
    status: o.status ?? "enabled",
    roleNames: [],
    userTenants: o.tenantId
      ? [{ tenantId: o.tenantId, tenantName: o.tenantName ?? o.tenantId, roleNames: o.roles ?? [] }]
      : [],
    createdTime: Math.floor((o.createdAt ?? Date.now()) / 1000),
    SCIM: o.scim ?? true,
    SAML: true,
    password: false,
    webauthn: false,
  };
}

export const ENTRA_SAML = {
  idpEntityId: "https://sts.windows.net/6f1c7e2a-0000-4000-8000-000000000000/",
  idpSSOUrl: "https://login.microsoftonline.com/6f1c7e2a-0000-4000-8000-000000000000/saml2",
};
export const OKTA_SAML = {
  idpEntityId: "http://www.okta.com/exk1abcd",
  idpSSOUrl: "https://acme.okta.com/app/acme_descope/exk1abcd/sso/saml",
};
