/** `/scim pending [tenant]`: the expected hires this person may see from here. */
import { visibleHires } from "../../../features/hires/visible.js";
import { visibleLeavers } from "../../../features/leavers/visible.js";
import { pendingMessage } from "../../../render/hires.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const pending: CommandListener<Extract<ScimCommand, { kind: "pending" }>> = {
  what: "Listing pending hires",
  guards: { tenant: { of: (cmd) => cmd.tenant } },
  async run(deps, _cmd, req) {
    const target = req.target;
    const views = await visibleHires(
      { ...deps, graceMinutes: deps.settings.graceMinutes },
      req.access as NonNullable<typeof req.access>,
      req.who,
      target?.tenantId,
    );
    const leavers = deps.leaver
      ? await visibleLeavers(
          deps.leaver.leavers,
          req.access as NonNullable<typeof req.access>,
          req.who,
          target?.tenantId,
        )
      : [];
    await req.reply(
      pendingMessage(
        views.map((v) => v.view),
        target ? ` in ${target.tenantName}` : "",
        leavers,
      ),
    );
    return `listed_${views.length}_${leavers.length}`;
  },
};
