/**
 * What a diagnosis shows as evidence: one line per audit event and for the
 * user record, and which events are worth showing. Pure.
 */
import type { IdpProfile } from "../idp/catalog.js";
import type { AuditEvent, UserFacts } from "./facts.js";

const MAX_EVIDENCE_EVENTS = 12;

export function eventText(e: AuditEvent, idp: IdpProfile): string {
  switch (e.action) {
    case "SCIMEvent": {
      const op = e.scimAction ? `SCIM ${e.scimAction}` : "SCIM call";
      const act =
        e.active === false
          ? " (active=false: deactivate)"
          : e.active === true
            ? " (active=true)"
            : "";
      return e.error
        ? `${op} from ${idp.name} failed: ${e.error}`
        : `${op} from ${idp.name} succeeded${act}`;
    }
    case "LoginFailed":
      return `Sign-in failed${e.method ? ` (${e.method})` : ""}${e.error ? `: ${e.error}` : ""}`;
    case "LoginSucceed":
      return `Signed in${e.method ? ` (${e.method})` : ""}`;
    case "UserCreated":
      return "User created in Descope";
    case "UserModified":
      return "User modified in Descope";
    case "UserDeleted":
      return "User deleted from Descope";
    default:
      return e.action;
  }
}

export function userRecordText(u: UserFacts): string {
  const tenants = u.tenants.length
    ? u.tenants
        .map(
          (t) =>
            `${t.tenantName ?? t.tenantId} (roles: ${t.roleNames.length ? t.roleNames.join(", ") : "none"})`,
        )
        .join("; ")
    : "no tenant";
  return `User record: ${u.loginIds.join(", ") || u.userId}, status ${u.status}, SCIM flag ${u.scim ? "set" : "not set"}, tenants: ${tenants}`;
}

/**
 * At most MAX_EVIDENCE_EVENTS events, oldest first: the ones a verdict turns
 * on (the first SCIM call, the last failed one, the last deactivation, the
 * last sign-in of each kind, the last deletion) whatever their age, then the
 * newest others, so a busy user's noise never hides them.
 */
export function evidenceEvents(events: AuditEvent[]): AuditEvent[] {
  const last = (p: (e: AuditEvent) => boolean) => events.findLast(p);
  const key = [
    events.find((e) => e.action === "SCIMEvent"),
    last((e) => e.action === "SCIMEvent" && Boolean(e.error)),
    last((e) => e.action === "SCIMEvent" && e.active === false),
    last((e) => e.action === "LoginFailed"),
    last((e) => e.action === "LoginSucceed"),
    last((e) => e.action === "UserDeleted"),
  ].filter((e): e is AuditEvent => e !== undefined);
  const picked = new Set(key);
  for (let i = events.length - 1; i >= 0 && picked.size < MAX_EVIDENCE_EVENTS; i--) {
    picked.add(events[i] as AuditEvent);
  }
  return events.filter((e) => picked.has(e));
}
