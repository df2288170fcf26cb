/**
 * The /scim verbs, listed once: the help, each verb's usage, the "did you
 * mean" suggestion and the manifest's usage hint come from here; a test
 * checks that the parser, the help text and the manifest agree with it.
 * Admin verbs are shown to admins only. Pure.
 */
import { editDistance } from "./edit-distance.js";
export interface Verb {
  verb: string;
  /** The usage: "check <login ID> [tenant]". */
  brief: string;
  /** One help line: what it does (mrkdwn, already safe). */
  does: string;
  /** Only scimwatch admins may run it (and only they see it in the help). */
  admin?: boolean;
  /** It changes something (hires, alerts, settings): read-only members may not run it. */
  changes?: boolean;
}

export const VERBS: readonly Verb[] = [
  {
    verb: "check",
    brief: "check <login ID> [tenant]",
    does: "was this user provisioned? Verdict, evidence, and the fix for their IdP.",
  },
  {
    verb: "explain",
    brief: "explain [assignment|mapping|timing|jit|deprovisioning] [idp]",
    does: "the why, per IdP.",
  },
  {
    verb: "activity",
    brief: "activity [tenant] [7d]",
    does: "is the IdP pushing? SCIM creates, updates, deactivations and errors per day.",
  },
  {
    verb: "expect",
    changes: true,
    brief: "expect <email> [<email> …] [tenant] [idp=<idp>] [at=<when>] [start=<date>]",
    does: "register expected new hires (no arguments: a form); a checklist ticks itself as they arrive.",
  },
  {
    verb: "pending",
    brief: "pending [tenant]",
    does: "open hires with their status and due time.",
  },
  {
    verb: "reconcile",
    brief: "reconcile <tenant> [scope=all]",
    does: "who is out of sync: in the IdP's scope but missing, left the IdP but still enabled in Descope, not SCIM-managed; the whole list as CSV.",
  },
  {
    verb: "leaver",
    changes: true,
    brief: "leaver <email> [tenant] [last=<date>]",
    does: "someone is leaving: a checklist ticks as the IdP removes them and Descope disables them; an alert if they are still enabled after their last day.",
  },
  {
    verb: "forget",
    changes: true,
    brief: "forget <email>",
    does: "stop tracking one expected hire.",
  },
  {
    verb: "alerts",
    changes: true,
    brief: "alerts #channel",
    does: "where this linked tenant's alerts go (admins, in the linked channel).",
    admin: true,
  },
  {
    verb: "onboarding",
    changes: true,
    brief: "onboarding #channel",
    does: "where this linked tenant's checklists go for hires from HR or a file (admins, in the linked channel).",
    admin: true,
  },
  {
    verb: "link",
    changes: true,
    brief: "link <tenant>",
    does: "scope this channel to one tenant.",
    admin: true,
  },
  {
    verb: "unlink",
    changes: true,
    brief: "unlink",
    does: "end this channel's link to its tenant.",
    admin: true,
  },
  {
    verb: "connect",
    changes: true,
    brief: "connect <tenant> entra|okta [app=<name or appId>] [entra-tenant=<id>]",
    does: "read the IdP's side (assignment, provisioning logs, job) for that tenant's checks; okta opens a form.",
    admin: true,
  },
  {
    verb: "connections",
    brief: "connections",
    does: "the tenants connected to their IdP, and how their last read went.",
    admin: true,
  },
  {
    verb: "autoexpect",
    changes: true,
    brief: "autoexpect <tenant> on|off",
    does: "new members of the app's assigned groups become expected hires.",
    admin: true,
  },
  {
    verb: "write",
    changes: true,
    brief: "write <tenant> on|off",
    does: "write access for fix-it actions (Entra: provision on demand, restart), after the customer's admin consents to the write app; approvers approve each call.",
    admin: true,
  },
  {
    verb: "disconnect",
    changes: true,
    brief: "disconnect <tenant>",
    does: "forget a tenant's IdP connection.",
    admin: true,
  },
  {
    verb: "webhook",
    changes: true,
    brief: "webhook <tenant>",
    does: "issue the secret this tenant's HR system signs `POST /hooks/hires` with, shown once.",
    admin: true,
  },
  {
    verb: "help",
    brief: "help [verb]",
    does: "this list, or one verb's usage.",
  },
];

/** "Usage: /scim check <login ID> [tenant] · /scim explain …" */
export const USAGE_LINE = `Usage: ${VERBS.map((v) => `/scim ${v.brief}`).join(" · ")}`;

/** A verb by name (case-insensitive), or undefined. */
export function verbNamed(name: string | undefined): Verb | undefined {
  const n = (name ?? "").toLowerCase();
  return VERBS.find((v) => v.verb === n);
}

/** The verb someone probably meant ("chek" → check, "pendng" → pending), or undefined. */
export function closestVerb(typed: string): Verb | undefined {
  const t = typed.toLowerCase();
  if (!t) return undefined;
  let best: { v: Verb; d: number } | undefined;
  for (const v of VERBS) {
    const d = v.verb.startsWith(t) && t.length >= 3 ? 0 : editDistance(v.verb, t);
    if (!best || d < best.d) best = { v, d };
  }
  return best && best.d <= (t.length >= 4 ? 2 : 1) ? best.v : undefined;
}

/** Whether a verb changes something (expect, forget, the admin settings). */
export function verbChanges(name: string): boolean {
  return verbNamed(name)?.changes === true;
}
