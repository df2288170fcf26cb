/** POST /hooks/hires over HTTP: reads the body (at most 1 MiB), answers JSON, never a stack. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { hiresWebhook, MAX_BODY_BYTES, type WebhookDeps } from "../features/hires/webhook.js";
import type { Answer } from "../features/hires/webhook-auth.js";
import { readBodyUpTo } from "./body.js";

export const WEBHOOK_PATH = "/hooks/hires";

export function webhookHandler(deps: WebhookDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let a: Answer;
    try {
      a = await hiresWebhook(deps, req.headers, await readBodyUpTo(req, MAX_BODY_BYTES));
    } catch (e) {
      deps.log.error({ kind: "webhook_hires", err: e }, "webhook failed");
      a = {
        status: 503,
        body: {
          error:
            "scimwatch could not register the hires right now; retry (with the same Idempotency-Key)",
        },
      };
    }
    res.writeHead(a.status, { "content-type": "application/json" });
    res.end(JSON.stringify(a.body));
  };
}
