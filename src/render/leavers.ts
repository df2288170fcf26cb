/** Where a leaver's messages are drawn: the offboarding checklist, the "still enabled" alert and its resolution, the pending lines. Pure. */
import { IDPS } from "../core/idp/catalog.js";
import type { Leaver } from "../core/leavers/model.js";
import type { LeaverView } from "../core/leavers/state.js";
import { context, type SlackMessage, section } from "./blocks.js";
import { esc, iso, slackDate, untrusted } from "./mrkdwn.js";

const mark = (v: boolean | null, wait = ":hourglass_flowing_sand:") =>
  v === true ? ":white_check_mark:" : v === false ? ":x:" : wait;

const who = (l: Leaver) => `${l.name ? `${esc(l.name)} ` : ""}\`${esc(l.loginId)}\``;

export function leaverChecklist(l: Leaver, v: LeaverView): SlackMessage {
  const idp = IDPS[l.idp].name;
  const lines = [
    `${mark(v.items.idpRemoved, ":grey_question:")} Removed in ${esc(idp)}${v.items.idpRemoved === null ? " (not known: no connector, or it could not be read)" : ""}`,
    `${mark(v.items.descopeDisabled)} Deactivated or deleted in Descope`,
    `${mark(v.items.noSignin)} No sign-in after the last day${v.signedInAfter ? ` (signed in ${slackDate(iso(v.signedInAfter))})` : ""}`,
  ];
  const head =
    v.status === "gone"
      ? ":white_check_mark: *Offboarded*"
      : v.status === "still_enabled"
        ? ":rotating_light: *Still enabled in Descope after the last day*"
        : ":wave: *Offboarding*";
  return {
    text: `Offboarding ${l.loginId} (${l.tenantName}): ${v.status.replace("_", " ")}`,
    blocks: [
      section(
        `${head}: ${who(l)} in *${esc(l.tenantName)}*, last day ${slackDate(iso(l.lastDay))}\n${lines.join("\n")}`,
      ),
      ...(v.overdue
        ? [section(`*${esc(idp)} did:* ${untrusted(v.idpDid)}\n*Fix:* ${esc(v.fix)}`)]
        : []),
      context(
        `Registered by ${l.registeredBy.startsWith("U") ? `<@${l.registeredBy}>` : esc(l.registeredBy)} · ticks itself from Descope's audit log and user record${l.idp === "azure" || l.idp === "okta" ? ` and ${esc(idp)}` : ""}`,
      ),
    ],
  };
}

export function leaverAlert(l: Leaver, v: LeaverView): SlackMessage {
  const idp = IDPS[l.idp].name;
  return {
    text: `${l.loginId} left ${l.tenantName} on ${iso(l.lastDay).slice(0, 10)} but is still enabled in Descope`,
    blocks: [
      section(
        `:rotating_light: ${who(l)} left *${esc(l.tenantName)}* (last day ${slackDate(iso(l.lastDay))}) but is *still enabled in Descope*, past ${esc(idp)}'s window: they can still sign in.`,
      ),
      section(`*What ${esc(idp)} did:* ${untrusted(v.idpDid)}\n*Fix:* ${esc(v.fix)}`),
      ...(v.signedInAfter
        ? [
            section(
              `:warning: They signed in after their last day: ${slackDate(iso(v.signedInAfter))}.`,
            ),
          ]
        : []),
    ],
  };
}

export function leaverResolved(l: Leaver): SlackMessage {
  return {
    text: `${l.loginId} is now deactivated in Descope`,
    blocks: [section(`:white_check_mark: ${who(l)} is now deactivated (or deleted) in Descope.`)],
  };
}

/** One line per open leaver, for /scim pending and the App Home. */
export function leaverLine(l: Leaver): string {
  const state =
    l.status === "still_enabled"
      ? ":rotating_light: still enabled in Descope"
      : l.status === "gone"
        ? ":white_check_mark: offboarded"
        : l.status === "unknown"
          ? ":grey_question: Descope not read yet"
          : ":hourglass_flowing_sand: leaving";
  return `• ${who(l)} (${esc(l.tenantName)}): ${state}, last day ${slackDate(iso(l.lastDay))}`;
}
