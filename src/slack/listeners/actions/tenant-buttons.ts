/** The buttons on a tenant's provisioning alert: snooze (1 hour, 1 day) and dismiss (confirmed by Slack first). */
import type { App } from "@slack/bolt";
import { decodeTenantAlert, TENANT_ACTIONS } from "../../../render/ids.js";
import { NO_ACCESS } from "../../../render/notices.js";
import { tenantAlertClosed } from "../../../render/tenant-health.js";
import { clickedValue, onAction } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

export function registerTenantButtons(app: App, deps: ListenerDeps): void {
  const HOUR = 3_600_000;
  for (const [actionId, kind] of [
    [TENANT_ACTIONS.snoozeHour, "snooze_1h"],
    [TENANT_ACTIONS.snoozeDay, "snooze_1d"],
    [TENANT_ACTIONS.dismiss, "dismiss"],
  ] as const) {
    app.action(
      actionId,
      onAction(deps, `tenant_${kind}`, "Changing the alert", async ({ body }, req) => {
        const external = await deps.guard.externalRefusal(req.who, "act");
        if (external) {
          await req.reply(external);
          return "external_refused";
        }
        const v = decodeTenantAlert(clickedValue(body));
        if (!v) return "bad_value";
        if (!(await deps.guard.mayActOnTenant(req.who, v.tenantId))) {
          await req.reply(NO_ACCESS);
          return "denied";
        }
        const until = deps.now() + (kind === "snooze_1d" ? 24 * HOUR : HOUR);
        const r = await deps.tenantHealth.update(v.tenantId, (x) =>
          kind === "dismiss"
            ? { ...x, dismissedBy: req.who.userId }
            : { ...x, snoozedUntil: until },
        );
        const tenantName =
          (await deps.descope.listTenants().catch(() => [])).find((t) => t.id === v.tenantId)
            ?.name ?? v.tenantId;
        await req.reply(
          tenantAlertClosed(
            { tenantName, state: r?.alert?.state ?? r?.state ?? "provisioning" },
            kind === "dismiss" ? { dismissedBy: req.who.userId } : { snoozedUntil: until },
          ),
          { replace: true },
        );
        return kind;
      }),
    );
  }
}
