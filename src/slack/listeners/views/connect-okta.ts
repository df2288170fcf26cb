/**
 * The Okta connection form: checked before it closes (admin, an https org
 * URL, an API token or a service app's client ID and private key), then
 * verified against Okta (the app exists, the credentials read it), sealed
 * with SCIMWATCH_SECRETS_KEY and stored; the outcome shows in the form.
 * Secrets are never logged, echoed or stored in clear.
 */
import type { App } from "@slack/bolt";
import { ConnectorError } from "../../../connectors/entra-http.js";
import { oktaPrivateKey } from "../../../connectors/okta-oauth.js";
import { connectOkta } from "../../../features/connections/connect.js";
import { urlProblem } from "../../../net/egress.js";
import type { SlackMessage } from "../../../render/blocks.js";
import { notice } from "../../../render/blocks.js";
import { connectResultModal, oktaConnectedMessage } from "../../../render/connections.js";
import { decodeConnectMeta, INPUT_ACTION, OKTA_BLOCKS, VIEWS } from "../../../render/ids.js";
import { failureMessage } from "../../../render/notices.js";
import { formSubmitter, onView } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

type Values = Record<string, Record<string, { value?: string | null }>>;

export function registerOktaConnectForm(app: App, deps: ListenerDeps): void {
  app.view(
    VIEWS.connectOkta,
    onView(
      deps,
      "connect_okta",
      "Connecting Okta",
      formSubmitter(decodeConnectMeta),
      async ({ ack, body, view: v, client }, req) => {
        const values = v.state.values as Values;
        const value = (b: string) => (values[b]?.[INPUT_ACTION]?.value ?? "").trim();
        const url = value(OKTA_BLOCKS.url).replace(/\/+$/, "");
        const appName = value(OKTA_BLOCKS.app);
        const token = value(OKTA_BLOCKS.token);
        const clientId = value(OKTA_BLOCKS.clientId);
        const privateKey = value(OKTA_BLOCKS.privateKey);
        const oauth = Boolean(clientId || privateKey);
        const meta = decodeConnectMeta(body.view.private_metadata);
        const errors: Record<string, string> = {};
        // https to a public address only (net/egress.ts); the addresses a name resolves to
        // are checked again on every request.
        const urlBad = /^https?:\/\/[\w.:[\]-]+$/.test(url) ? urlProblem(url, deps.egress) : "no";
        if (urlBad)
          errors[OKTA_BLOCKS.url] =
            urlBad === "no"
              ? "Give the org's https URL, e.g. https://acme.okta.com"
              : `Give the org's https URL, e.g. https://acme.okta.com: ${urlBad}`;
        if (!appName) errors[OKTA_BLOCKS.app] = "Name the app (its label) or give its ID (0oa…).";
        if (oauth && token)
          errors[OKTA_BLOCKS.token] = "Give an API token or a service app, not both.";
        else if (!oauth && !token)
          errors[OKTA_BLOCKS.token] = "Paste a read-only API token (or a service app below).";
        if (oauth && !clientId) errors[OKTA_BLOCKS.clientId] = "Give the service app's client ID.";
        if (oauth && !privateKey)
          errors[OKTA_BLOCKS.privateKey] = "Paste the service app's private key (PEM or JWK).";
        if (oauth && privateKey) {
          try {
            oktaPrivateKey(privateKey);
          } catch (e) {
            errors[OKTA_BLOCKS.privateKey] = (e as Error).message;
          }
        }
        if (!deps.guard.isAdmin(req.who.userId))
          errors[OKTA_BLOCKS.url] = "Only scimwatch admins can connect an IdP.";
        if (!deps.secretBox)
          errors[OKTA_BLOCKS.token] = "SCIMWATCH_SECRETS_KEY is not set: nothing can be stored.";
        if (!meta) errors[OKTA_BLOCKS.url] = "This form has expired: run /scim connect again.";
        if (Object.keys(errors).length || !meta || !deps.secretBox) {
          await ack({ response_action: "errors", errors });
          return "invalid";
        }
        await ack({
          response_action: "update",
          view: connectResultModal(
            notice(":hourglass_flowing_sand: Checking with Okta…", "Checking with Okta…"),
          ),
        });
        const show = (msg: SlackMessage) =>
          client.views
            .update({ view_id: body.view.id, view: connectResultModal(msg) })
            .catch((e: unknown) => deps.log.warn({ err: e }, "could not show the connect result"));
        try {
          const secretBox = deps.secretBox;
          const found = await connectOkta(
            { ...deps, secretBox },
            {
              ...meta,
              url,
              app: appName,
              ...(oauth ? { oauth: { clientId, privateKey } } : { token }),
              by: req.who.userId,
            },
          );
          if (!found) {
            await show(
              oktaConnectedMessage({
                tenantName: meta.tenantName,
                oktaUrl: url,
                app: null,
                problem: `no Okta app labelled or with ID ${appName}`,
              }),
            );
            return "app_not_found";
          }
          await show(
            oktaConnectedMessage({
              tenantName: meta.tenantName,
              oktaUrl: url,
              app: found.label,
              problem: null,
            }),
          );
          return "connected";
        } catch (e) {
          await show(
            e instanceof ConnectorError
              ? oktaConnectedMessage({
                  tenantName: meta.tenantName,
                  oktaUrl: url,
                  app: null,
                  problem: e.message,
                })
              : failureMessage(e, "Connecting Okta"),
          );
          if (e instanceof ConnectorError) return e.problem;
          throw e;
        }
      },
    ),
  );
}
