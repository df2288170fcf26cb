/** Where onboarding checklists, alerts, digests, the pending list and the App Home are drawn. Pure. */

import type { ActionsBlockElement } from "@slack/types";
import type { Hire } from "../core/hires/model.js";
import type { HireView } from "../core/hires/state.js";
import { COMMON_PITFALLS, GROUP_CHOICE, IDPS, type IdpId } from "../core/idp/catalog.js";
import type { Leaver } from "../core/leavers/model.js";
import {
  type Block,
  button,
  capBlocks,
  context,
  header,
  LIMITS,
  linesToSections,
  linksSection,
  type SlackMessage,
  section,
} from "./blocks.js";
import { MAX_STATIC_OPTIONS, markOptions } from "./forms.js";
import { itemsLine, statusLine, whoLine } from "./hire-status.js";
import { checklistBlockId, HIRE_ACTIONS } from "./ids.js";
import { leaverLine } from "./leavers.js";
import { clip, esc, iso, slackDate, untrusted } from "./mrkdwn.js";

function checklistFingerprint(views: HireView[]): string {
  return views
    .map(
      (v) =>
        `${v.hire.loginId}|${v.status}|${Object.values(v.hire.items)
          .map((i) => i.at ?? 0)
          .join(",")}|${v.hire.scimError ?? ""}`,
    )
    .join(";");
}

export function checklistMessage(
  batchId: string,
  views: HireView[],
): SlackMessage & { fingerprint: string } {
  const first = views[0];
  const tenant = first ? first.hire.tenantName : "";
  const idpId = (first?.hire.idp ?? "generic") as IdpId;
  const idp = IDPS[idpId];
  const blocks: Block[] = [header(`Onboarding checklist · ${tenant}`)];
  const lines = views.map((v) => `${whoLine(v.hire)}\n${itemsLine(v.hire)}\n${statusLine(v)}`);
  blocks.push(...linesToSections("", lines, 40));
  const waiting = views.filter((v) => v.status === "waiting" || v.status === "overdue");
  if (waiting.length) {
    blocks.push(context(`:bulb: Don't want to wait? ${esc(idp.pushNow)}.`));
  }
  const unassigned = views.filter((v) => !v.hire.items.assigned.at);
  if (unassigned.length) {
    const elements: ActionsBlockElement[] = [
      button(
        views.length > 1 ? "Mark all assigned" : "Mark assigned",
        HIRE_ACTIONS.markAllAssigned,
        batchId,
        "primary",
      ),
    ];
    if (views.length > 1) {
      // A static menu holds 100 options: past that, type-ahead (options loaded by the bot).
      elements.push(
        unassigned.length <= MAX_STATIC_OPTIONS
          ? {
              type: "static_select",
              action_id: HIRE_ACTIONS.markAssigned,
              placeholder: { type: "plain_text", text: "Mark one assigned…" },
              options: markOptions(
                batchId,
                unassigned.map((v) => v.hire.loginId),
              ),
            }
          : {
              type: "external_select",
              action_id: HIRE_ACTIONS.markAssigned,
              min_query_length: 1,
              placeholder: {
                type: "plain_text",
                text: `Mark one assigned… (type to search ${unassigned.length})`,
              },
            },
      );
    }
    blocks.push({ type: "actions", block_id: checklistBlockId(batchId), elements });
  }
  const done = views.filter((v) => v.status === "complete").length;
  const prov = views.filter((v) => v.hire.items.provisioned.at).length;
  blocks.push(
    context(
      `${prov} of ${views.length} provisioned · ${done} fully onboarded · ${esc(idp.name)} (${esc(first?.hire.idpReason ?? "")})`,
    ),
  );
  const text =
    views.length === 1 && first
      ? `Onboarding ${first.hire.loginId} in ${tenant}: ${stripMrkdwn(statusLine(first))}`
      : `Onboarding ${views.length} hires in ${tenant}: ${prov} provisioned, ${done} fully onboarded.`;
  return {
    text: esc(clip(text, LIMITS.fallbackText)),
    blocks: capBlocks(blocks),
    fingerprint: checklistFingerprint(views),
  };
}

function stripMrkdwn(s: string): string {
  return s.replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, "$1").replace(/:[a-z_]+: /g, "");
}

export function alertMessage(v: HireView, hireId: string): SlackMessage {
  const h = v.hire;
  const idp = IDPS[h.idp];
  const cause =
    v.status === "scim_error"
      ? `${idp.name} tried to push them but Descope rejected it: ${untrusted(clip(h.scimError ?? "", 500))}`
      : `${idp.name} has not pushed them. Most likely they are *not assigned to the Descope ${esc(idp.appTerm)}*, or *not in the group assigned to it*.`;
  const blocks: Block[] = [
    header(`Missing new hire: ${h.loginId}`),
    section(
      `*${esc(h.loginId)}* is still not in Descope (tenant *${esc(h.tenantName)}*). Assigned ${slackDate(iso(h.assignedAt))}; expected by ${slackDate(iso(v.dueAt))}.\n${cause}`,
    ),
    section(
      `*Other causes in ${esc(idp.name)}*\n${[...idp.pitfalls.slice(0, 4), COMMON_PITFALLS[1]].map((p) => `• ${esc(p)}`).join("\n")}`,
    ),
    section(
      `*Fix it for good — assign a group:* ${esc(idp.assignGroup)}\n${GROUP_CHOICE.map((c) => `• ${esc(c)}`).join("\n")}\n*Push them now:* ${esc(idp.pushNow)}`,
    ),
    ...linksSection(h.idpLinks),
    {
      type: "actions",
      block_id: "hire_alert",
      elements: [
        button("Re-check", HIRE_ACTIONS.recheck, hireId, "primary"),
        button("Snooze 1 h", HIRE_ACTIONS.snooze, hireId),
        button("Dismiss", HIRE_ACTIONS.dismiss, hireId, "danger", {
          title: "Dismiss this alert?",
          text: `scimwatch will stop following ${h.loginId} for this alert: no reminder, no "resolved" update.`,
          confirm: "Dismiss",
        }),
      ],
    },
  ];
  return {
    text: esc(
      `${h.loginId} is still missing in Descope (${h.tenantName}): ${idp.name} has not pushed them.`,
    ),
    blocks,
  };
}

export function resolvedAlertMessage(v: HireView): SlackMessage {
  const h = v.hire;
  const at = h.items.provisioned.at as number;
  const late = v.lateMinutes ?? 0;
  const line = `:white_check_mark: Resolved — *${esc(h.loginId)}* provisioned at ${slackDate(iso(at))}, ${late} minutes late (tenant *${esc(h.tenantName)}*).`;
  return {
    text: esc(`Resolved — ${h.loginId} provisioned at ${iso(at)}, ${late} minutes late.`),
    blocks: [section(line)],
  };
}

export function dismissedAlertMessage(h: Hire, by: string): SlackMessage {
  return {
    text: esc(`Alert for ${h.loginId} dismissed.`),
    blocks: [section(`:no_bell: Alert for *${esc(h.loginId)}* dismissed by <@${esc(by)}>.`)],
  };
}

export function snoozedAlertMessage(v: HireView, hireId: string, until: number): SlackMessage {
  const base = alertMessage(v, hireId);
  return {
    text: base.text,
    blocks: [
      ...base.blocks.slice(0, -1),
      context(`:zzz: Snoozed until ${slackDate(iso(until))}`),
      base.blocks.at(-1) as Block,
    ],
  };
}

export function reminderMessage(h: Hire): SlackMessage {
  return {
    text: esc(`Reminder: ${h.loginId} is still missing in Descope.`),
    blocks: [
      section(`:alarm_clock: Snooze is over: *${esc(h.loginId)}* is still missing in Descope.`),
    ],
  };
}

export function digestMessage(views: HireView[], tenantName: string): SlackMessage {
  const names = views
    .slice(0, 30)
    .map((v) => `• *${esc(v.hire.loginId)}* — expected by ${slackDate(iso(v.dueAt))}`);
  const more = views.length > 30 ? [`…and ${views.length - 30} more`] : [];
  return {
    text: esc(`${views.length} new hires are overdue in ${tenantName}: details in the thread.`),
    blocks: [
      header(`${views.length} new hires are missing in ${tenantName}`),
      ...linesToSections("", [...names, ...more], 2),
      context(
        "Each one's cause and fix is in this thread. When many are missing together, the group assigned to the app (or the provisioning job itself) is the first suspect.",
      ),
    ],
  };
}

type SigninAlert = { loginId: string; tenantName: string; idp: IdpId; at: number };

/** A failed SSO sign-in worth an alert: its text, its headline, what happened, why and the fix. */
function signinAlert(text: string, head: string, what: string, why: string): SlackMessage {
  return {
    text: esc(text),
    blocks: [header(clip(head, 150)), section(what), section(why)],
  };
}

export function unknownSigninMessage(o: SigninAlert): SlackMessage {
  const idp = IDPS[o.idp];
  return signinAlert(
    `${o.loginId} tried to sign in but was never provisioned (${o.tenantName}).`,
    `${o.loginId} tried to sign in but was never provisioned`,
    `*${esc(o.loginId)}* signed in through SSO at ${slackDate(iso(o.at))} (tenant *${esc(o.tenantName)}*), but ${esc(idp.name)} never pushed them over SCIM and JIT is disabled, so Descope does not know them.`,
    `*Why:* SSO and SCIM use different apps in ${esc(idp.name)}, and this person is assigned to the SSO app but not to the SCIM one — or not in the group assigned to it.\n*Fix:* assign the same group to both apps: ${esc(idp.assignGroup)}. Then: ${esc(idp.pushNow)}.`,
  );
}

/** Sign-ins with one identifier fail while Descope has the person under another. */
export function identifierMismatchMessage(
  o: SigninAlert & { descopeLoginId: string },
): SlackMessage {
  const idp = IDPS[o.idp];
  return signinAlert(
    `${o.loginId} cannot sign in: Descope has them as ${o.descopeLoginId} (${o.tenantName}).`,
    `${o.loginId} cannot sign in: provisioned under another login ID`,
    `*${esc(o.loginId)}* tried to sign in through SSO at ${slackDate(iso(o.at))} (tenant *${esc(o.tenantName)}*) and failed, but ${esc(idp.name)} provisioned this person over SCIM as *${esc(o.descopeLoginId)}*: SSO sends one identifier (NameID or e-mail claim), SCIM another (userName).`,
    `*Fix:* make both come from the same attribute: ${esc(idp.alignIds)}.\nDo not create a second user by hand or through JIT: it would not be SCIM-managed.`,
  );
}

export function pendingMessage(
  views: HireView[],
  scope: string,
  leavers: Leaver[] = [],
): SlackMessage {
  const leaving = leavers.length
    ? [
        section(
          `*:wave: Leavers${esc(scope)}* (${leavers.length})\n${leavers.slice(0, 30).map(leaverLine).join("\n")}`,
        ),
      ]
    : [];
  if (!views.length) {
    return {
      text: esc(`No pending hires${scope}.${leavers.length ? ` ${leavers.length} leavers.` : ""}`),
      blocks: [
        section(`No pending hires${esc(scope)}. Register some with \`/scim expect\`.`),
        ...leaving,
      ],
    };
  }
  const order: Record<string, number> = {
    will_not_arrive: 0,
    overdue: 0,
    scim_error: 1,
    not_scim_managed: 2,
    waiting: 2,
    provisioned: 3,
    deprovisioned: 4,
    complete: 5,
  };
  const sorted = [...views].sort(
    (a, b) => (order[a.status] ?? 9) - (order[b.status] ?? 9) || a.dueAt - b.dueAt,
  );
  const lines = sorted.map(
    (v) => `*${esc(v.hire.loginId)}* (${esc(v.hire.tenantName)}) — ${statusLine(v)}`,
  );
  const shown = linesToSections("", lines, 45);
  return {
    text: esc(`${views.length} pending hires${scope}.`),
    blocks: capBlocks([header(`Pending hires${scope}`), ...shown, ...leaving]),
  };
}
