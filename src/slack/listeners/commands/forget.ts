/** `/scim forget <login ID> [tenant]`: stop tracking an expected hire this person may see. */
import { visibleHires } from "../../../features/hires/visible.js";
import {
  forgetAmbiguousMessage,
  forgottenMessage,
  noPendingHireMessage,
} from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const forget: CommandListener<Extract<ScimCommand, { kind: "forget" }>> = {
  what: "Forgetting",
  guards: { tenant: { of: (cmd) => cmd.tenant } },
  async run(deps, cmd, req) {
    const matches = (
      await visibleHires(
        { ...deps, graceMinutes: deps.settings.graceMinutes },
        req.access as NonNullable<typeof req.access>,
        req.who,
        req.target?.tenantId,
      )
    ).filter((v) => v.view.hire.loginId.toLowerCase() === cmd.loginId.toLowerCase());
    const m = matches[0];
    if (matches.length > 1) {
      await req.reply(forgetAmbiguousMessage(cmd.loginId));
      return "ambiguous";
    }
    if (!m) {
      await req.reply(noPendingHireMessage(cmd.loginId));
      return "not_found";
    }
    await deps.hires.forget(m.id);
    await req.reply(forgottenMessage(m.view.hire.loginId, m.view.hire.tenantName));
    return "forgotten";
  },
};
