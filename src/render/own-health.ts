/** Where scimwatch says it is blind, and that it sees again. Pure. */
import type { Blindness } from "../core/own-health.js";
import { header, type SlackMessage, section } from "./blocks.js";
import { clip, esc, iso, slackDate, untrusted } from "./mrkdwn.js";

export function blindMessage(b: Blindness, lastError: string | null): SlackMessage {
  const since = b.since ? ` since ${slackDate(iso(b.since))}` : "";
  const what =
    b.reason === "key_refused"
      ? `Descope refused scimwatch's management key${since}. Until it is replaced, the audit tail, \`/scim check\` and every alert are stopped.`
      : `scimwatch could not read Descope's audit log ${b.failedRuns} times in a row${since}. Checks answer from events that are getting old, and new alerts are not raised.`;
  const fix =
    b.reason === "key_refused"
      ? "*Fix:* the management key expired or was revoked: create a new one in the Descope Console › Company › Management keys (set its expiry to suit you), put it in `DESCOPE_MANAGEMENT_KEY`, and restart scimwatch. `scimwatch doctor` confirms it."
      : "*Fix:* run `scimwatch doctor`; check that Descope is reachable from scimwatch (`DESCOPE_BASE_URL`, network, proxy) and that the project ID is right.";
  return {
    text: esc(
      b.reason === "key_refused"
        ? "scimwatch is blind: Descope refused its management key. Create a new key and set DESCOPE_MANAGEMENT_KEY."
        : `scimwatch is blind: ${b.failedRuns} audit reads failed in a row.`,
    ),
    blocks: [
      header(":see_no_evil: scimwatch is blind"),
      section(what),
      section(fix),
      ...(lastError ? [section(`*Last error:* ${untrusted(clip(lastError, 500))}`)] : []),
    ],
  };
}

export function sightRestoredMessage(at: number): SlackMessage {
  return {
    text: "scimwatch reads Descope's audit log again.",
    blocks: [
      section(
        `:eyes: scimwatch reads Descope's audit log again (${slackDate(iso(at))}): checks and alerts are live.`,
      ),
    ],
  };
}
