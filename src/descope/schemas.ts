/**
 * zod schemas for the Descope management API responses scimwatch reads
 * (shared/reference/descope-api.md). Unknown fields are tolerated (stripped);
 * nulls where arrays are expected become empty arrays.
 */
import * as z from "zod";

const strings = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

/**
 * Epoch milliseconds, sent by Descope as a string ("1732800000000") or a
 * number; an ISO time is taken too (pushed events' shape is unverified).
 */
const epochMs = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v.trim());
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `not an epoch-milliseconds value: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});

export const auditRecordSchema = z.object({
  ID: z.string().nullish(),
  userId: z.string().nullish(),
  action: z.string(),
  type: z.string().nullish(),
  actorId: z.string().nullish(),
  occurred: epochMs,
  device: z.string().nullish(),
  method: z.string().nullish(),
  geo: z.string().nullish(),
  remoteAddress: z.string().nullish(),
  externalIds: strings,
  tenants: strings,
  data: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditSearchResponseSchema = z.object({
  audits: z
    .array(auditRecordSchema)
    .nullish()
    .transform((v) => v ?? []),
  total: z.number().nullish(),
});

const userTenantSchema = z.object({
  tenantId: z.string(),
  tenantName: z.string().nullish(),
  roleNames: strings,
});

export const userSchema = z.object({
  userId: z.string(),
  loginIds: strings,
  email: z.string().nullish(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  roleNames: strings,
  userTenants: z
    .array(userTenantSchema)
    .nullish()
    .transform((v) => v ?? []),
  /** Seconds since the epoch (unlike search filters, which are milliseconds). */
  createdTime: z.number().nullish(),
  SCIM: z.boolean().nullish(),
  SAML: z.boolean().nullish(),
  OIDC: z.boolean().nullish(),
  externalIds: strings,
});
export type DescopeUser = z.infer<typeof userSchema>;

export const userResponseSchema = z.object({ user: userSchema });

export const userSearchResponseSchema = z.object({
  users: z
    .array(userSchema)
    .nullish()
    .transform((v) => v ?? []),
  total: z.number().nullish(),
});

export const tenantSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  selfProvisioningDomains: strings,
  domains: strings,
  disabled: z.boolean().nullish(),
});
export type DescopeTenant = z.infer<typeof tenantSchema>;

export const tenantListResponseSchema = z.object({
  tenants: z
    .array(tenantSchema)
    .nullish()
    .transform((v) => v ?? []),
});

export const tenantSettingsSchema = z.object({
  JITDisabled: z.boolean().nullish(),
});

const groupsMappingSchema = z
  .array(
    z.object({
      groups: strings,
      role: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
      /** OIDC `roleMappings` name the role directly. */
      roleName: z.string().nullish(),
    }),
  )
  .nullish()
  .transform((v) => v ?? []);

export const ssoSettingsSchema = z.object({
  /** Which SSO configuration ("" or absent: the tenant's default). */
  ssoId: z.string().nullish(),
  /**
   * Not on the wire: why this configuration is the one SCIM uses, when the
   * tenant has several (descope/sso-choice.ts).
   */
  chosenBecause: z.string().optional(),
  saml: z
    .object({
      idpEntityId: z.string().nullish(),
      idpSSOUrl: z.string().nullish(),
      idpMetadataUrl: z.string().nullish(),
      groupsMapping: groupsMappingSchema,
    })
    .nullish(),
  oidc: z
    .object({
      issuer: z.string().nullish(),
      authUrl: z.string().nullish(),
      groupsMapping: groupsMappingSchema,
      roleMappings: groupsMappingSchema,
    })
    .nullish(),
});
export type SsoSettings = z.infer<typeof ssoSettingsSchema>;

export const groupSchema = z.object({
  id: z.string(),
  display: z.string().nullish(),
  members: z
    .array(
      z.object({
        loginId: z.string().nullish(),
        userId: z.string().nullish(),
        display: z.string().nullish(),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  source: z.string().nullish(),
});
export type DescopeGroup = z.infer<typeof groupSchema>;

export const errorBodySchema = z.object({
  errorCode: z.string().nullish(),
  errorDescription: z.string().nullish(),
  errorMessage: z.string().nullish(),
});

/** `GET /v1/mgmt/license`: the company license's rate-limit tier (tier1 … tier4). */
export const licenseSchema = z.object({
  rateLimitTier: z.string().min(1).max(64).nullish(),
});

/** `GET /v2/mgmt/sso/settings/all`: every SSO configuration of a tenant. */
export const ssoSettingsAllResponseSchema = z.object({
  SSOSettings: z
    .array(ssoSettingsSchema)
    .nullish()
    .transform((v) => v ?? []),
});

/** A SCIM access key's metadata (never the secret); times in epoch seconds, expireTime 0 = never. */
const scimKeySchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  createdTime: z.number().nullish(),
  expireTime: z.number().nullish(),
});

/** One key with the SSO configuration it serves ("" or absent: the default). */
export const tenantScimKeySchema = z.object({ key: scimKeySchema, ssoId: z.string().nullish() });
export type TenantScimKey = z.infer<typeof tenantScimKeySchema>;

/** `GET /v1/mgmt/scim/key?tenantId=`: the tenant's keys across every SSO configuration. */
export const scimKeysResponseSchema = z.object({
  keys: z
    .array(tenantScimKeySchema)
    .nullish()
    .transform((v) => v ?? []),
});

/** `POST /v2/mgmt/tenant/adminlinks/sso/generate`: the SSO Setup Suite link. */
export const adminLinkResponseSchema = z.object({ adminSSOConfigurationLink: z.string().url() });
