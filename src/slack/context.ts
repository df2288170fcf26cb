/** What every Slack handler needs: who may see what in this channel, and safe answers. */
import type { RespondFn } from "@slack/bolt";
import { type Access, decideAccess, namesLinkedTenant } from "../access/policy.js";
import { matchTenant, UnknownTenantError } from "../check/gather.js";
import type { DescopeClient } from "../descope/client.js";
import type { Logger } from "../log/logger.js";
import { type SlackMessage, usageMessage } from "../render/blocks.js";
import type { LinkStore } from "../store/links.js";
import { scopedRefusal } from "./replies.js";

export interface SlackContext {
  accessFor(userId: string, channelId: string): Promise<Access>;
  /**
   * The tenant a command works on: the linked one in a linked channel (naming
   * another is refused without looking it up), otherwise the one typed.
   */
  tenantFor(
    access: Access,
    typed: string | undefined,
    usage: string,
  ): Promise<{ tenantId: string; tenantName: string } | { refusal: SlackMessage } | null>;
  safeRespond(respond: RespondFn, msg: Parameters<RespondFn>[0]): Promise<void>;
}

export function slackContext(deps: {
  links: LinkStore;
  descope: DescopeClient;
  log: Logger;
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
}): SlackContext {
  return {
    async accessFor(userId, channelId) {
      const link = await deps.links.get(channelId);
      return decideAccess(
        { supportChannels: deps.supportChannels, adminUsers: deps.adminUsers },
        { userId, channelId },
        link ? { tenantId: link.tenantId, tenantName: link.tenantName } : null,
      );
    },
    async tenantFor(access, typed, usage) {
      if (access.kind === "denied") return null;
      if (access.kind === "tenant") {
        if (typed && !namesLinkedTenant(access, typed))
          return { refusal: scopedRefusal(access.tenantName) };
        return { tenantId: access.tenantId, tenantName: access.tenantName };
      }
      if (!typed) return usage ? { refusal: usageMessage(usage) } : null;
      const t = matchTenant(await deps.descope.listTenants(), typed);
      if (!t) throw new UnknownTenantError(typed);
      return { tenantId: t.id, tenantName: t.name ?? t.id };
    },
    async safeRespond(respond, msg) {
      try {
        await respond(msg);
      } catch (e) {
        deps.log.warn({ err: e }, "respond failed");
      }
    },
  };
}
