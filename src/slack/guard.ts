/**
 * Who may see or act on what, from where: the Slack side of the one access
 * rule set (core/access.ts). Every listener asks here.
 */
import {
  type Access,
  decideAccess,
  externalMay,
  hireAllowed,
  namesLinkedTenant,
  tenantAllowed,
} from "../core/access.js";
import { AccessDenied } from "../core/failure.js";
import type { Hire } from "../core/hires/model.js";
import { resolveTenant } from "../descope/tenants.js";
import { alertRoutes } from "../features/notify/outbox.js";
import type { SlackMessage } from "../render/blocks.js";
import { usageMessage } from "../render/blocks.js";
import { externalRefused, scopedRefusal } from "../render/notices.js";
import type { SlackDeps } from "./deps.js";

/** Who asks, from where; `teamId`: the person's own workspace (Slack Connect: maybe another organisation's). */
export type Who = {
  userId: string;
  channelId: string;
  teamId?: string | undefined;
  /** The person's Enterprise Grid organisation, when Slack says (same org: not external). */
  enterpriseId?: string | undefined;
};
type Granted = Exclude<Access, { kind: "denied" }>;

export interface Guard {
  accessFor(who: Who): Promise<Access>;
  /** The access of this person here, or AccessDenied (answered as "not enabled in this channel"). */
  require(who: Who): Promise<Granted>;
  isAdmin(userId: string): boolean;
  /**
   * The tenant a command works on: the linked one in a linked channel (naming
   * another is refused without looking it up), otherwise the one typed.
   */
  tenantFor(
    access: Access,
    typed: string | undefined,
    usage: string,
  ): Promise<{ tenantId: string; tenantName: string } | { refusal: SlackMessage } | null>;
  /**
   * The hire, when this person may act on it from here: access to its tenant
   * (admin, support channel, or a channel linked to it), having registered
   * it, or sitting in the channel chosen for that tenant's alerts.
   */
  hireFor(who: Who, id: string): Promise<Hire | null>;
  /** Whether this person may act on a tenant's alerts from here (the same rule, core/access.ts). */
  mayActOnTenant(who: Who, tenantId: string): Promise<boolean>;
  /**
   * A member of another organisation (Slack Connect) who may not do this under
   * SCIMWATCH_EXTERNAL_MEMBERS: the refusal to give, or null.
   */
  externalRefusal(who: Who, what: "read" | "act"): Promise<SlackMessage | null>;
}

export function guard(
  deps: Pick<SlackDeps, "links" | "descope" | "hires" | "settings" | "homeTeam">,
): Guard {
  const { settings } = deps;
  const policy = settings.externalMembers ?? "read";
  /** From another organisation: a team that is not the bot's own (unknown teams are not). */
  const external = async (who: Who) => {
    if (!who.teamId || !deps.homeTeam || policy === "full") return false;
    const home = await deps.homeTeam();
    if (home === null || who.teamId === home.teamId) return false;
    // Another workspace of the same Enterprise Grid organisation is not another organisation.
    return !(home.enterpriseId && who.enterpriseId === home.enterpriseId);
  };
  const g: Guard = {
    async externalRefusal(who, what) {
      // scimwatch's admins are named by user ID: whatever their workspace, they are not refused.
      if (externalMay(policy, what) || settings.adminUsers.has(who.userId)) return null;
      if (!(await external(who))) return null;
      return externalRefused(what);
    },
    async accessFor(who) {
      const link = await deps.links.get(who.channelId);
      return decideAccess(
        { supportChannels: settings.supportChannels, adminUsers: settings.adminUsers },
        who,
        link ? { tenantId: link.tenantId, tenantName: link.tenantName } : null,
      );
    },
    async require(who) {
      const access = await g.accessFor(who);
      if (access.kind === "denied") throw new AccessDenied();
      return access;
    },
    isAdmin: (userId) => settings.adminUsers.has(userId),
    async tenantFor(access, typed, usage) {
      if (access.kind === "denied") return null;
      if (access.kind === "tenant") {
        if (typed && !namesLinkedTenant(access, typed))
          return { refusal: scopedRefusal(access.tenantName) };
        return { tenantId: access.tenantId, tenantName: access.tenantName };
      }
      if (!typed) return usage ? { refusal: usageMessage(usage) } : null;
      const t = await resolveTenant(deps.descope, typed);
      return t;
    },
    async hireFor(who, id) {
      const hire = await deps.hires.get(id);
      if (!hire) return null;
      const access = await g.accessFor(who);
      const alertChannel = (await alertRoutes(deps.links, settings.alertChannel))(hire.tenantId);
      return hireAllowed(access, hire, who, alertChannel) ? hire : null;
    },
    async mayActOnTenant(who, tenantId) {
      const access = await g.accessFor(who);
      const alertChannel = (await alertRoutes(deps.links, settings.alertChannel))(tenantId);
      return tenantAllowed(access, tenantId, who, alertChannel);
    },
  };
  return g;
}
