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
  guards: { access: true, adminsOnly: ONBOARDING_ADMINS_ONLY, linked: ALERTS_NEED_LINK },
  async run(deps, cmd, req) {
    const current = req.link as NonNullable<typeof req.link>;
    await deps.links.set(req.who.channelId, { ...current, onboardingChannel: cmd.channelId });
    await req.reply(onboardingSetMessage(current.tenantName, cmd.channelId), { inChannel: true });
    return "set";
  },
};
