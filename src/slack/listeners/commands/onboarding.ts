/** `/scim onboarding #channel` in a linked channel: where that tenant's checklists go for hires from HR or a file (admins only). */
import {
  ALERTS_NEED_LINK,
  ONBOARDING_ADMINS_ONLY,
  onboardingSetMessage,
} from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const onboarding: CommandListener<Extract<ScimCommand, { kind: "onboarding" }>> = {
  what: "Setting the onboarding channel",
  async run(deps, cmd, req) {
    await deps.guard.require(req.who);
    if (!deps.guard.isAdmin(req.who.userId)) {
      await req.reply(ONBOARDING_ADMINS_ONLY);
      return "refused";
    }
    const current = await deps.links.get(req.who.channelId);
    if (!current) {
      await req.reply(ALERTS_NEED_LINK);
      return "not_linked";
    }
    await deps.links.set(req.who.channelId, { ...current, onboardingChannel: cmd.channelId });
    await req.reply(onboardingSetMessage(current.tenantName, cmd.channelId), { inChannel: true });
    return "set";
  },
};
