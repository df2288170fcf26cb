/**
 * `/scim`: parse, acknowledge at once, then hand the verb to its listener.
 * A new verb is one file here and one line in COMMANDS (and its parse rule
 * and help line in core/verbs.ts).
 */
import type { App } from "@slack/bolt";
import { verbChanges } from "../../../core/verbs.js";
import { handle, replyVia } from "../../middleware.js";
import { parseScimCommand, type ScimCommand } from "../../parse.js";
import { WARMUP_USER } from "../../warm-up.js";
import type { CommandListener, CommandRequest, ListenerDeps } from "../types.js";
import { activity } from "./activity.js";
import { alerts, onboarding } from "./alerts.js";
import { autoexpect } from "./autoexpect.js";
import { check } from "./check.js";
import { connect, connections, disconnect } from "./connect.js";
import { expect } from "./expect.js";
import { forget } from "./forget.js";
import { runGuards } from "./guards.js";
import { explain, help, usage } from "./help.js";
import { leaver } from "./leaver.js";
import { link, unlink } from "./link.js";
import { pending } from "./pending.js";
import { reconcile } from "./reconcile.js";
import { webhook } from "./webhook.js";
import { write } from "./write.js";

const COMMANDS: { [K in ScimCommand["kind"]]: CommandListener<Extract<ScimCommand, { kind: K }>> } =
  {
    help,
    usage,
    explain,
    check,
    expect,
    pending,
    forget,
    alerts,
    onboarding,
    activity,
    link,
    unlink,
    connect,
    connections,
    disconnect,
    autoexpect,
    webhook,
    reconcile,
    leaver,
    write,
  };

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command("/scim", async ({ command, ack, respond, client }) => {
    const cmd = parseScimCommand(command.text ?? "");
    const listener = COMMANDS[cmd.kind] as CommandListener<ScimCommand>;
    const who = {
      userId: command.user_id,
      channelId: command.channel_id,
      // The person's own workspace (Slack Connect: maybe another organisation's).
      teamId: (command as { user_team?: string }).user_team ?? command.team_id,
      enterpriseId: command.enterprise_id || undefined,
    };
    const admin = deps.guard.isAdmin(who.userId);
    const first = listener.ack?.(cmd, { admin });
    // "Checking…" only to someone who will get an answer: certain for an admin, or in a
    // support channel for a verb that is not admins-only; a linked channel is read (bounded,
    // so the ack stays fast); otherwise nothing is promised and the refusal is the answer.
    let promise = first !== undefined;
    if (first && listener.run && !admin) {
      if (listener.guards?.adminsOnly) promise = false;
      else if (!deps.settings.supportChannels.has(who.channelId)) {
        const access = await Promise.race([
          deps.guard.accessFor(who).catch(() => null),
          new Promise<null>((r) => setTimeout(() => r(null), 250).unref()),
        ]);
        promise = access !== null && access.kind !== "denied";
      }
    }
    await ack(promise && first ? { response_type: "ephemeral", ...first } : undefined);
    const req: CommandRequest = {
      who,
      reply: replyVia(respond, deps.log, "command"),
      triggerId: command.trigger_id,
      client,
    };
    const run = listener.run;
    if (!run) {
      // The warm-up's own requests are not a person's: debug, not info.
      deps.log[who.userId === WARMUP_USER ? "debug" : "info"]({
        kind: cmd.kind,
        user: who.userId,
        channel: who.channelId,
        outcome: "answered",
      });
      return;
    }
    // Let requests already received be acknowledged before this one's work starts.
    await deps.acks.settled();
    await handle(deps, cmd.kind, listener.what, req, async () => {
      // Slack Connect first: another organisation's member may read, not change (by default).
      const external = await deps.guard.externalRefusal(
        who,
        verbChanges(cmd.kind) ? "act" : "read",
      );
      if (external) {
        await req.reply(external);
        return "external_refused";
      }
      return (await runGuards(deps, listener.guards, cmd, req)) ?? run(deps, cmd, req);
    });
  });
}
