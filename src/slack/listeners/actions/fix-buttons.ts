/**
 * Fix-it buttons: "Push now" on an answer asks for an action (anyone who may
 * see that tenant from here); Approve and Decline on the request (approvers
 * only, never the requester; the first click wins). Every refusal is said to
 * the person who clicked, and nothing is called.
 */
import type { App } from "@slack/bolt";
import { decideAction, requestAction } from "../../../features/actions/run.js";
import { notice } from "../../../render/blocks.js";
import { decodeFixRequest, FIX_ACTIONS } from "../../../render/ids.js";
import { esc } from "../../../render/mrkdwn.js";
import { clickedValue, onAction } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

const say = (text: string) => notice(esc(text), text);

export function registerFixButtons(app: App, deps: ListenerDeps): void {
  app.action(
    FIX_ACTIONS.request,
    onAction(deps, "fix_request", "The request", async (_args, req) => {
      const v = decodeFixRequest(clickedValue(_args.body));
      if (!v) return "bad_value";
      if (!deps.action) {
        await req.reply(say("Fix-it actions are not available in this process."));
        return "unavailable";
      }
      const external = await deps.guard.externalRefusal(req.who, "act");
      if (external) {
        await req.reply(external);
        return "external_refused";
      }
      if (!(await deps.guard.mayActOnTenant(req.who, v.tenantId))) {
        await req.reply(say("You cannot ask for actions on this tenant from here."));
        return "refused";
      }
      const tenant = (await deps.descope.listTenants()).find((t) => t.id === v.tenantId);
      const r = await requestAction(deps.action, {
        ...v,
        tenantName: tenant?.name ?? v.tenantId,
        requestedBy: req.who.userId,
        channel: req.who.channelId,
      });
      await req.reply(
        say(
          r.ok
            ? r.action.ts
              ? "Asked: an approver decides on the request in this channel; its thread will hold the record."
              : "Asked, but the request could not be posted in this channel (invite the bot); nothing will be called without an approval."
            : `Not asked: ${r.why}`,
        ),
      );
      return r.ok ? "requested" : "refused";
    }),
  );
  for (const [id, decision] of [
    [FIX_ACTIONS.approve, "approve"],
    [FIX_ACTIONS.decline, "decline"],
  ] as const)
    app.action(
      id,
      onAction(deps, `fix_${decision}`, "The decision", async (args, req) => {
        if (!deps.action) return "unavailable";
        const r = await decideAction(
          deps.action,
          clickedValue(args.body),
          req.who.userId,
          decision,
        );
        if (!r.ok) {
          await req.reply(say(r.why));
          return "refused";
        }
        if (r.secret) {
          // Shown once, to the approver only (this answer is ephemeral); never stored or logged.
          await req.reply(
            notice(
              `:key: *The new SCIM key's token* (shown once, only to you): \`${esc(r.secret)}\`\nPaste it into the IdP's provisioning credentials, test the connection, save. Once the IdP works with it, ask *Revoke the old keys* from the record in the request's thread.`,
              "The new SCIM key's token is shown once, only to you.",
            ),
          );
          return r.action.state;
        }
        await req.reply(
          say(
            r.action.state === "declined"
              ? "Declined: nothing was called."
              : `Approved: ${r.action.state === "done" ? "done" : r.action.state}; the record is in the request's thread.`,
          ),
        );
        return r.action.state;
      }),
    );
}
