/** The Okta write-access form: admins only; the token must read the connected app; sealed and stored, never echoed. */
import type { App } from "@slack/bolt";
import { ConnectorError } from "../../../connectors/entra-http.js";
import { OktaHttp } from "../../../connectors/okta-http.js";
import { oktaWriteSealContext } from "../../../redis/connections.js";
import { OKTA_WRITE_BLOCK } from "../../../render/actions.js";
import { INPUT_ACTION, VIEWS } from "../../../render/ids.js";
import { onView } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

type Values = Record<string, Record<string, { value?: string | null }>>;

export function registerOktaWriteForm(app: App, deps: ListenerDeps): void {
  app.view(
    VIEWS.oktaWrite,
    onView(
      deps,
      "okta_write",
      "Okta write access",
      ({ body }) => ({ userId: body.user.id, channelId: "", teamId: body.user.team_id }),
      async ({ ack, view }, req) => {
        const token = (
          (view.state.values as Values)[OKTA_WRITE_BLOCK]?.[INPUT_ACTION]?.value ?? ""
        ).trim();
        const fail = (m: string) =>
          ack({ response_action: "errors", errors: { [OKTA_WRITE_BLOCK]: m } });
        if (!deps.guard.isAdmin(req.who.userId)) {
          await fail("Only scimwatch admins can grant write access.");
          return "refused";
        }
        const c = await deps.connections.get(view.private_metadata);
        if (c?.idp !== "okta" || !deps.secretBox) {
          await fail("This tenant has no Okta connection, or SCIMWATCH_SECRETS_KEY is not set.");
          return "not_connected";
        }
        if (!token) {
          await fail("Paste the write token.");
          return "usage";
        }
        try {
          // The token must at least read the connected app; its write permission is tried by the first approved call.
          const found = await new OktaHttp(c.oktaUrl, token, deps.egress).get(
            `/api/v1/apps/${encodeURIComponent(c.appId)}`,
          );
          if (!found) {
            await fail(`This token cannot see ${c.appName} in ${c.oktaUrl}.`);
            return "app_not_visible";
          }
        } catch (e) {
          await fail(
            e instanceof ConnectorError ? e.message : "Okta could not be read with this token.",
          );
          return "refused_by_okta";
        }
        await deps.connections.update(c, {
          writeSealed: deps.secretBox.seal(token, oktaWriteSealContext(c)),
        });
        await ack({ response_action: "clear" });
        return "granted";
      },
    ),
  );
}
