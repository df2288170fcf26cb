import { autoExpectMessage, CONNECT_ADMINS_ONLY } from "../../../render/connections.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { adminOnTenant, targetOf } from "./guards.js";

export const autoexpect: CommandListener<Extract<ScimCommand, { kind: "autoexpect" }>> = {
  what: "Changing auto-expect",
  guards: adminOnTenant(CONNECT_ADMINS_ONLY),
  async run(deps, cmd, req) {
    const tenant = targetOf(req);
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
