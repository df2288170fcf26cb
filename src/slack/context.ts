/** What every Slack handler needs: who may see what in this channel, and safe answers. */

import type { RespondFn } from "@slack/bolt";
import { type Access, decideAccess, namesLinkedTenant } from "../core/access.js";
import { failureOf } from "../core/failure.js";
import type { DescopeClient } from "../descope/client.js";
import { resolveTenant } from "../descope/tenants.js";
import { UnknownTenantError } from "../features/check/gather.js";
import type { Logger } from "../log/logger.js";
import type { LinkStore } from "../redis/links.js";
import { type SlackMessage, usageMessage } from "../render/blocks.js";
import { failureMessage, NO_ACCESS, scopedRefusal } from "./replies.js";

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
  /** An ephemeral answer that replaces the "working on it" acknowledgement. */
  answer(respond: RespondFn, msg: SlackMessage): Promise<void>;
  /**
   * Runs one command for someone in a channel: refuses channels without
   * access, turns failures into "what failed, when to retry", and logs one
   * line with the outcome the body returns.
   */
  run(
    kind: string,
    what: string,
    who: { userId: string; channelId: string },
    respond: RespondFn,
    body: (access: Exclude<Access, { kind: "denied" }>) => Promise<string>,
  ): Promise<void>;
}

export function slackContext(deps: {
  links: LinkStore;
  descope: DescopeClient;
  log: Logger;
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
}): SlackContext {
  async function safeRespond(respond: RespondFn, msg: Parameters<RespondFn>[0]): Promise<void> {
    try {
      await respond(msg);
    } catch (e) {
      deps.log.warn({ err: e }, "respond failed");
    }
  }
  const answer = (respond: RespondFn, msg: SlackMessage) =>
    safeRespond(respond, { response_type: "ephemeral", replace_original: true, ...msg });

  const ctx: SlackContext = {
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
      const t = await resolveTenant(deps.descope, typed);
      if (!t) throw new UnknownTenantError(typed);
      return t;
    },
    safeRespond,
    answer,
    async run(kind, what, who, respond, body) {
      const started = Date.now();
      let outcome = "error";
      try {
        const access = await ctx.accessFor(who.userId, who.channelId);
        if (access.kind === "denied") {
          outcome = "denied";
          await answer(respond, NO_ACCESS);
          return;
        }
        outcome = await body(access);
      } catch (e) {
        const f = failureOf(e);
        outcome = f.code;
        if (!f.expected) deps.log.error({ kind, err: e }, `${kind} failed`);
        await answer(respond, failureMessage(e, what));
      } finally {
        deps.log.info({
          kind,
          user: who.userId,
          channel: who.channelId,
          outcome,
          ms: Date.now() - started,
        });
      }
    },
  };
  return ctx;
}

/** Who clicked, and in which channel (messages and ephemeral messages alike). */
export function clickedBy(body: unknown): { userId: string; channelId: string } {
  const b = body as {
    user?: { id?: string };
    channel?: { id?: string };
    container?: { channel_id?: string };
  };
  return { userId: b.user?.id ?? "", channelId: b.channel?.id ?? b.container?.channel_id ?? "" };
}

/** The value of the clicked button, or of the option picked in a menu. */
export function clickedValue(body: unknown): string {
  const a = (body as { actions?: Array<{ value?: string; selected_option?: { value?: string } }> })
    .actions?.[0];
  return a?.value ?? a?.selected_option?.value ?? "";
}
