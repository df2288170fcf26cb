/** The App Home's buttons: re-check or forget one hire, then redraw the Home. */

import type { App } from "@slack/bolt";
import { hireAllowed } from "../../../core/access.js";
import { evaluateAll } from "../../../features/hires/evaluate-all.js";
import { homeAccess } from "../../../features/hires/visible.js";
import { HOME_ACTIONS } from "../../../render/ids.js";
import { clickedValue, onAction } from "../../middleware.js";
import { publishHome } from "../events/app-home.js";
import type { ListenerDeps } from "../types.js";

export function registerHomeButtons(app: App, deps: ListenerDeps): void {
  for (const [actionId, verb] of [
    [HOME_ACTIONS.recheck, "recheck"],
    [HOME_ACTIONS.forget, "forget"],
  ] as const) {
    app.action(
      actionId,
      onAction(
        deps,
        `home_${verb}`,
        "App Home",
        async ({ body }, req) => {
          const id = clickedValue(body);
          const h = await deps.hires.get(id);
          const access = homeAccess(deps.settings.adminUsers, req.who.userId);
          if (!h || !hireAllowed(access, h, { userId: req.who.userId, channelId: "" }))
            return "denied";
          if (verb === "forget") await deps.hires.forget(id);
          else await evaluateAll(deps, [id]);
          await publishHome(deps, req.who.userId);
          return verb === "forget" ? "forgotten" : "rechecked";
        },
        { quiet: true },
      ),
    );
  }
}
