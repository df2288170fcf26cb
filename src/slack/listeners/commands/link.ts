/** `/scim link <tenant>` and `/scim unlink` (admins only; unlinking asks first). */
import { UnknownTenantError } from "../../../core/failure.js";
import { resolveTenant } from "../../../descope/tenants.js";
import { unlinkPrompt } from "../../../render/blocks.js";
import { LINK_ADMINS_ONLY, linkedMessage, NOT_LINKED } from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const link: CommandListener<Extract<ScimCommand, { kind: "link" }>> = {
  what: "Linking",
  async run(deps, cmd, req) {
    if (!deps.guard.isAdmin(req.who.userId)) {
      await req.reply(LINK_ADMINS_ONLY);
      return "refused";
    }
    const found = await resolveTenant(deps.descope, cmd.tenant);
    if (!found) throw new UnknownTenantError(cmd.tenant);
    await deps.links.set(req.who.channelId, {
      tenantId: found.tenantId,
      tenantName: found.tenantName,
      linkedBy: req.who.userId,
      linkedAt: Date.now(),
    });
    await req.reply(linkedMessage(found.tenantName, found.tenantId), { inChannel: true });
    return "linked";
  },
};

export const unlink: CommandListener<Extract<ScimCommand, { kind: "unlink" }>> = {
  what: "Unlinking",
  async run(deps, _cmd, req) {
    if (!deps.guard.isAdmin(req.who.userId)) {
      await req.reply(LINK_ADMINS_ONLY);
      return "refused";
    }
    const current = await deps.links.get(req.who.channelId);
    await req.reply(current ? unlinkPrompt(current.tenantName, req.who.channelId) : NOT_LINKED);
    return current ? "asked" : "not_linked";
  },
};
