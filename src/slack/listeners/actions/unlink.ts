/** The confirming Unlink button of `/scim unlink` (admins only, from that channel). */
import type { App } from "@slack/bolt";
import { ACTIONS } from "../../../render/ids.js";
import { UNLINK_ADMINS_ONLY, unlinkedMessage } from "../../../render/notices.js";
import { clickedValue, onAction } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

export function registerUnlinkButton(app: App, deps: ListenerDeps): void {
  app.action(
    ACTIONS.unlink,
    onAction(deps, "unlink", "Unlinking", async ({ body }, req) => {
      if (!deps.guard.isAdmin(req.who.userId) || clickedValue(body) !== req.who.channelId) {
        await req.reply(UNLINK_ADMINS_ONLY);
        return "refused";
      }
      const had = await deps.links.delete(req.who.channelId);
      await req.reply(unlinkedMessage(had, req.who.userId), { inChannel: true });
      return had ? "unlinked" : "not_linked";
    }),
  );
}
