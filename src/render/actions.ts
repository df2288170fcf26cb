/** Where fix-it actions are drawn: the button on an answer, the request with Approve/Decline, its decision, and the record in its thread. Pure. */

import type { ModalView } from "@slack/types";
import {
  ACTION_TITLES,
  type Action,
  type ActionKind,
  DESCOPE_KINDS,
  keySubject,
} from "../core/actions/model.js";
import { type Block, button, context, type SlackMessage, section } from "./blocks.js";
import { encodeFixRequest, FIX_ACTIONS, INPUT_ACTION, VIEWS } from "./ids.js";
import { esc, iso, slackDate, untrusted } from "./mrkdwn.js";

const BUTTONS: Record<ActionKind, string> = {
  push_now: "Push now",
  restart_job: "Restart the job",
  assign: "Assign in Okta",
  rotate_key: "Rotate the SCIM key",
  revoke_old_key: "Revoke the old keys",
};

/** What a request is about: a person, or the tenant's SCIM key. */
const about = (a: Action) =>
  DESCOPE_KINDS.has(a.kind) ? "the tenant's SCIM key" : `\`${esc(a.loginId)}\``;

/** The buttons an answer offers (only those that fit it, only with write access). */
export function fixButtons(kinds: ActionKind[], tenantId: string, loginId: string): Block[] {
  if (!kinds.length) return [];
  return [
    {
      type: "actions",
      block_id: "scim_fix",
      elements: kinds.map((k) =>
        button(
          `${BUTTONS[k]} (needs approval)`,
          FIX_ACTIONS.request,
          encodeFixRequest(k, tenantId, loginId),
        ),
      ),
    },
  ];
}

export function requestMessage(a: Action, approvers: string[]): SlackMessage {
  const blocks: Block[] = [
    section(
      `:lock: <@${a.requestedBy}> asks: *${ACTION_TITLES[a.kind]}* for ${about(a)} in *${esc(a.tenantName)}*\n*What will be called:* ${untrusted(a.call)}`,
    ),
  ];
  if (a.state === "requested")
    blocks.push(
      {
        type: "actions",
        block_id: "scim_fix_decide",
        elements: [
          button("Approve", FIX_ACTIONS.approve, a.id, "primary", {
            title: "Approve this call?",
            text: `${ACTION_TITLES[a.kind]} for ${a.loginId} in ${a.tenantName}, now.`,
            confirm: "Approve",
          }),
          button("Decline", FIX_ACTIONS.decline, a.id, "danger"),
        ],
      },
      context(
        `An approver decides (${approvers.map((u) => `<@${u}>`).join(", ")}), never the requester · expires ${slackDate(iso(a.expiresAt))}`,
      ),
    );
  else blocks.push(context(decisionLine(a)));
  return {
    text: `${ACTION_TITLES[a.kind]} for ${a.loginId} (${a.tenantName}): ${a.state}`,
    blocks,
  };
}

function decisionLine(a: Action): string {
  const by = a.decidedBy ? `<@${a.decidedBy}>` : "";
  switch (a.state) {
    case "approved":
    case "running":
      return `:hourglass_flowing_sand: Approved by ${by}: calling now`;
    case "done":
      return `:white_check_mark: Approved by ${by}; done${a.verdictAfter ? ` · verdict after: ${esc(a.verdictAfter)}` : ""} (record in the thread)`;
    case "failed":
      return `:x: Approved by ${by}; the call failed (record in the thread)`;
    case "interrupted":
      return a.startedAt === null
        ? `:warning: Approved by ${by}; scimwatch stopped before the call: nothing was sent (record in the thread)`
        : `:warning: Approved by ${by}; scimwatch stopped during the call: its outcome is unknown and it was not sent again (record in the thread)`;
    case "declined":
      return `:no_entry: Declined by ${by}: nothing was called`;
    case "expired":
      return ":hourglass: Expired without a decision: nothing was called";
    default:
      return "";
  }
}

/** The record in the request's thread: who asked, who approved, what was sent, what came back, the verdict after. */
export function recordMessage(a: Action): SlackMessage {
  const next =
    a.kind === "rotate_key" &&
    a.state === "done" &&
    a.newKeyId &&
    !a.keysRevoked &&
    a.target.idp === "descope"
      ? fixButtons(["revoke_old_key"], a.tenantId, keySubject(a.target.ssoId, a.newKeyId))
      : [];
  const steps = a.steps.length
    ? `\n*${a.target.idp === "azure" ? "Entra's steps" : "Steps"}:*\n${a.steps
        .map(
          (s) =>
            `${/success/i.test(s.status) ? ":white_check_mark:" : /skip/i.test(s.status) ? ":fast_forward:" : ":x:"} ${esc(s.type || s.name)}: ${esc(s.status)}${s.description ? ` — ${untrusted(s.description)}` : ""}`,
        )
        .join("\n")}`
    : "";
  return {
    text: `${ACTION_TITLES[a.kind]} for ${a.loginId}: ${a.state}`,
    blocks: [
      section(
        `*Record* · asked by <@${a.requestedBy}> · approved by ${a.decidedBy ? `<@${a.decidedBy}>` : "—"}\n*Sent:* ${untrusted(a.call)}\n*Answer:* ${untrusted(a.outcome ?? "none")}${steps}${a.verdictAfter ? `\n*Verdict after:* ${esc(a.verdictAfter)}` : ""}`,
      ),
      ...next,
    ],
  };
}

export const OKTA_WRITE_BLOCK = "okta_write_token";

/** The form for Okta write access: a token with okta.apps.manage and okta.groups.manage, sealed once received. */
export function oktaWriteModal(tenantId: string, tenantName: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.oktaWrite,
    private_metadata: tenantId,
    title: { type: "plain_text", text: "Okta write access" },
    submit: { type: "plain_text", text: "Grant" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      section(
        `Fix-it actions for *${esc(tenantName)}* assign people in Okta (into the group assigned to the app), each approved by an approver. Paste an API token of an Okta admin whose role allows *okta.apps.manage* and *okta.groups.manage*. It is sealed with SCIMWATCH_SECRETS_KEY and never shown again.`,
      ),
      {
        type: "input",
        block_id: OKTA_WRITE_BLOCK,
        label: { type: "plain_text", text: "Okta API token (write)" },
        element: { type: "plain_text_input", action_id: INPUT_ACTION },
      },
    ],
  };
}
