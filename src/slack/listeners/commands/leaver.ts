/** `/scim leaver <email> [tenant] [last=<date>]`: watch someone leave; a checklist ticks here as the IdP and Descope let them go. */
import { checkLeaverRows } from "../../../core/leavers/intake.js";
import { registerLeavers } from "../../../features/leavers/register.js";
import { notice } from "../../../render/blocks.js";
import { esc, iso, slackDate } from "../../../render/mrkdwn.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { targetOf } from "./guards.js";

export const leaver: CommandListener<Extract<ScimCommand, { kind: "leaver" }>> = {
  what: "Registering the leaver",
  guards: {
    tenant: {
      of: (cmd) => cmd.tenant,
      usage:
        "Which tenant? `/scim leaver <email> <tenant> [last=<date>]` (in a linked channel the tenant is implied).",
    },
  },
  async run(deps, cmd, req) {
    const target = targetOf(req);
    if (!deps.leaver) {
      await req.reply(
        notice("Leavers are not available in this process.", "Leavers are not available."),
      );
      return "unavailable";
    }
    const now = deps.now();
    const intake = checkLeaverRows([{ email: cmd.email, lastDay: cmd.lastDay }], now);
    const bad = intake.rejected[0];
    if (bad || !intake.leavers[0]) {
      const why = bad ? `${esc(bad.input)}: ${esc(bad.reason)}` : "nothing to register";
      await req.reply(
        notice(
          `Not registered (${why}). Usage: \`/scim leaver <email> [tenant] [last=<date>]\``,
          `Not registered: ${bad?.reason ?? "nothing to register"}`,
        ),
      );
      return "usage";
    }
    const r = await registerLeavers(deps.leaver, {
      ...target,
      leavers: intake.leavers,
      channelId: req.who.channelId,
      registeredBy: req.who.userId,
      source: "slack",
    });
    const l = intake.leavers[0];
    const when = slackDate(iso(l.lastDay));
    await req.reply(
      r.registered.length
        ? notice(
            `Watching \`${esc(l.email)}\` leave *${esc(target.tenantName)}* (last day ${when}): the checklist in this channel ticks as the IdP removes them, Descope deactivates them, and no sign-in follows; an alert if they are still enabled after the IdP's window.`,
            `Watching ${l.email} leave ${target.tenantName}.`,
          )
        : notice(
            `\`${esc(l.email)}\` is already watched as a leaver of *${esc(target.tenantName)}*.`,
            `${l.email} is already watched.`,
          ),
    );
    return r.registered.length ? "registered" : "already";
  },
};
