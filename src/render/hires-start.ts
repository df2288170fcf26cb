/** Where "starts soon and still cannot sign in" is drawn. Pure. */
import type { Hire } from "../core/hires/model.js";
import { IDPS } from "../core/idp/catalog.js";
import { button, header, type SlackMessage, section } from "./blocks.js";
import { HIRE_ACTIONS } from "./ids.js";
import { esc, iso, slackDate } from "./mrkdwn.js";

export function startSoonMessage(h: Hire, hireId: string, now: number): SlackMessage {
  const idp = IDPS[h.idp];
  const who = `${h.loginId}${h.displayName ? ` (${h.displayName})` : ""}`;
  const start = h.startDate as number;
  const what = h.items.provisioned.at
    ? `is in Descope but has *no role* yet: they can sign in to nothing useful. Add them to a group that is mapped to a role (the tenant's SSO settings › group mapping), or map their group.`
    : `is *still not in Descope*: ${esc(idp.name)} has not pushed them. Assign them to the Descope ${esc(idp.appTerm)} through a group (${esc(idp.assignGroup)}), then push now: ${esc(idp.pushNow)}.`;
  return {
    text: esc(`${who} starts ${iso(start)} and cannot sign in yet (${h.tenantName}).`),
    blocks: [
      header(`Starts ${start > now ? "soon" : "today"}: ${who}`),
      section(
        `*${esc(who)}* (tenant *${esc(h.tenantName)}*) starts ${slackDate(iso(start))} and ${what}`,
      ),
      {
        type: "actions",
        block_id: "hire_start",
        elements: [button("Re-check", HIRE_ACTIONS.recheck, hireId, "primary")],
      },
    ],
  };
}
