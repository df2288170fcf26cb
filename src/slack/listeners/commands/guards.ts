/**
 * The guards a verb declares (admins only, access, its tenant, a linked
 * channel), run before its work as middleware of the /scim dispatch: one
 * place, not a hand check per listener. Returns the refusal's outcome for
 * the log, or null to go on.
 */
import type { SlackMessage } from "../../../render/blocks.js";
import type { CommandGuards, CommandRequest, ListenerDeps } from "../types.js";

/** Admins only, on the tenant the command names (resolved, or "unknown tenant"). */
export function adminOnTenant<C extends { tenant: string }>(
  adminsOnly: SlackMessage,
): CommandGuards<C> {
  return { adminsOnly, tenant: { of: (cmd) => cmd.tenant, usage: "" } };
}

/** The tenant the guards resolved for this request. */
export function targetOf(req: CommandRequest): { tenantId: string; tenantName: string } {
  if (!req.target) throw new Error("the command's guards resolved no tenant");
  return req.target;
}

export async function runGuards<C>(
  deps: ListenerDeps,
  guards: CommandGuards<C> | undefined,
  cmd: C,
  req: CommandRequest,
): Promise<string | null> {
  if (!guards) return null;
  if (guards.access) req.access = await deps.guard.require(req.who);
  if (guards.adminsOnly && !deps.guard.isAdmin(req.who.userId)) {
    await req.reply(guards.adminsOnly);
    return "refused";
  }
  if (guards.tenant) {
    req.access ??= await deps.guard.require(req.who);
    const usage = guards.tenant.usage;
    const t = await deps.guard.tenantFor(req.access, guards.tenant.of(cmd), usage ?? "");
    if (t && "refusal" in t) {
      await req.reply(t.refusal);
      return "refused";
    }
    if (!t && usage !== undefined) return "refused";
    req.target = t;
  }
  if (guards.linked) {
    const link = await deps.links.get(req.who.channelId);
    if (!link) {
      await req.reply(guards.linked);
      return "not_linked";
    }
    req.link = link;
  }
  return null;
}
