/**
 * The button on a SCIM key alert: an admin has Descope e-mail the customer's
 * IT admin an SSO Setup Suite link (where the SCIM key is renewed). Admins
 * only; the form asks for the e-mail (the confirmation); the answer shows in it.
 */
import type { App } from "@slack/bolt";
import { loginIdProblem } from "../../../core/login-id.js";
import { tenantLabel } from "../../../descope/tenants.js";
import { notice, resultModal } from "../../../render/blocks.js";
import { decodeSetupLink, INPUT_ACTION, KEY_ACTIONS, VIEWS } from "../../../render/ids.js";
import { esc } from "../../../render/mrkdwn.js";
import { failureMessage } from "../../../render/notices.js";
import { SETUP_LINK_BLOCK, setupLinkModal } from "../../../render/scim-keys.js";
import { clickedValue, onAction, onView } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

const ADMINS_ONLY = notice(
  ":lock: Only scimwatch admins can send a customer an SSO setup link (their Slack user IDs are in SCIMWATCH_ADMIN_USERS).",
  "Only scimwatch admins can send a customer an SSO setup link.",
);
const LINK_VALID_SEC = 24 * 3600;

export function registerKeyButtons(app: App, deps: ListenerDeps): void {
  app.action(
    KEY_ACTIONS.setupLink,
    onAction(deps, "key_setup_link", "The setup link", async ({ body, client }, req) => {
      const v = decodeSetupLink(clickedValue(body));
      if (!v) return "bad_value";
      if (!deps.guard.isAdmin(req.who.userId)) {
        await req.reply(ADMINS_ONLY);
        return "refused";
      }
      const tenant = (await deps.descope.listTenants()).find((t) => t.id === v.tenantId);
      if (!tenant) return "tenant_gone";
      await client.views.open({
        trigger_id: String((body as { trigger_id?: string }).trigger_id ?? ""),
        view: setupLinkModal(tenantLabel(tenant), clickedValue(body)),
      });
      return "form_opened";
    }),
  );

  app.view(
    VIEWS.setupLink,
    onView(
      deps,
      "key_setup_link_form",
      "The setup link",
      ({ body }) => ({ userId: body.user.id, channelId: "", teamId: body.user.team_id }),
      async ({ ack, view }, req) => {
        const v = decodeSetupLink(view.private_metadata);
        const values = view.state.values as Record<
          string,
          Record<string, { value?: string | null }>
        >;
        const email = (values[SETUP_LINK_BLOCK]?.[INPUT_ACTION]?.value ?? "").trim();
        const problem = !email ? "Give an e-mail address." : loginIdProblem(email);
        if (!v || problem || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
          await ack({
            response_action: "errors",
            errors: { [SETUP_LINK_BLOCK]: problem ?? "That is not an e-mail address." },
          });
          return "invalid";
        }
        if (!deps.guard.isAdmin(req.who.userId)) {
          await ack({
            response_action: "errors",
            errors: { [SETUP_LINK_BLOCK]: "Only scimwatch admins can send it." },
          });
          return "refused";
        }
        try {
          await deps.descope.generateSsoSetupLink(v.tenantId, {
            expireSec: LINK_VALID_SEC,
            email,
            ...(v.ssoId ? { ssoId: v.ssoId } : {}),
          });
          await ack({
            response_action: "update",
            view: resultModal(
              "scim_setup_link_result",
              "Setup link sent",
              notice(
                `:email: Descope e-mailed *${esc(email)}* a link to the tenant's SSO Setup Suite, valid 24 hours: there they can create a new SCIM key and paste it into their IdP.`,
                `Descope e-mailed ${email} an SSO setup link, valid 24 hours.`,
              ),
            ),
          });
          deps.log.info(
            { kind: "key_setup_link", tenant: v.tenantId, by: req.who.userId },
            "SSO setup link sent",
          );
          return "sent";
        } catch (e) {
          await ack({
            response_action: "update",
            view: resultModal(
              "scim_setup_link_result",
              "Setup link",
              failureMessage(e, "Sending the setup link"),
            ),
          });
          return "failed";
        }
      },
    ),
  );
}
