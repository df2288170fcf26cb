/** `/scim reconcile <tenant> [scope=all]`: a tenant's whole reconciliation, as a background run with progress in the channel. */
import { requestReconcile } from "../../../features/reconcile/job.js";
import { notice } from "../../../render/blocks.js";
import { esc, iso } from "../../../render/mrkdwn.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { targetOf } from "./guards.js";

export const reconcile: CommandListener<Extract<ScimCommand, { kind: "reconcile" }>> = {
  ack: () => ({ text: "Starting the reconciliation…" }),
  what: "Starting the reconciliation",
  guards: {
    tenant: {
      of: (cmd) => cmd.tenant,
      usage:
        "Which tenant? `/scim reconcile <tenant>` (in a linked channel the tenant is implied; add `scope=all` when the app provisions every user).",
    },
  },
  async run(deps, cmd, req) {
    const target = targetOf(req);
    if (!deps.reconcile) {
      await req.reply(
        notice(
          "Reconciliation is not available in this process.",
          "Reconciliation is not available in this process.",
        ),
      );
      return "unavailable";
    }
    const r = await requestReconcile(deps.reconcile, {
      tenantId: target.tenantId,
      tenantName: target.tenantName,
      trigger: "command",
      requestedBy: req.who.userId,
      channel: req.who.channelId,
      syncAll: cmd.syncAll,
    });
    const name = esc(target.tenantName);
    if (r.status === "running") {
      const by = r.run.requestedBy
        ? ` by <@${r.run.requestedBy}>`
        : r.run.trigger === "weekly"
          ? " by the weekly schedule"
          : "";
      await req.reply(
        notice(
          `A reconciliation of *${name}* is already running (started${by} at ${iso(r.run.startedAt)}): one run per tenant at a time. Its answer arrives where it was asked${r.run.channel ? ` (<#${r.run.channel}>)` : ""}.`,
          `A reconciliation of ${target.tenantName} is already running.`,
        ),
      );
      return "already_running";
    }
    await req.reply(
      r.run.ts
        ? notice(
            `Reconciling *${name}*: the message above shows its progress and then the answer; the whole list arrives as a CSV in its thread.`,
            `Reconciling ${target.tenantName}: progress in the channel.`,
          )
        : notice(
            `Reconciling *${name}*, but I could not post in this channel (invite me with \`/invite @scimwatch\`): its orphan alert, if any, goes to the tenant's alert channel.`,
            `Reconciling ${target.tenantName}; I could not post in this channel.`,
          ),
    );
    return "started";
  },
};
