/** The buttons on checklists and alerts: mark assigned, re-check, snooze, dismiss. */

import type { App } from "@slack/bolt";
import { hireState } from "../../../core/hires/state.js";
import { evaluateAll } from "../../../features/hires/evaluate-all.js";
import { refreshChecklist } from "../../../features/hires/evaluator.js";
import { dismissedAlertMessage, snoozedAlertMessage } from "../../../render/hires.js";
import { decodeMarkAssigned, HIRE_ACTIONS } from "../../../render/ids.js";
import { hireRecheckMessage, NO_ACCESS } from "../../../render/notices.js";
import type { Who } from "../../guard.js";
import { clickedValue, onAction, type Request } from "../../middleware.js";
import type { ListenerDeps } from "../types.js";

export function registerHireButtons(app: App, deps: ListenerDeps): void {
  const { guard } = deps;
  const grace = deps.settings.graceMinutes;

  /** Ticks "assigned in the IdP" for the hires this person may act on, then redraws the checklist. */
  async function markAssigned(req: Request, ids: string[], batchId: string): Promise<string> {
    const who: Who = req.who;
    const external = await guard.externalRefusal(who, "act");
    if (external) {
      await req.reply(external);
      return "external_refused";
    }
    const now = deps.now();
    let marked = 0;
    for (const id of ids) {
      if (!(await guard.hireFor(who, id))) continue;
      const h = await deps.hires.update(id, (x) =>
        x.items.assigned.at
          ? null
          : { ...x, items: { ...x.items, assigned: { at: now, by: "it" } } },
      );
      if (h) marked++;
    }
    await refreshChecklist({ ...deps, graceMinutes: grace }, batchId, now);
    return `marked_${marked}`;
  }

  app.action(
    HIRE_ACTIONS.markAllAssigned,
    onAction(deps, "mark_assigned", "Marking as assigned", async ({ body }, req) => {
      const batch = await deps.hires.getBatch(clickedValue(body));
      if (!batch) return "no_batch";
      return markAssigned(req, batch.hireIds, batch.id);
    }),
  );

  app.action(
    HIRE_ACTIONS.markAssigned,
    onAction(deps, "mark_assigned", "Marking as assigned", async ({ body }, req) => {
      const { batchId, matches } = decodeMarkAssigned(clickedValue(body));
      const batch = await deps.hires.getBatch(batchId);
      if (!batch) return "no_batch";
      const records = await deps.hires.getMany(batch.hireIds);
      const ids = records.filter((r) => matches(r.hire.loginId)).map((r) => r.id);
      return markAssigned(req, ids, batch.id);
    }),
  );

  /** A button on one hire's alert: only for someone who may act on that hire. */
  const onHire = (
    action: string,
    kind: string,
    what: string,
    run: (id: string, req: Request) => Promise<string>,
    /** Re-check only reads; snooze and dismiss change the alert. */
    what2: "read" | "act" = "act",
  ) =>
    app.action(
      action,
      onAction(deps, kind, what, async ({ body }, req) => {
        const external = await guard.externalRefusal(req.who, what2);
        if (external) {
          await req.reply(external);
          return "external_refused";
        }
        const id = clickedValue(body);
        if (!(await guard.hireFor(req.who, id))) {
          await req.reply(NO_ACCESS);
          return "denied";
        }
        return run(id, req);
      }),
    );

  onHire(
    HIRE_ACTIONS.recheck,
    "hire_recheck",
    "Re-checking",
    async (id, req) => {
      await evaluateAll(deps, [id]);
      const h = await deps.hires.get(id);
      const arrived = Boolean(h && hireState(h, deps.now(), grace).hire.items.provisioned.at);
      await req.reply(hireRecheckMessage(h?.loginId ?? "", arrived));
      return arrived ? "arrived" : "missing";
    },
    "read",
  );

  onHire(HIRE_ACTIONS.snooze, "hire_snooze", "Snoozing", async (id, req) => {
    const until = deps.now() + 3_600_000;
    const h = await deps.hires.update(id, (x) => ({ ...x, snoozedUntil: until }));
    if (h)
      await req.reply(snoozedAlertMessage(hireState(h, deps.now(), grace), id, until), {
        replace: true,
      });
    return "snoozed";
  });

  onHire(HIRE_ACTIONS.dismiss, "hire_dismiss", "Dismissing", async (id, req) => {
    const h = await deps.hires.update(id, (x) => ({ ...x, dismissed: true }));
    if (h) await req.reply(dismissedAlertMessage(h, req.who.userId), { replace: true });
    return "dismissed";
  });
}
