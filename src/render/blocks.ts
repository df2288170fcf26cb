/**
 * Where a Slack message is drawn. Pure: data in, `{ text, blocks }` out,
 * within Block Kit's limits, with a plain-text fallback, and with every
 * string from a user or from Descope escaped.
 */

import type { Button, KnownBlock, ModalView } from "@slack/types";
import type { Diagnosis } from "../core/diagnosis/diagnose.js";
import { MATCHED_BY_TEXT, VERDICT_OK, VERDICT_TITLES } from "../core/diagnosis/verdicts.js";
import type { Guide } from "../core/explain.js";
import { IDPS, type IdpId } from "../core/idp/catalog.js";
import { answerLinks } from "../core/links.js";
import { VERBS, verbNamed } from "../core/verbs.js";
import { ACTIONS, encodeCheckButton } from "./ids.js";
import { clip, esc, readerTimes, slackDate, untrusted } from "./mrkdwn.js";

export type Block = KnownBlock;
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  fallbackText: 3000,
} as const;

/** `/scim unlink` asks first: unlinking a shared channel cuts a customer off. */
export function unlinkPrompt(tenantName: string, channelId: string): SlackMessage {
  return {
    text: `Unlink this channel from ${tenantName}?`,
    blocks: [
      section(
        `This channel is linked to *${esc(tenantName)}*. Unlinking it stops \`/scim\` here for everyone who is not an admin or in a support channel.`,
      ),
      {
        type: "actions",
        block_id: "scim_unlink",
        elements: [
          button("Unlink", ACTIONS.unlink, channelId, "danger", {
            title: "Unlink this channel?",
            text: `People here will no longer be able to check ${tenantName}'s users.`,
            confirm: "Unlink",
          }),
        ],
      },
    ],
  };
}

export function header(text: string): Block {
  return {
    type: "header",
    text: { type: "plain_text", text: clip(text, LIMITS.headerText), emoji: true },
  };
}
export function section(mrkdwn: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, LIMITS.sectionText) } };
}
export function context(...mrkdwn: string[]): Block {
  return {
    type: "context",
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: "mrkdwn", text: clip(t, LIMITS.sectionText) })),
  };
}
/** What a destructive button asks before it acts (Slack's confirmation dialog). */
export interface Confirm {
  title: string;
  text: string;
  confirm: string;
}

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
  confirm?: Confirm,
): Button {
  return {
    type: "button",
    text: { type: "plain_text", text: clip(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
    ...(confirm
      ? {
          confirm: {
            title: { type: "plain_text", text: clip(confirm.title, 100) },
            text: { type: "plain_text", text: clip(confirm.text, 300) },
            confirm: { type: "plain_text", text: clip(confirm.confirm, 30) },
            deny: { type: "plain_text", text: "Cancel" },
            ...(style === "danger" ? { style: "danger" } : {}),
          },
        }
      : {}),
  };
}

/** Packs lines into as few sections as fit the 3000-character limit. */
export function linesToSections(title: string, lines: string[], maxSections = 3): Block[] {
  const blocks: Block[] = [];
  let cur = title;
  for (const line of lines) {
    const next = `${cur}\n${line}`;
    if (next.length > LIMITS.sectionText && cur.length > 0) {
      blocks.push(section(cur));
      if (blocks.length >= maxSections) return blocks;
      cur = line;
    } else {
      cur = next;
    }
  }
  if (cur) blocks.push(section(cur));
  return blocks.slice(0, maxSections);
}

/** Caps a message at Block Kit's block limit, keeping the last (actions) block. */
export function capBlocks(blocks: Block[], max: number = LIMITS.messageBlocks): Block[] {
  if (blocks.length <= max) return blocks;
  const last = blocks.at(-1) as Block;
  const keepLast = last.type === "actions";
  const head = blocks.slice(0, max - (keepLast ? 2 : 1));
  return [
    ...head,
    context("_…more in `/scim pending` or the App Home._"),
    ...(keepLast ? [last] : []),
  ];
}

export function diagnosisMessage(
  d: Diagnosis,
  opts: { answerId: string; sharedBy?: string; withActions?: boolean },
): SlackMessage {
  const ok = VERDICT_OK[d.verdict];
  const title = `${ok ? "✅" : "⚠️"} ${VERDICT_TITLES[d.verdict]}`;
  const tenant = d.tenantId ? ` · tenant *${esc(d.tenantName ?? d.tenantId)}*` : "";
  const blocks: Block[] = [
    header(title),
    section(
      `*${esc(d.loginId)}*${d.matchedBy && d.matchedBy !== "login_id" ? ` (in Descope as *${esc(d.descopeLoginIds.join(", "))}*, matched by ${MATCHED_BY_TEXT[d.matchedBy]})` : ""}${tenant} · IdP: *${esc(d.idp.name)}*\n${readerTimes(untrusted(d.summary))}`,
    ),
    ...linesToSections(
      "*Evidence*",
      d.evidence.map((e) => `• ${slackDate(e.at)} — ${untrusted(e.text)}`),
      2,
    ),
    ...(d.idpSide
      ? linesToSections(
          `*IdP side* (${d.idpSide.idp === "azure" ? "Entra ID" : "Okta"}, read just now) — \`${d.idpSide.cause}\`\n${untrusted(d.idpSide.summary)}`,
          d.idpSide.evidence.map((e) => `• ${untrusted(e)}`),
          1,
        )
      : []),
    ...linesToSections(
      "*What to do*",
      d.remediation.map((r, i) => `${i + 1}. ${readerTimes(untrusted(r))}`),
      3,
    ),
    ...linksSection(answerLinks(d)),
  ];
  const ctx = [
    `IdP: ${d.idp.id === "generic" ? "not known" : esc(d.idp.name)} — ${esc(d.idp.reason)}`,
    ...d.notes.map((n) => readerTimes(untrusted(n))),
    `Verdict \`${d.verdict}\` · checked ${slackDate(d.checkedAt)}${opts.sharedBy ? ` · shared by <@${esc(opts.sharedBy)}>` : ""}`,
  ];
  blocks.push(context(...ctx));
  if (opts.withActions !== false) {
    const v = encodeCheckButton({ a: opts.answerId, l: d.loginId, t: d.tenantId, i: d.idp.id });
    blocks.push({
      type: "actions",
      block_id: "scim_check_actions",
      elements: [
        button("Re-check", ACTIONS.recheck, v, "primary"),
        button("How to fix", ACTIONS.howto, v),
        ...(opts.sharedBy ? [] : [button("Share in channel", ACTIONS.share, v)]),
      ],
    });
  }
  const text = clip(
    `${VERDICT_TITLES[d.verdict]}: ${d.summary}${d.remediation[0] ? ` Next: ${d.remediation[0]}` : ""}`,
    LIMITS.fallbackText,
  );
  return { text: esc(text), blocks: capBlocks(blocks) };
}

/** The pages to open (core/links.ts), as one "Open" section; none when there are none. */
export function linksSection(links: Array<{ label: string; url: string }>): Block[] {
  if (!links.length) return [];
  const lines = links.slice(0, 8).map((l) => `• <${l.url}|${esc(l.label).replace(/\|/g, "/")}>`);
  return [section(clip(`*Open*\n${lines.join("\n")}`, LIMITS.sectionText))];
}

export function guideMessage(g: Guide): SlackMessage {
  const blocks = [header(g.title), ...g.sections.slice(0, 10).map((s) => section(esc(s)))];
  return { text: esc(clip(`${g.title}: ${g.sections[0] ?? ""}`, LIMITS.fallbackText)), blocks };
}

export function howToFixMessage(idpId: IdpId, loginId: string): SlackMessage {
  const p = IDPS[idpId];
  const lines = [
    `*1. Assign a group to the Descope ${esc(p.appTerm)}:* ${esc(p.assignGroup)}`,
    `*2. Add ${esc(loginId)} to that group* (directly: nested groups may not count).`,
    `*3. Push now or wait:* ${esc(p.pushNow)}. ${esc(p.cycle)}`,
    `*Everyone group:* ${esc(p.everyoneGroup)}`,
    `*Pitfalls:*\n${p.pitfalls.map((x) => `• ${esc(x)}`).join("\n")}`,
  ];
  return {
    text: esc(
      `How to fix in ${p.name}: assign a group to the app, add ${loginId} to it, then push.`,
    ),
    blocks: [header(`How to fix it in ${p.name}`), ...linesToSections("", lines, 3)],
  };
}

/** One help line per verb; admin verbs only for admins. */
export function helpLines(admin = true): string[] {
  return VERBS.filter((v) => admin || !v.admin).map(
    (v) => `\`/scim ${v.brief}\` — ${v.does}${v.admin ? " _(admins)_" : ""}`,
  );
}

/** The whole help, or one verb's (`/scim help check`); admin verbs only for admins. */
export function helpMessage(
  note?: string,
  opts: { admin?: boolean; verb?: string } = {},
): SlackMessage {
  const admin = opts.admin ?? true;
  const one = verbNamed(opts.verb);
  if (one) {
    const body = `*\`/scim ${esc(one.brief)}\`* — ${one.does}${one.admin ? "\nFor scimwatch admins (their Slack user IDs are in SCIMWATCH_ADMIN_USERS)." : ""}`;
    return {
      text: `${note ? `${note} ` : ""}Usage: /scim ${esc(one.brief)}`,
      blocks: [
        section(`${note ? `${note}\n\n` : ""}${body}`),
        context("`/scim help` lists every verb."),
      ],
    };
  }
  const lines = helpLines(admin);
  const body = `${note ? `${note}\n\n` : ""}${lines.map((l) => `• ${l}`).join("\n")}`;
  const usage = `Usage: ${VERBS.filter((v) => admin || !v.admin)
    .map((v) => `/scim ${v.brief}`)
    .join(" · ")}`;
  return {
    text: `${note ? `${note} ` : ""}${esc(usage)}`,
    blocks: [section(`*scimwatch* — SCIM provisioning answers from Descope's audit log.\n${body}`)],
  };
}

/** Bad input: the reason (escaped) and the usage of the verb it was for (all of them when none). */
export function usageMessage(message: string, verb?: string, admin = true): SlackMessage {
  return helpMessage(`:warning: ${esc(message)}`, { admin, ...(verb ? { verb } : {}) });
}

/**
 * A one-section notice (errors, refusals, confirmations). `mrkdwn` must already
 * be escaped; the plain fallback is escaped here (Slack reads `text` as mrkdwn too).
 */
export function notice(mrkdwn: string, plain: string): SlackMessage {
  return { text: esc(clip(plain, LIMITS.fallbackText)), blocks: [section(mrkdwn)] };
}

/** A modal that shows an outcome where the person is looking (after a form was submitted). */
export function resultModal(callbackId: string, title: string, msg: SlackMessage): ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    title: { type: "plain_text", text: title },
    close: { type: "plain_text", text: "Done" },
    blocks: msg.blocks.slice(0, 100),
  };
}
