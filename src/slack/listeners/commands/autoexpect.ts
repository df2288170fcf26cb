/** `/scim autoexpect <tenant> on|off` (admins): new members of the SCIM app's assigned groups become expected hires. */
import { UnknownTenantError } from "../../../core/failure.js";
import { resolveTenant } from "../../../descope/tenants.js";
import { autoExpectMessage, CONNECT_ADMINS_ONLY } from "../../../render/connections.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const autoexpect: CommandListener<Extract<ScimCommand, { kind: "autoexpect" }>> = {
  what: "Changing auto-expect",
  async run(deps, cmd, req) {
    if (!deps.guard.isAdmin(req.who.userId)) {
      await req.reply(CONNECT_ADMINS_ONLY);
      return "refused";
    }
    const tenant = await resolveTenant(deps.descope, cmd.tenant);
    if (!tenant) throw new UnknownTenantError(cmd.tenant);
    const c = await deps.connections.get(tenant.tenantId);
    if (!c) {
      await req.reply(autoExpectMessage(tenant.tenantName, cmd.on, null));
      return "not_connected";
    }
    await deps.connections.update(c, {
      autoExpect: cmd.on,
      autoExpectReadTo: cmd.on ? deps.now() : null,
    });
    await req.reply(autoExpectMessage(tenant.tenantName, cmd.on, c.idp));
    return cmd.on ? "on" : "off";
  },
};
