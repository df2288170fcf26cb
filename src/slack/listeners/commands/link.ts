import { unlinkPrompt } from "../../../render/blocks.js";
import { LINK_ADMINS_ONLY, linkedMessage, NOT_LINKED } from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { adminOnTenant, targetOf } from "./guards.js";

export const link: CommandListener<Extract<ScimCommand, { kind: "link" }>> = {
  what: "Linking",
  guards: adminOnTenant(LINK_ADMINS_ONLY),
  async run(deps, _cmd, req) {
    const found = targetOf(req);
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
  guards: { adminsOnly: LINK_ADMINS_ONLY },
  async run(deps, _cmd, req) {
    const current = await deps.links.get(req.who.channelId);
    await req.reply(current ? unlinkPrompt(current.tenantName, req.who.channelId) : NOT_LINKED);
    return current ? "asked" : "not_linked";
  },
};
