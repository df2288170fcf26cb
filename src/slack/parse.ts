/**
 * Parses `/scim …` text the way Slack sends it: HTML entities, <mailto:…|…>,
 * <#C…|name>, <@U…>, quoted tenant names. Pure.
 */
import { EXPLAIN_TOPICS, type ExplainTopic } from "../core/explain.js";
import { type IdpId, parseIdp } from "../core/idp/catalog.js";
import { loginIdProblem } from "../core/login-id.js";
import { closestVerb, verbNamed } from "../core/verbs.js";
import { cleanTenant, parseWholeTenantVerb } from "./parse-ops.js";

export type ScimCommand =
  | { kind: "help"; verb?: string }
  | { kind: "check"; loginId: string; tenant?: string }
  | { kind: "explain"; topic?: ExplainTopic; idp?: IdpId }
  | { kind: "link"; tenant: string }
  | { kind: "activity"; tenant?: string; days: number }
  | { kind: "expect"; words: string[] }
  | { kind: "forget"; loginId: string; tenant?: string }
  | { kind: "pending"; tenant?: string }
  | { kind: "alerts"; channelId: string }
  | { kind: "onboarding"; channelId: string }
  | { kind: "unlink" }
  | { kind: "connect"; tenant: string; idp: "azure" | "okta"; app?: string; entraTenant?: string }
  | { kind: "connections" }
  | { kind: "autoexpect"; tenant: string; on: boolean }
  | { kind: "disconnect"; tenant: string }
  | { kind: "webhook"; tenant: string }
  | { kind: "reconcile"; tenant?: string; syncAll: boolean }
  | { kind: "write"; tenant: string; on: boolean }
  | { kind: "leaver"; email: string; tenant?: string; lastDay?: string }
  | {
      kind: "usage";
      message: string;
      /** The verb whose usage to show ("general": none, the whole help). */
      topic: string;
    };

const MAX_TEXT = 500;
/** A batch of emails is longer; Slack itself caps command text around 4000. */
const MAX_EXPECT_TEXT = 4000;

/** Undoes Slack's escaping of the command text. */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<mailto:[^|>]+\|([^>]+)>/g, "$1")
    .replace(/<mailto:([^>|]+)>/g, "$1")
    .replace(/<#(C[A-Z0-9]+)(?:\|[^>]*)?>/g, "$1")
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, "$1")
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, "$2")
    .replace(/<(https?:\/\/[^>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\u00a0/g, " ");
}

/** Splits on whitespace, keeping "quoted strings" together. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

/** `<@U123|jane>` as Slack sends a mention. */
const MENTION = /^<@[UW][A-Z0-9]+(?:\|[^>]*)?>$/;
const MENTION_HINT =
  "That is a Slack mention, not a login ID: scimwatch checks Descope login IDs, usually the person's email, e.g. `/scim check jane@acme.com`.";

export function parseScimCommand(raw: string): ScimCommand {
  const max = /^\s*expect\b/i.test(raw) ? MAX_EXPECT_TEXT : MAX_TEXT;
  if (raw.length > max) {
    return {
      kind: "usage",
      topic: "general",
      message: `That is too long (${raw.length} characters; at most ${max}).`,
    };
  }
  const [verb, ...rest] = tokenize(decodeSlackText(raw));
  const rawFirstArg = tokenize(raw)[1] ?? "";
  switch ((verb ?? "").toLowerCase()) {
    case "":
    case "help":
    case "?": {
      if (!rest[0]) return { kind: "help" };
      const v = verbNamed(rest[0]) ?? closestVerb(rest[0]);
      return v
        ? { kind: "help", verb: v.verb }
        : { kind: "usage", topic: "general", message: `There is no verb "${rest[0]}".` };
    }
    case "check": {
      const [loginId, ...tenantWords] = rest;
      if (!loginId)
        return {
          kind: "usage",
          topic: "check",
          message: "Which user? Give a login ID (usually an email).",
        };
      if (MENTION.test(rawFirstArg))
        return { kind: "usage", topic: "check", message: MENTION_HINT };
      const problem = loginIdProblem(loginId);
      if (problem) {
        return {
          kind: "usage",
          topic: "check",
          message: `That is not a login ID: ${problem}.`,
        };
      }
      const tenant = cleanTenant(tenantWords);
      if (tenant && tenant.length > 200)
        return { kind: "usage", topic: "check", message: "That tenant name is too long." };
      return tenant ? { kind: "check", loginId, tenant } : { kind: "check", loginId };
    }
    case "explain": {
      let topic: ExplainTopic | undefined;
      let idp: IdpId | undefined;
      for (const w of rest) {
        const lw = w.toLowerCase();
        const t = EXPLAIN_TOPICS.find((x) => x === lw || (lw.length >= 3 && x.startsWith(lw)));
        const i = parseIdp(lw);
        if (t && !topic) topic = t;
        else if (i && !idp) idp = i;
        else {
          return {
            kind: "usage",
            topic: "explain",
            message: `I don't know "${w}". Topics: ${EXPLAIN_TOPICS.join(", ")}; IdPs: azure (Entra ID), okta, google, onelogin, jumpcloud, pingone.`,
          };
        }
      }
      return { kind: "explain", ...(topic ? { topic } : {}), ...(idp ? { idp } : {}) };
    }
    case "link": {
      const tenant = cleanTenant(rest);
      if (!tenant)
        return { kind: "usage", topic: "link", message: "Which tenant? Give its ID or name." };
      if (tenant.length > 200)
        return { kind: "usage", topic: "link", message: "That tenant name is too long." };
      return { kind: "link", tenant };
    }
    case "unlink":
      return { kind: "unlink" };
    case "connections":
      return { kind: "connections" };
    case "autoexpect": {
      const last = rest.at(-1)?.toLowerCase();
      const tenant = cleanTenant(rest.slice(0, -1));
      if (!tenant || (last !== "on" && last !== "off"))
        return { kind: "usage", topic: "connect", message: "`/scim autoexpect <tenant> on|off`" };
      return { kind: "autoexpect", tenant, on: last === "on" };
    }
    case "webhook": {
      const tenant = cleanTenant(rest);
      if (!tenant || tenant.length > 200)
        return {
          kind: "usage",
          topic: "expect",
          message:
            "Which tenant? `/scim webhook <tenant>` issues the secret its HR system signs with.",
        };
      return { kind: "webhook", tenant };
    }
    case "disconnect": {
      const tenant = cleanTenant(rest);
      if (!tenant)
        return {
          kind: "usage",
          topic: "connect",
          message: "Which tenant? `/scim disconnect <tenant>`",
        };
      return { kind: "disconnect", tenant };
    }
    case "connect": {
      const usage = "`/scim connect <tenant> entra [app=<name or appId>] [entra-tenant=<id>]`";
      let app: string | undefined;
      let entraTenant: string | undefined;
      let idp: string | undefined;
      const words: string[] = [];
      for (const w of rest) {
        const kv = /^(app|entra-tenant)=(.+)$/i.exec(w);
        if (kv?.[1]?.toLowerCase() === "app") app = kv[2];
        else if (kv) entraTenant = kv[2];
        else words.push(w);
      }
      const last = words.at(-1)?.toLowerCase();
      if (last && ["entra", "azure", "okta"].includes(last)) {
        idp = last;
        words.pop();
      }
      const tenant = cleanTenant(words);
      if (!tenant || !idp)
        return { kind: "usage", topic: "connect", message: `Which tenant and IdP? ${usage}` };
      if (idp === "okta") return { kind: "connect", tenant, idp: "okta" };
      if (entraTenant && !/^[\w.-]{3,100}$/.test(entraTenant))
        return {
          kind: "usage",
          topic: "connect",
          message: `That Entra tenant ID does not look right. ${usage}`,
        };
      return {
        kind: "connect",
        tenant,
        idp: "azure",
        ...(app ? { app } : {}),
        ...(entraTenant ? { entraTenant } : {}),
      };
    }
    case "expect":
      return { kind: "expect", words: rest };
    case "forget": {
      const [loginId, ...tenantWords] = rest;
      if (MENTION.test(rawFirstArg))
        return { kind: "usage", topic: "expect", message: MENTION_HINT };
      const problem = loginId ? loginIdProblem(loginId) : "it is empty";
      if (!loginId || problem) {
        return {
          kind: "usage",
          topic: "expect",
          message: `${loginId ? `That is not a login ID: ${problem}. ` : ""}Whom should I forget? \`/scim forget <email> [tenant]\``,
        };
      }
      const tenant = cleanTenant(tenantWords);
      return tenant ? { kind: "forget", loginId, tenant } : { kind: "forget", loginId };
    }
    case "pending": {
      const tenant = cleanTenant(rest);
      return tenant ? { kind: "pending", tenant } : { kind: "pending" };
    }
    case "reconcile":
    case "write":
    case "leaver":
      return parseWholeTenantVerb(verb as "reconcile" | "write" | "leaver", rest);
    case "alerts":
      return channelArg(
        "alerts",
        rest,
        "Which channel should hear this tenant's alerts? `/scim alerts #it-alerts`",
      );
    case "onboarding":
      return channelArg(
        "onboarding",
        rest,
        "Which channel should get this tenant's checklists for hires from HR or a file? `/scim onboarding #it-onboarding`",
      );
    case "activity": {
      let days = 7;
      const words = [...rest];
      const last = words.at(-1);
      const m = last ? /^(\d{1,3})d$/i.exec(last) : null;
      if (m) {
        days = Number(m[1]);
        words.pop();
        if (days < 1 || days > 30) {
          return {
            kind: "usage",
            topic: "activity",
            message: "The period is 1d to 30d (Descope keeps 30 days of audit events).",
          };
        }
      }
      const tenant = cleanTenant(words);
      if (tenant && tenant.length > 200)
        return { kind: "usage", topic: "activity", message: "That tenant name is too long." };
      return tenant ? { kind: "activity", tenant, days } : { kind: "activity", days };
    }
    default: {
      const near = closestVerb(verb ?? "");
      return {
        kind: "usage",
        topic: near?.verb ?? "general",
        message: `I don't know "${verb}".${near ? ` Did you mean \`/scim ${near.verb}\`?` : ""}`,
      };
    }
  }
}

/** `/scim alerts #channel` and `/scim onboarding #channel`: one channel mention, else usage. */
function channelArg(kind: "alerts" | "onboarding", rest: string[], message: string): ScimCommand {
  const ch = rest[0];
  if (!ch || rest.length > 1 || !/^[CG][A-Z0-9]{2,}$/.test(ch))
    return { kind: "usage", topic: "alerts", message };
  return { kind, channelId: ch };
}
