/** The HTTP routes served beside Slack's and the health routes: the hires webhook and Descope's audit stream. */
import type { WebhookDeps } from "../features/hires/webhook.js";
import { AUDIT_HOOK_PATH, type AuditHookDeps, auditHookHandler } from "./audit-hook.js";
import type { ExtraRoute } from "./server.js";
import { WEBHOOK_PATH, webhookHandler } from "./webhook.js";

type RouteDeps = Omit<
  WebhookDeps,
  "secret" | "keys" | "followUp" | "graceMinutes" | "alertChannel"
> &
  Pick<AuditHookDeps, "index" | "tailState" | "log" | "now"> & {
    cfg: {
      SCIMWATCH_AUDIT_HOOK_TOKEN?: string | undefined;
      SCIMWATCH_WEBHOOK_SECRET?: string | undefined;
    };
    webhookKeys: WebhookDeps["keys"];
    metrics?: AuditHookDeps["metrics"];
    settings: { graceMinutes: number; alertChannel?: string | undefined };
  };

export function httpRoutes(
  s: RouteDeps,
  o: {
    /** After a stored push: ask for the notify step. */
    afterPush: () => Promise<void>;
    /** After a webhook registration: the checklists and the first evaluation. */
    followUp: Parameters<typeof webhookHandler>[0]["followUp"];
  },
): ExtraRoute[] {
  return [
    {
      path: AUDIT_HOOK_PATH,
      method: "POST",
      handler: auditHookHandler({
        token: s.cfg.SCIMWATCH_AUDIT_HOOK_TOKEN,
        index: s.index,
        tailState: s.tailState,
        log: s.log,
        now: s.now,
        afterPush: o.afterPush,
        ...(s.metrics ? { metrics: s.metrics } : {}),
      }),
    },
    {
      path: WEBHOOK_PATH,
      method: "POST",
      handler: webhookHandler({
        ...s,
        secret: s.cfg.SCIMWATCH_WEBHOOK_SECRET,
        keys: s.webhookKeys,
        followUp: o.followUp,
        graceMinutes: s.settings.graceMinutes,
        alertChannel: s.settings.alertChannel,
      }),
    },
  ];
}
