/** What a SCIM audit event did: create, update, deactivate, delete, read. Pure. */
import type { AuditEvent } from "./diagnosis/facts.js";

export type ScimKind = "create" | "update" | "deactivate" | "delete" | "read" | "other";

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
