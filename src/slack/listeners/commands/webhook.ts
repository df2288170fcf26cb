import { resolveTenant } from "../../../descope/tenants.js";
import {
  webhookAdminsOnly,
  webhookNeedsKey,
  webhookSecretMessage,
} from "../../../render/webhook.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const webhook: CommandListener<Extract<ScimCommand, { kind: "webhook" }>> = {
  what: "Issuing a webhook secret",
  guards: { adminsOnly: webhookAdminsOnly() },
  async run(deps, cmd, req) {
    if (!deps.webhookKeys.enabled) {
      await req.reply(webhookNeedsKey());
      return "no_secrets_key";
    }
    const tenant = await resolveTenant(deps.descope, cmd.tenant);
    const issued = await deps.webhookKeys.issue(tenant, req.who.userId, deps.now());
    await req.reply(webhookSecretMessage(tenant.tenantName, issued));
    deps.log.info(
      { kind: "webhook_key", tenant: tenant.tenantId, kid: issued.kid },
      "webhook secret issued",
    );
    return issued.replaced ? "rotated" : "issued";
  },
};
