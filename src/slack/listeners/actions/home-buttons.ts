/** The App Home's buttons: re-check or forget one hire, then redraw the Home. */

import type { App } from "@slack/bolt";
import { hireAllowed } from "../../../core/access.js";
import { tenantChoices } from "../../../descope/tenants.js";
import { evaluateAll } from "../../../features/hires/evaluate-all.js";
import { homeAccess } from "../../../features/hires/visible.js";
import { helpMessage, resultModal } from "../../../render/blocks.js";
import { checkModal, expectModal } from "../../../render/forms.js";
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

  // The tools row: a check and the expect form (admins), the help (everyone), in modals.
  app.action(
    HOME_ACTIONS.check,
    onAction(
      deps,
      "home_check",
      "App Home",
      async ({ body, client }, req) => {
        if (!deps.guard.isAdmin(req.who.userId)) return "denied";
        await client.views.open({ trigger_id: triggerOf(body), view: checkModal() });
        return "form_opened";
      },
      { quiet: true },
    ),
  );
  app.action(
    HOME_ACTIONS.expect,
    onAction(
      deps,
      "home_expect",
      "App Home",
      async ({ body, client }, req) => {
        if (!deps.guard.isAdmin(req.who.userId)) return "denied";
        // No channel here: the checklist goes to the tenant's onboarding route.
        const tenants = await tenantChoices(deps.descope);
        await client.views.open({
          trigger_id: triggerOf(body),
          view: expectModal({ channelId: "", tenants }),
        });
        return "form_opened";
      },
      { quiet: true },
    ),
  );
  app.action(
    HOME_ACTIONS.help,
    onAction(
      deps,
      "home_help",
      "App Home",
      async ({ body, client }, req) => {
        const help = helpMessage(undefined, { admin: deps.guard.isAdmin(req.who.userId) });
        await client.views.open({
          trigger_id: triggerOf(body),
          view: resultModal("scim_help_modal", "scimwatch help", help),
        });
        return "shown";
      },
      { quiet: true },
    ),
  );
}

function triggerOf(body: unknown): string {
  return String((body as { trigger_id?: string }).trigger_id ?? "");
}
