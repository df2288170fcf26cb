/** Where "this hire cannot arrive: here is the proof from the IdP" is drawn. Pure. */
import type { Hire } from "../core/hires/model.js";
import type { IdpSide } from "../core/idp-side/model.js";
import { button, context, header, linksSection, type SlackMessage, section } from "./blocks.js";
import { HIRE_ACTIONS } from "./ids.js";
import { esc, untrusted } from "./mrkdwn.js";

export function hireBlockedMessage(h: Hire, side: IdpSide, hireId: string): SlackMessage {
  const idp = side.idp === "azure" ? "Entra ID" : "Okta";
  return {
    text: esc(`${h.loginId} will not arrive in Descope (${h.tenantName}): ${side.summary}`),
    blocks: [
      header(`New hire will not arrive: ${h.loginId}`),
      section(
        `*${esc(h.loginId)}* (tenant *${esc(h.tenantName)}*) cannot be provisioned as things stand — waiting for the next cycle will not help.\n${untrusted(side.summary)}`,
      ),
      section(
        `*Proof from ${idp}* (read just now)\n${side.evidence.map((e) => `• ${untrusted(e)}`).join("\n")}`,
      ),
      ...(side.fix ? [section(`*Fix:* ${untrusted(side.fix)}`)] : []),
      ...linksSection(side.links ?? []),
      context(
        `Cause \`${side.cause}\` · scimwatch re-reads ${idp} while the hire is pending and ticks the checklist when it changes`,
      ),
      {
        type: "actions",
        block_id: "hire_blocked",
        elements: [button("Re-check", HIRE_ACTIONS.recheck, hireId, "primary")],
      },
    ],
  };
}

/** "Added to a role-mapped group that is not assigned to the app": group mapping is not provisioning. */
export function mappedNotAssignedMessage(o: {
  upn: string;
  groupName: string;
  role: string;
  app: string;
  tenantName: string;
  assigned: string[];
}): SlackMessage {
  const line = `*${esc(o.upn)}* was added to *${esc(o.groupName)}*, which is mapped to the role *${esc(o.role)}* in Descope, but *${esc(o.groupName)}* is not assigned to the SCIM app ${esc(o.app)}: they will not be provisioned (tenant *${esc(o.tenantName)}*). Group mapping only gives roles to users the IdP already pushes.`;
  const fix = o.assigned.length
    ? `*Fix:* add them to ${o.assigned.map((g) => `*${esc(g)}*`).join(" or ")} too, or assign *${esc(o.groupName)}* to ${esc(o.app)} (Enterprise apps › ${esc(o.app)} › Users and groups).`
    : `*Fix:* assign *${esc(o.groupName)}* to ${esc(o.app)} (Enterprise apps › ${esc(o.app)} › Users and groups).`;
  return {
    text: esc(
      `${o.upn} was added to ${o.groupName} (mapped to ${o.role}) but that group is not assigned to the SCIM app: not provisioned.`,
    ),
    blocks: [header(`Group mapping is not provisioning: ${o.upn}`), section(line), section(fix)],
  };
}
