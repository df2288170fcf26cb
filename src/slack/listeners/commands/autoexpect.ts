import { autoExpectMessage, CONNECT_ADMINS_ONLY } from "../../../render/connections.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const autoexpect: CommandListener<Extract<ScimCommand, { kind: "autoexpect" }>> = {
  what: "Changing auto-expect",
  guards: { adminsOnly: CONNECT_ADMINS_ONLY, tenant: { of: (cmd) => cmd.tenant, usage: "" } },
  async run(deps, cmd, req) {
    const tenant = req.target as NonNullable<typeof req.target>;
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
