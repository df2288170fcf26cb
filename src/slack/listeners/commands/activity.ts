/** `/scim activity [tenant] [7d]`: a tenant's SCIM activity from the audit index. */
import { tenantActivity } from "../../../features/activity.js";
import { activityMessage } from "../../../render/activity.js";
import { WORKING } from "../../../render/notices.js";
import { keyExpiryLine } from "../../../render/scim-keys.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { targetOf } from "./guards.js";

export const activity: CommandListener<Extract<ScimCommand, { kind: "activity" }>> = {
  ack: () => WORKING.activity,
  what: "Reading the activity",
  guards: {
    tenant: {
      of: (cmd) => cmd.tenant,
      usage:
        "Which tenant? `/scim activity <tenant> [7d]` (in a linked channel the tenant is implied).",
    },
  },
  async run(deps, cmd, req) {
    const target = targetOf(req);
    const [a, keys] = await Promise.all([
      tenantActivity(deps, target.tenantId, cmd.days),
      deps.scimKeys?.get(target.tenantId).catch(() => null) ?? Promise.resolve(null),
    ]);
    await req.reply(
      activityMessage(a.summary, {
        tenantName: target.tenantName,
        idp: a.idp,
        asOf: a.asOf,
        oneByOne: a.oneByOne,
        keyLine: keys
          ? keyExpiryLine(keys, deps.now())
          : "SCIM keys not read yet (the key watch runs at start and daily)",
      }),
    );
    return a.summary.status;
  },
};
