/**
 * POST /hooks/hires: expected hires from HR (or any automation), signed like
 * Slack's requests — `X-Scimwatch-Timestamp` (Unix seconds, within 5 minutes)
 * and `X-Scimwatch-Signature: sha256=<hex HMAC-SHA256 of "<ts>.<raw body>">`
 * with SCIMWATCH_WEBHOOK_SECRET, compared in constant time. Off (404) without
 * the secret. `Idempotency-Key`: the same key within 24 h returns the first
 * answer and registers nothing twice. Answers 200 only once the hires are in Redis.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import type { DescopeClient } from "../../descope/client.js";
import { resolveTenant } from "../../descope/tenants.js";
import type { Logger } from "../../log/logger.js";
import type { Keyer, RedisClient } from "../../redis/client.js";
import type { LinkStore } from "../../redis/links.js";
import { onboardingChannelFor } from "./alert-channel.js";
import { checkRows, registerIntake } from "./intake.js";
import { type RegisterDeps, registerHires } from "./register.js";

export const WEBHOOK_PATH = "/hooks/hires";
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_HIRES = 1000;
const SKEW_SEC = 5 * 60;
const IDEMPOTENCY_MS = 24 * 3_600_000;

const bodySchema = z.object({
  tenant: z.string().trim().min(1).max(200),
  hires: z
    .array(
      z.object({
        email: z.string(),
        name: z.string().max(200).optional(),
        startDate: z.string().optional(),
        assignedAt: z.string().optional(),
        idp: z.string().optional(),
      }),
    )
    .min(1),
  source: z.string().max(100).optional(),
});

/** Is the request signed with the secret, recently? Pure. */
export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  raw: Buffer,
  nowMs: number,
): "ok" | "stale" | "bad" {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return "bad";
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SKEW_SEC) return "stale";
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.`).update(raw).digest("hex")}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b) ? "ok" : "bad";
}

export interface WebhookDeps extends RegisterDeps {
  secret: string | undefined;
  redis: RedisClient;
  key: Keyer;
  links: LinkStore;
  log: Logger;
  descope: DescopeClient;
  alertChannel?: string | undefined;
}

type Answer = { status: number; body: Record<string, unknown> };

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Decides the answer to one webhook request. */
export async function hiresWebhook(
  deps: WebhookDeps,
  headers: IncomingMessage["headers"],
  raw: Buffer | null,
): Promise<Answer> {
  if (!deps.secret) return { status: 404, body: { error: "not found" } };
  if (raw === null) return { status: 413, body: { error: `body over ${MAX_BODY_BYTES} bytes` } };
  const h = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const sig = verifySignature(
    deps.secret,
    h("x-scimwatch-timestamp"),
    h("x-scimwatch-signature"),
    raw,
    deps.now(),
  );
  if (sig !== "ok")
    return {
      status: 401,
      body: {
        error:
          sig === "stale"
            ? "stale timestamp (more than 5 minutes off)"
            : "bad or missing signature",
      },
    };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { status: 400, body: { error: "the body is not JSON" } };
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return {
      status: 400,
      body: {
        error: `malformed body${i?.path.length ? ` at ${i.path.join(".")}` : ""}: ${i?.message ?? "invalid"}`,
      },
    };
  }
  const b = parsed.data;
  if (b.hires.length > MAX_HIRES)
    return { status: 413, body: { error: `more than ${MAX_HIRES} hires in one call` } };

  // Idempotency: the first answer is kept 24 h under the key; a replay gets it back.
  const idem = h("idempotency-key");
  const idemKey = idem
    ? deps.key("webhook", "idem", createHmac("sha256", "k").update(idem).digest("hex"))
    : null;
  if (idemKey) {
    const prior = await deps.redis.get(idemKey);
    if (prior === "pending")
      return { status: 409, body: { error: "a request with this Idempotency-Key is in progress" } };
    if (prior) return JSON.parse(prior) as Answer;
    if ((await deps.redis.set(idemKey, "pending", "PX", 60_000, "NX")) !== "OK")
      return { status: 409, body: { error: "a request with this Idempotency-Key is in progress" } };
  }
  try {
    const answer = await register(deps, b);
    if (idemKey) await deps.redis.set(idemKey, JSON.stringify(answer), "PX", IDEMPOTENCY_MS);
    return answer;
  } catch (e) {
    if (idemKey) await deps.redis.del(idemKey).catch(() => {});
    throw e;
  }
}

async function register(deps: WebhookDeps, b: z.infer<typeof bodySchema>): Promise<Answer> {
  const tenant = await resolveTenant(deps.descope, b.tenant);
  if (!tenant) return { status: 404, body: { error: `no tenant has the ID or name ${b.tenant}` } };
  const now = deps.now();
  const intake = checkRows(b.hires, now);
  if (!intake.emails.length)
    return { status: 200, body: { registered: 0, rejected: intake.rejected } };
  // The tenant's onboarding channel, else its linked channel, else the alert channel.
  const channelId =
    (await onboardingChannelFor(deps.links, tenant.tenantId, deps.alertChannel)) ?? "";
  const r = await registerIntake(intake, (emails) =>
    registerHires(deps, {
      ...tenant,
      emails,
      idp: intake.idp,
      assignedAt: now,
      channelId,
      userId: `webhook${b.source ? `:${b.source}` : ""}`,
      details: intake.details,
    }),
  );
  deps.log.info({
    kind: "webhook_hires",
    tenant: tenant.tenantId,
    registered: r.registered,
    rejected: r.rejected.length,
  });
  return {
    status: 200,
    body: { registered: r.registered, rejected: r.rejected },
  };
}

/** The HTTP handler: reads the body (at most 1 MiB), answers JSON, never a stack. */
export function webhookHandler(deps: WebhookDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let a: Answer;
    try {
      a = await hiresWebhook(deps, req.headers, await readBody(req));
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
