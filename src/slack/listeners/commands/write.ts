/** `/scim write <tenant> on|off` (admins): the opt-in write grant for fix-it actions, verified before it is kept. */
import { ConnectorError } from "../../../connectors/entra-http.js";
import { oktaWriteModal } from "../../../render/actions.js";
import { notice } from "../../../render/blocks.js";
import { esc } from "../../../render/mrkdwn.js";
import type { ScimCommand } from "../../parse.js";
import type { CommandListener } from "../types.js";
import { adminOnTenant, targetOf } from "./guards.js";

const say = (m: string, plain: string) => notice(m, plain);

export const write: CommandListener<Extract<ScimCommand, { kind: "write" }>> = {
  what: "Write access",
  guards: adminOnTenant(
    say(
      ":lock: Only scimwatch admins can grant write access (SCIMWATCH_ADMIN_USERS).",
      "Only scimwatch admins can grant write access.",
    ),
  ),
  async run(deps, cmd, req) {
    const target = targetOf(req);
    const c = await deps.connections.get(target.tenantId);
    const name = esc(target.tenantName);
    if (!c) {
      await req.reply(
        say(
          `*${name}* has no IdP connection: connect it first (\`/scim connect ${name} entra|okta\`).`,
          "No IdP connection.",
        ),
      );
      return "not_connected";
    }
    if (c.idp === "okta") {
      if (!cmd.on) {
        await deps.connections.update(c, { writeSealed: null });
        await req.reply(
          say(
            `Write access for *${name}* is off: the Okta write token is forgotten.`,
            "Write access off.",
          ),
        );
        return "off";
      }
      // The write token is pasted in a form, never in the channel.
      await req.client.views.open({
        trigger_id: req.triggerId,
        view: oktaWriteModal(c.tenantId, target.tenantName),
      });
      return "form_opened";
    }
    if (!cmd.on) {
      await deps.connections.update(c, { write: false });
      await req.reply(
        say(
          `Write access for *${name}* is off: no fix-it action can be asked.`,
          "Write access off.",
        ),
      );
      return "off";
    }
    const w = deps.action?.entraWrite;
    if (!w) {
      await req.reply(
        say(
          "scimwatch has no write app: set ENTRA_WRITE_CLIENT_ID and ENTRA_WRITE_CLIENT_SECRET (a second Entra app with Synchronization.ReadWrite.All), then try again.",
          "No write app configured.",
        ),
      );
      return "no_write_app";
    }
    try {
      await w.token(c.entraTenant);
    } catch (e) {
      const msg = e instanceof ConnectorError ? e.message : String(e);
      await req.reply(
        say(
          `Write access for *${name}* is not granted yet: ${esc(msg)}\n*Once, by the customer's Entra admin:* <${w.consentUrl(c.entraTenant)}|grant the write app's permission (Synchronization.ReadWrite.All)>, then run \`/scim write ${name} on\` again.`,
          "Write access not granted yet.",
        ),
      );
      return "consent_missing";
    }
    await deps.connections.update(c, { write: true });
    await req.reply(
      say(
        `Write access for *${name}* is on: answers offer *Push now* and *Restart the job* where they fit; each call needs an approver (SCIMWATCH_APPROVERS), never the requester.`,
        "Write access on.",
      ),
    );
    return "on";
  },
};
