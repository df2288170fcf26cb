/** `/scim pending [tenant]`: the expected hires this person may see from here. */
import { visibleHires } from "../../../features/hires/visible.js";
import { pendingMessage } from "../../../render/hires.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const pending: CommandListener<Extract<ScimCommand, { kind: "pending" }>> = {
  what: "Listing pending hires",
  async run(deps, cmd, req) {
    const access = await deps.guard.require(req.who);
    const target = await deps.guard.tenantFor(access, cmd.tenant, "");
    if (target && "refusal" in target) {
      await req.reply(target.refusal);
      return "refused";
    }
    const views = await visibleHires(
      { ...deps, graceMinutes: deps.settings.graceMinutes },
      access,
      req.who,
      target?.tenantId,
    );
    await req.reply(
      pendingMessage(
        views.map((v) => v.view),
        target ? ` in ${target.tenantName}` : "",
      ),
    );
    return `listed_${views.length}`;
  },
};
