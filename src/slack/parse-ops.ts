/**
 * The parse rules of the verbs about whole tenants and changes: `reconcile`,
 * `leaver` and `write` (the rest are in parse.ts). Pure.
 */
import type { ScimCommand } from "./parse.js";

/** The words left, as a tenant name (or undefined). */
export function cleanTenant(words: string[]): string | undefined {
  const t = words.join(" ").trim();
  return t.length ? t : undefined;
}

export function parseWholeTenantVerb(
  verb: "reconcile" | "write" | "leaver",
  rest: string[],
): ScimCommand {
  switch (verb) {
    case "reconcile": {
      const syncAll = rest.some((w) => /^scope=all$/i.test(w));
      const tenant = cleanTenant(rest.filter((w) => !/^scope=/i.test(w)));
      if (rest.some((w) => /^scope=(?!all$)/i.test(w)))
        return {
          kind: "usage",
          topic: "reconcile",
          message:
            '`scope=all` is the only scope: use it when the app provisions every user (Entra\'s "Sync all users and groups").',
        };
      return tenant ? { kind: "reconcile", tenant, syncAll } : { kind: "reconcile", syncAll };
    }
    case "write": {
      const last = rest.at(-1)?.toLowerCase();
      const tenant = cleanTenant(rest.slice(0, -1));
      if (!tenant || (last !== "on" && last !== "off"))
        return {
          kind: "usage",
          topic: "write",
          message:
            "Usage: `/scim write <tenant> on|off` (admins): write access for fix-it actions.",
        };
      return { kind: "write", tenant, on: last === "on" };
    }
    case "leaver": {
      const last = rest.find((w) => /^last=/i.test(w));
      const words = rest.filter((w) => w !== last);
      const email = words[0];
      if (!email)
        return {
          kind: "usage",
          topic: "leaver",
          message: "Who is leaving? `/scim leaver <email> [tenant] [last=<date>]`",
        };
      const tenant = cleanTenant(words.slice(1));
      if (tenant && tenant.length > 200)
        return { kind: "usage", topic: "leaver", message: "That tenant name is too long." };
      return {
        kind: "leaver",
        email,
        ...(tenant ? { tenant } : {}),
        ...(last ? { lastDay: last.slice(5) } : {}),
      };
    }
  }
}
