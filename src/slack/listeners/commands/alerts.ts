/** `/scim alerts #channel` in a linked channel: where that tenant's alerts go (admins only). */
import { ALERTS_ADMINS_ONLY, ALERTS_NEED_LINK, alertsSetMessage } from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const alerts: CommandListener<Extract<ScimCommand, { kind: "alerts" }>> = {
  what: "Setting the alert channel",
  // Routing a tenant's alerts decides who sees them and who may act on
  // them: admins only, never anyone who merely sits in a linked channel.
  guards: { access: true, adminsOnly: ALERTS_ADMINS_ONLY, linked: ALERTS_NEED_LINK },
  async run(deps, cmd, req) {
    const current = req.link as NonNullable<typeof req.link>;
    await deps.links.set(req.who.channelId, { ...current, alertChannel: cmd.channelId });
    await req.reply(alertsSetMessage(current.tenantName, cmd.channelId), { inChannel: true });
    return "set";
  },
};
