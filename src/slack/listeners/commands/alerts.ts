/**
 * `/scim alerts #channel` and `/scim onboarding #channel` in a linked channel:
 * where that tenant's alerts, or its checklists for hires from HR or a file,
 * go (admins only: routing decides who sees them and who may act on them,
 * never anyone who merely sits in a linked channel).
 */
import type { SlackMessage } from "../../../render/blocks.js";
import {
  ALERTS_ADMINS_ONLY,
  ALERTS_NEED_LINK,
  alertsSetMessage,
  ONBOARDING_ADMINS_ONLY,
  onboardingSetMessage,
} from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

type ChannelVerb = Extract<ScimCommand, { kind: "alerts" | "onboarding" }>;

/** A channel setting of the linked tenant, set by an admin. */
function channelSetting<C extends ChannelVerb>(
  what: string,
  field: "alertChannel" | "onboardingChannel",
  adminsOnly: SlackMessage,
  done: (tenantName: string, channelId: string) => SlackMessage,
): CommandListener<C> {
  return {
    what,
    guards: { access: true, adminsOnly, linked: ALERTS_NEED_LINK },
    async run(deps, cmd, req) {
      const current = req.link as NonNullable<typeof req.link>;
      await deps.links.set(req.who.channelId, { ...current, [field]: cmd.channelId });
      await req.reply(done(current.tenantName, cmd.channelId), { inChannel: true });
      return "set";
    },
  };
}

export const alerts = channelSetting<Extract<ScimCommand, { kind: "alerts" }>>(
  "Setting the alert channel",
  "alertChannel",
  ALERTS_ADMINS_ONLY,
  alertsSetMessage,
);

export const onboarding = channelSetting<Extract<ScimCommand, { kind: "onboarding" }>>(
  "Setting the onboarding channel",
  "onboardingChannel",
  ONBOARDING_ADMINS_ONLY,
  onboardingSetMessage,
);
