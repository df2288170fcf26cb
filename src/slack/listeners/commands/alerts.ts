/** `/scim alerts #channel` in a linked channel: where that tenant's alerts go (admins only). */
import { ALERTS_ADMINS_ONLY, ALERTS_NEED_LINK, alertsSetMessage } from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const alerts: CommandListener<Extract<ScimCommand, { kind: "alerts" }>> = {
  what: "Setting the alert channel",
  async run(deps, cmd, req) {
    await deps.guard.require(req.who);
    // Routing a tenant's alerts decides who sees them and who may act on
    // them: admins only, never anyone who merely sits in a linked channel.
    if (!deps.guard.isAdmin(req.who.userId)) {
      await req.reply(ALERTS_ADMINS_ONLY);
      return "refused";
    }
    const current = await deps.links.get(req.who.channelId);
    if (!current) {
      await req.reply(ALERTS_NEED_LINK);
      return "not_linked";
    }
    await deps.links.set(req.who.channelId, { ...current, alertChannel: cmd.channelId });
    await req.reply(alertsSetMessage(current.tenantName, cmd.channelId), { inChannel: true });
    return "set";
  },
};
