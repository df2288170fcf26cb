/**
 * The plain data a diagnosis rests on. Adapters gather it (from Descope live,
 * or from the audit index); `diagnose()` only reads it.
 */
import * as z from "zod";
import type { IdpGuess } from "../idp/infer.js";

/** One audit event, normalised from Descope's wire format (and as the index stores it). */
export const auditEventSchema = z.object({
  id: z.string().min(1),
  action: z.string().min(1),
  /** Epoch milliseconds. */
  at: z.number().int().positive(),
  loginIds: z.array(z.string()),
  userId: z.string().optional(),
  tenants: z.array(z.string()),
  method: z.string().optional(),
  /** SCIMEvent: the SCIM operation. */
  scimAction: z.string().optional(),
  /** SCIMEvent: set when the call failed; LoginFailed: the reason. */
  error: z.string().optional(),
  /** SCIMEvent: the `active` the IdP sent, when it sent one. */
  active: z.boolean().optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/**
 * Does this event concern the person? Login IDs compare case-insensitively;
 * a row that carries only the Descope user ID counts when the ID is known.
 */
export function concerns(e: AuditEvent, loginId: string, userId?: string | null): boolean {
  const key = loginId.toLowerCase();
  return e.loginIds.some((l) => l.toLowerCase() === key) || (!!userId && e.userId === userId);
}

interface UserTenantFacts {
  tenantId: string;
  tenantName?: string | undefined;
  roleNames: string[];
}

export interface UserFacts {
  userId: string;
  loginIds: string[];
  name?: string | undefined;
  email?: string | undefined;
  /** enabled | disabled | invited | expired */
  status: string;
  /** Descope's upper-case `SCIM` flag. */
  scim: boolean;
  /** Epoch milliseconds (Descope sends seconds). */
  createdAt: number | null;
  tenants: UserTenantFacts[];
  projectRoles: string[];
}

export interface GroupMapping {
  groups: string[];
  role: string;
}

export interface TenantFacts {
  id: string;
  name?: string | undefined;
  jitDisabled: boolean | null;
  /** IdP groups mapped to Descope roles in the tenant's SSO settings. */
  groupMappings: GroupMapping[];
}

export const TENANT_SOURCES = ["argument", "user", "audit", "domain"] as const;
export type TenantSource = (typeof TENANT_SOURCES)[number];

/**
 * How the Descope user was found: by the login ID asked about, by its e-mail
 * (user search), or by the userName the IdP sent in the SCIM rows naming it.
 */
export const MATCHED_BY = ["login_id", "email", "scim_user_name"] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

export interface CheckFacts {
  loginId: string;
  /** The Descope project read (named beside console links, which carry no project ID). */
  projectId?: string | undefined;
  /** The tenant asked about, or the user's only tenant when none was asked. */
  tenant: TenantFacts | null;
  /** Whether the tenant was named by the person asking (vs inferred from the user). */
  tenantRequested: boolean;
  /**
   * Where the tenant came from: named (argument), the user record, the person's
   * audit rows, the tenant whose domains match the e-mail's; null when unknown.
   */
  tenantSource?: TenantSource | null | undefined;
  /** Several tenants the person's audit rows name, when none could be chosen: the answer lists them. */
  tenantCandidates?: Array<{ id: string; name?: string | undefined }> | undefined;
  user: UserFacts | null;
  /** How `user` was found (null when there is none); see identity.ts. */
  matchedBy?: MatchedBy | null | undefined;
  /** Audit events for this login ID, any order. */
  events: AuditEvent[];
  idp: IdpGuess;
  /** When IT assigned the user in the IdP, if known (epoch ms). */
  assignedAt: number | null;
  /** Minutes of grace after the IdP's window (SCIMWATCH_GRACE_MINUTES); see window.ts. */
  graceMinutes?: number | undefined;
  /** Where the events came from: a live search now, or the shared index as of a time. */
  eventsAsOf?: { source: "live" | "index"; at: number } | undefined;
  /** Look-ups Descope refused (e.g. a key without that permission): the answer says so. */
  unread?: string[] | undefined;
}

/** What a SCIM audit event did: create, update, deactivate, delete, read. */
type ScimKind = "create" | "update" | "deactivate" | "delete" | "read" | "other";

/** Classifies a SCIM event by its operation (an open string in Descope) and the `active` it carried. */
export function classifyScim(e: AuditEvent): ScimKind {
  if (e.active === false) return "deactivate";
  const a = (e.scimAction ?? "").toLowerCase();
  if (/create|post|add/.test(a)) return "create";
  if (/delete|remove/.test(a)) return "delete";
  if (/patch|update|put|replace|modify/.test(a)) return "update";
  if (/get|list|search|load|read|query/.test(a)) return "read";
  return "other";
}
