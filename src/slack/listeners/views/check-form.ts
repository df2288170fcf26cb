/**
 * The App Home's "Check a user" form (admins): the same check as `/scim
 * check`, its answer shown in the form, since App Home is no channel.
 */
import type { App } from "@slack/bolt";
import { loginIdProblem } from "../../../core/login-id.js";
import {
  diagnosisMessage,
  resultModal,
  type SlackMessage,
  section,
} from "../../../render/blocks.js";
import { CHECK_BLOCKS } from "../../../render/forms.js";
import { INPUT_ACTION, VIEWS } from "../../../render/ids.js";
import { failureMessage, WORKING } from "../../../render/notices.js";
import { onView } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

type Values = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

export function registerCheckForm(app: App, deps: ListenerDeps): void {
  app.view(
    VIEWS.check,
    onView(
      deps,
      "check_form",
      "The check",
      ({ body }) => ({ userId: body.user.id, channelId: "" }),
      async ({ ack, body, view: v, client }, req) => {
        const values = v.state.values as Values;
        const loginId = (values[CHECK_BLOCKS.loginId]?.[INPUT_ACTION]?.value ?? "").trim();
        const tenant = (values[CHECK_BLOCKS.tenant]?.[INPUT_ACTION]?.value ?? "").trim();
        const problem = loginId ? loginIdProblem(loginId) : "Give a login ID.";
        if (problem) {
          await ack({ response_action: "errors", errors: { [CHECK_BLOCKS.loginId]: problem } });
          return "invalid";
        }
        if (!deps.guard.isAdmin(req.who.userId)) {
          await ack({
            response_action: "errors",
            errors: { [CHECK_BLOCKS.loginId]: "Only scimwatch admins can check from App Home." },
          });
          return "refused";
        }
        const working = WORKING.check(loginId);
        await ack({
          response_action: "update",
          view: resultModal(VIEWS.check, "Check a user", {
            ...working,
            blocks: [section(working.text)],
          }),
        });
        const show = (msg: SlackMessage) =>
          client.views
            .update({ view_id: body.view.id, view: resultModal(VIEWS.check, "Check a user", msg) })
            .catch((e: unknown) => deps.log.warn({ err: e }, "could not show the check"));
        try {
          const access = await deps.guard.require(req.who);
          const d = await deps.checks.check({ loginId, ...(tenant ? { tenant } : {}) }, access);
          await show(diagnosisMessage(d, { answerId: "", withActions: false }));
          return d.verdict;
        } catch (e) {
          await show(failureMessage(e, "The check"));
          throw e;
        }
      },
    ),
  );
}
