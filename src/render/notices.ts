/**
 * The short answers every listener gives: refusals, failures, acknowledgements
 * and one-line outcomes. Drawn here, never in the Slack layer. Pure.
 */
import { DeadlineError, failureOf, UnknownTenantError } from "../core/failure.js";
import { notice, type SlackMessage } from "./blocks.js";
import { esc, readerTimes, slackDate } from "./mrkdwn.js";

export const NO_ACCESS = notice(
  ":lock: scimwatch is not enabled in this channel. Ask a scimwatch admin to run `/scim link &lt;tenant&gt;` here (the channel then sees that tenant only), or use your support team's channel.",
  "scimwatch is not enabled in this channel. Ask a scimwatch admin to run /scim link <tenant> here, or use your support team's channel.",
);

export function scopedRefusal(tenantName: string): SlackMessage {
  return notice(
    `:lock: This channel is linked to *${esc(tenantName)}* and can check that tenant only. Run \`/scim check &lt;login ID&gt;\` without a tenant.`,
    `This channel is linked to ${tenantName} and can check that tenant only.`,
  );
}

/** Any failure, said the same way everywhere: what failed, and when to retry. */
export function failureMessage(e: unknown, what: string): SlackMessage {
  if (e instanceof UnknownTenantError) {
    const offer = e.suggestions.length
      ? ` Did you mean ${e.suggestions.map((n) => `*${esc(n)}*`).join(" or ")}? (A name with spaces can be typed as it is, or in quotes.)`
      : " Give the tenant's ID or its exact name (`/scim pending` and App Home show the names).";
    return notice(
      `:warning: No tenant has the ID or name *${esc(e.tenant)}*.${offer}`,
      `No tenant has the ID or name ${e.tenant}.${e.suggestions.length ? ` Did you mean ${e.suggestions.join(" or ")}?` : ""}`,
    );
  }
  if (e instanceof DeadlineError) {
    return notice(
      `:hourglass: ${what} took longer than ${Math.round(e.ms / 1000)} s: Descope is slow right now. Try again in a minute.`,
      `${what} took too long; try again in a minute.`,
    );
  }
  const f = failureOf(e);
  if (f.code === "denied") return NO_ACCESS;
  // Any other expected failure (Descope, a spent budget…) says what failed and when to retry.
  if (f.expected) {
    return notice(
      `:x: ${what} failed: ${readerTimes(esc(f.message))}`,
      `${what} failed: ${f.message}`,
    );
  }
  return notice(
    `:x: ${what} failed on scimwatch's side (it is logged). Try again in a minute; if it persists, tell the scimwatch operators.`,
    `${what} failed on scimwatch's side; try again in a minute.`,
  );
}

/** The first answer to a command whose work takes a moment. */
export const WORKING = {
  check: (loginId: string) => ({ text: `:mag: Checking ${esc(loginId)}…` }),
  registering: { text: ":clipboard: Registering…" },
  activity: { text: ":bar_chart: Reading the audit index…" },
} as const;

export const LINK_ADMINS_ONLY = notice(
  ":lock: Only scimwatch admins can link or unlink channels (their Slack user IDs are in SCIMWATCH_ADMIN_USERS).",
  "Only scimwatch admins can link or unlink channels.",
);

export const UNLINK_ADMINS_ONLY = notice(
  ":lock: Only scimwatch admins can unlink a channel, from that channel.",
  "Only scimwatch admins can unlink a channel.",
);

export const NOT_LINKED = notice(
  "This channel is not linked to a tenant.",
  "This channel is not linked to a tenant.",
);

export function linkedMessage(tenantName: string, tenantId: string): SlackMessage {
  return notice(
    `:link: This channel is now linked to *${esc(tenantName)}* (\`${esc(tenantId)}\`): \`/scim check\` here sees that tenant only.`,
    `This channel is now linked to ${tenantName}.`,
  );
}

export function unlinkedMessage(had: boolean, by: string): SlackMessage {
  return had
    ? notice(
        `:unlock: This channel is no longer linked to a tenant (unlinked by <@${esc(by)}>).`,
        "This channel is no longer linked to a tenant.",
      )
    : notice(
        "This channel was not linked to a tenant.",
        "This channel was not linked to a tenant.",
      );
}

export const ANSWER_EXPIRED = notice(
  "This answer has expired: run `/scim check` again to share a fresh one.",
  "This answer has expired.",
);

export const ALERTS_ADMINS_ONLY = notice(
  "Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can choose where a tenant's alerts go: ask one to run `/scim alerts #channel` here.",
  "Only admins can choose where alerts go.",
);

export const ALERTS_NEED_LINK = notice(
  "Run `/scim alerts #channel` in a channel linked to a tenant (an admin links it with `/scim link &lt;tenant&gt;`).",
  "Run this in a linked channel.",
);

export function alertsSetMessage(tenantName: string, channelId: string): SlackMessage {
  return notice(
    `:rotating_light: Alerts for *${esc(tenantName)}* now go to <#${esc(channelId)}>. Invite me there with \`/invite @scimwatch\`.`,
    `Alerts for ${tenantName} now go to that channel.`,
  );
}

/** What a registration did: what is expected and by when, what was refused, whether the checklist could be posted. */
interface Registration {
  registered: unknown[];
  rejected: Array<{ input: string; reason: string }>;
  idp: { name: string; reason: string };
  dueAt: number;
  postError?: string | undefined;
}

export function registeredMessage(r: Registration, tenantName: string): SlackMessage {
  const lines: string[] = [];
  if (r.registered.length) {
    lines.push(
      `:clipboard: Expecting ${r.registered.length} hire${r.registered.length > 1 ? "s" : ""} in *${esc(tenantName)}* (${esc(r.idp.name)}, ${esc(r.idp.reason)}), due by ${slackDate(new Date(r.dueAt).toISOString())}. The checklist below ticks itself.`,
    );
  }
  if (r.rejected.length) {
    lines.push(
      `:warning: Not registered:\n${r.rejected
        .slice(0, 30)
        .map((x) => `• ${esc(x.input)} — ${esc(x.reason)}`)
        .join("\n")}`,
    );
  }
  if (r.postError) {
    lines.push(
      `:warning: I could not post the checklist here (${esc(r.postError)}): invite me with \`/invite @scimwatch\`. The hires are registered; I will post it after the next audit read.`,
    );
  }
  if (!lines.length) lines.push("Nothing to register.");
  return notice(
    lines.join("\n\n"),
    `Registered ${r.registered.length}, rejected ${r.rejected.length}.`,
  );
}

export const REGISTERING = notice(":hourglass_flowing_sand: Registering…", "Registering…");

export function tenantGoneMessage(tenantId: string): SlackMessage {
  return notice(
    `:warning: The tenant \`${esc(tenantId)}\` no longer exists in Descope: nothing was registered.`,
    "That tenant no longer exists: nothing was registered.",
  );
}

export function forgetAmbiguousMessage(loginId: string): SlackMessage {
  return notice(
    `${esc(loginId)} is expected in several tenants: name one, \`/scim forget ${esc(loginId)} <tenant>\`.`,
    "Name the tenant.",
  );
}

export function noPendingHireMessage(loginId: string): SlackMessage {
  return notice(`No pending hire ${esc(loginId)} here.`, `No pending hire ${loginId} here.`);
}

export function forgottenMessage(loginId: string, tenantName: string): SlackMessage {
  return notice(
    `:wastebasket: Stopped tracking *${esc(loginId)}* (${esc(tenantName)}).`,
    `Stopped tracking ${loginId}.`,
  );
}

/** A hire's Re-check button: arrived, or still missing. */
export function hireRecheckMessage(loginId: string, arrived: boolean): SlackMessage {
  return arrived
    ? notice(
        `:white_check_mark: *${esc(loginId)}* has arrived in Descope.`,
        `${loginId} has arrived.`,
      )
    : notice(
        `Still missing: *${esc(loginId)}* is not in Descope yet (checked just now).`,
        "Still missing.",
      );
}

export function onboardingSetMessage(tenantName: string, channelId: string): SlackMessage {
  return notice(
    `:clipboard: Checklists of *${esc(tenantName)}*'s hires from HR or a file now go to <#${esc(channelId)}>. Invite me there with \`/invite @scimwatch\`.`,
    `Checklists for ${tenantName} now go to that channel.`,
  );
}

export const ONBOARDING_ADMINS_ONLY = notice(
  "Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can choose where a tenant's checklists go: ask one to run `/scim onboarding #channel` here.",
  "Only admins can choose where checklists go.",
);

/** Slack Connect: a member of another organisation, refused by SCIMWATCH_EXTERNAL_MEMBERS. */
export function externalRefused(what: "read" | "act"): SlackMessage {
  return what === "read"
    ? notice(
        ":lock: scimwatch answers members of this workspace only here (members of another organisation are not served: SCIMWATCH_EXTERNAL_MEMBERS=none).",
        "scimwatch answers members of this workspace only here.",
      )
    : notice(
        ":lock: Members of another organisation can read scimwatch's answers in this shared channel, but not change hires, alerts or settings. Ask someone from the workspace that runs scimwatch.",
        "Members of another organisation can read answers here, but not change hires, alerts or settings.",
      );
}
