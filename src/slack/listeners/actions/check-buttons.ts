/** The buttons under a check's answer: Re-check, How to fix, Share in channel. */
import type { App } from "@slack/bolt";
import { parseIdp } from "../../../core/idp/catalog.js";
import { diagnosisMessage, howToFixMessage } from "../../../render/blocks.js";
import { ACTIONS, decodeCheckButton } from "../../../render/ids.js";
import { ANSWER_EXPIRED, scopedRefusal } from "../../../render/notices.js";
import { clickedValue, onAction } from "../../middleware.js";
import { runCheck } from "../commands/check.js";
import type { ListenerDeps } from "../types.js";

export function registerCheckButtons(app: App, deps: ListenerDeps): void {
  const { guard } = deps;

  app.action(
    ACTIONS.recheck,
    onAction(
      deps,
      "recheck",
      "The check",
      async ({ body }, req) => {
        const v = decodeCheckButton(clickedValue(body));
        if (!v) return "bad_value";
        return runCheck(deps, req, { loginId: v.l, tenant: v.t ?? undefined, idp: v.i });
      },
      { inPlace: true },
    ),
  );

  app.action(
    ACTIONS.howto,
    onAction(deps, "howto", "How to fix", async ({ body }, req) => {
      const v = decodeCheckButton(clickedValue(body));
      if (!v) return "bad_value";
      await guard.require(req.who);
      await req.reply(howToFixMessage(parseIdp(v.i) ?? "generic", v.l));
      return "shown";
    }),
  );

  app.action(
    ACTIONS.share,
    onAction(deps, "share", "Sharing", async ({ body }, req) => {
      const external = await guard.externalRefusal(req.who, "act");
      if (external) {
        await req.reply(external);
        return "external_refused";
      }
      const v = decodeCheckButton(clickedValue(body));
      if (!v) return "bad_value";
      const [access, answer] = await Promise.all([guard.require(req.who), deps.answers.get(v.a)]);
      if (!answer || answer.channelId !== req.who.channelId) {
        await req.reply(ANSWER_EXPIRED);
        return "expired";
      }
      if (access.kind === "tenant" && answer.diagnosis.tenantId !== access.tenantId) {
        await req.reply(scopedRefusal(access.tenantName));
        return "refused_other_tenant";
      }
      // Once, however many clicks: then the private copy loses its Share button.
      const shared = diagnosisMessage(answer.diagnosis, {
        answerId: v.a,
        sharedBy: req.who.userId,
      });
      if (!(await deps.answers.claimShare(v.a))) {
        await req.reply(shared, { replace: true });
        return "already_shared";
      }
      await req.reply(shared, { inChannel: true });
      await req.reply(shared, { replace: true });
      return "shared";
    }),
  );
}
