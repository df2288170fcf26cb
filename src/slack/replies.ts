/** Replies shared by every command: refusals, failures, deadlines. */

import { CodedError, failureOf } from "../core/failure.js";
import { UnknownTenantError } from "../features/check/gather.js";
import { notice, type SlackMessage } from "../render/blocks.js";
import { esc, readerTimes } from "../render/mrkdwn.js";

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

export function failureMessage(e: unknown, what: string): SlackMessage {
  if (e instanceof UnknownTenantError) {
    return notice(
      `:warning: No tenant has the ID or name *${esc(e.tenant)}*. Usage: \`/scim check &lt;login ID&gt; [tenant ID or name]\``,
      `No tenant has the ID or name ${e.tenant}.`,
    );
  }
  if (e instanceof DeadlineError) {
    return notice(
      `:hourglass: ${what} took longer than ${Math.round(e.ms / 1000)} s: Descope is slow right now. Try again in a minute.`,
      `${what} took too long; try again in a minute.`,
    );
  }
  // Any other expected failure (Descope, a spent budget…) says what failed and when to retry.
  const f = failureOf(e);
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

export class DeadlineError extends CodedError {
  constructor(readonly ms: number) {
    super("deadline", `deadline of ${ms} ms exceeded`);
  }
}

export function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
