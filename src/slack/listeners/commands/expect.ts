/** `/scim expect <emails> <tenant> [idp=…] [at=…]`, or the expect form when given nothing. */
import { parseExpectArgs } from "../../../core/hires/parse-expect.js";
import { tenantChoices } from "../../../descope/tenants.js";
import { registerHires } from "../../../features/hires/register.js";
import { notice } from "../../../render/blocks.js";
import { expectModal } from "../../../render/forms.js";
import { esc } from "../../../render/mrkdwn.js";
import { registeredMessage, WORKING } from "../../../render/notices.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";

export const expect: CommandListener<Extract<ScimCommand, { kind: "expect" }>> = {
  ack: (cmd) => (cmd.words.length ? WORKING.registering : undefined),
  what: "Registering",
  async run(deps, cmd, req) {
    const access = await deps.guard.require(req.who);
    if (!cmd.words.length) {
      const fixed =
        access.kind === "tenant" ? { id: access.tenantId, name: access.tenantName } : undefined;
      const tenants = fixed ? [] : await tenantChoices(deps.descope);
      await req.client.views.open({
        trigger_id: req.triggerId,
        view: expectModal({
          channelId: req.who.channelId,
          tenants,
          ...(fixed ? { fixedTenant: fixed } : {}),
        }),
      });
      return "form_opened";
    }
    const parsed = parseExpectArgs(cmd.words, deps.now());
    if ("error" in parsed) {
      await req.reply(notice(`:warning: ${esc(parsed.error)}`, parsed.error));
      return "usage";
    }
    const target = await deps.guard.tenantFor(
      access,
      parsed.tenant,
      "Which tenant? `/scim expect <email> [<email> …] <tenant> [idp=…] [at=…] [start=<date>]`",
    );
    if (!target || "refusal" in target) {
      if (target) await req.reply(target.refusal);
      return "refused";
    }
    if (!parsed.emails.length) {
      await req.reply(
        registeredMessage(
          { registered: [], rejected: parsed.rejected, idp: { name: "", reason: "" }, dueAt: 0 },
          target.tenantName,
        ),
      );
      return "nothing_valid";
    }
    const r = await registerHires(
      { ...deps, graceMinutes: deps.settings.graceMinutes },
      {
        ...target,
        emails: parsed.emails,
        idp: parsed.idp,
        startDate: parsed.startDate,
        assignedAt: parsed.assignedAt,
        channelId: req.who.channelId,
        userId: req.who.userId,
      },
    );
    r.rejected.unshift(...parsed.rejected);
    await req.reply(registeredMessage(r, target.tenantName));
    return `registered_${r.registered.length}_rejected_${r.rejected.length}`;
  },
};
