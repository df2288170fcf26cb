/**
 * POST /hooks/hires: expected hires from HR (or any automation). Signed with
 * HMAC-SHA256 over "<timestamp>.<raw body>" (`X-Scimwatch-Timestamp`, Unix
 * seconds within 5 minutes; `X-Scimwatch-Signature: sha256=<hex>`), compared
 * in constant time, with either
 * - a tenant's own secret (`/scim webhook <tenant>`, sent with its
 *   `X-Scimwatch-Key-Id`): it reaches that tenant only, and a `tenant` field,
 *   if given, must name it (403 otherwise); or
 * - SCIMWATCH_WEBHOOK_SECRET, the operator's own integration serving every
 *   tenant, named by the `tenant` field.
 * Off (404) when neither exists. An unknown tenant is 422, never echoed.
 * `Idempotency-Key` (per signing key): the same key within 24 h returns the
 * first answer and registers nothing twice; the same key with another body is
 * 422. Answered as soon as the hires are stored, never after Slack or
 * Descope's user search: the checklists and the first evaluation follow in
 * the background (a crash before them is caught up by the next evaluation).
 */
import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import * as z from "zod";
import { UnknownTenantError } from "../../core/failure.js";
import { checkLeaverRows } from "../../core/leavers/intake.js";
import type { DescopeClient } from "../../descope/client.js";
import { resolveTenant } from "../../descope/tenants.js";
import type { Logger } from "../../log/logger.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import type { LeaverDeps } from "../leavers/evaluate.js";
import { registerLeavers } from "../leavers/register.js";
import { onboardingChannelFor } from "./alert-channel.js";
import { checkRows, registerIntake } from "./intake.js";
import { type RegisterDeps, registerHires } from "./register.js";
import {
  type Answer,
  bodyText,
  claimIdempotency,
  PENDING_MS,
  type Signer,
  type SignerDeps,
  whoSigned,
} from "./webhook-auth.js";

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_HIRES = 1000;
const IDEMPOTENCY_MS = 24 * 3_600_000;

const bodySchema = z
  .object({
    tenant: z.string().trim().min(1).max(200).optional(),
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
      .optional(),
    /** People leaving: beside or instead of hires (same signature, idempotency and limits). */
    leavers: z
      .array(
        z.object({
          email: z.string(),
          name: z.string().max(200).optional(),
          lastDay: z.string().optional(),
        }),
      )
      .optional(),
    source: z.string().max(100).optional(),
  })
  .refine((b) => (b.hires?.length ?? 0) + (b.leavers?.length ?? 0) > 0, {
    message: "hires or leavers: at least one person",
    path: ["hires"],
  });

export interface WebhookDeps extends RegisterDeps, SignerDeps {
  /** Leavers (a `leavers` array): their store and what decides them. */
  leaver?: LeaverDeps;
  once: OnceStore;
  links: LinkStore;
  log: Logger;
  descope: DescopeClient;
  alertChannel?: string | undefined;
}

/** Decides the answer to one webhook request. */
export async function hiresWebhook(
  deps: WebhookDeps,
  headers: IncomingMessage["headers"],
  raw: Buffer | null,
): Promise<Answer> {
  if (!deps.secret && !(await deps.keys.any()))
    return { status: 404, body: { error: "not found" } };
  if (raw === null) return { status: 413, body: { error: `body over ${MAX_BODY_BYTES} bytes` } };
  const h = (n: string) => {
    const v = headers[n];
    return Array.isArray(v) ? v[0] : v;
  };
  const signer = await whoSigned(deps, h, raw);
  if ("refused" in signer) return signer.refused;
  let json: unknown;
  try {
    json = JSON.parse(bodyText(raw));
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
  if ((b.hires?.length ?? 0) > MAX_HIRES || (b.leavers?.length ?? 0) > MAX_HIRES)
    return {
      status: 413,
      body: { error: `more than ${MAX_HIRES} hires (or leavers) in one call` },
    };
  if (signer.scope === "all" && !b.tenant)
    return {
      status: 400,
      body: { error: "malformed body at tenant: required when signed with the shared secret" },
    };

  // Idempotency, per signing key: the first answer is kept 24 h; a replay gets it back.
  const idem = h("idempotency-key");
  const idemKey = idem
    ? `webhook-idem:${createHmac("sha256", "k").update(`${signer.id}\n${idem}`).digest("hex")}`
    : null;
  const bodyHash = createHash("sha256").update(raw).digest("hex");
  if (idemKey) {
    const claimed = await claimIdempotency(deps.once, idemKey, bodyHash);
    if (claimed) return claimed;
  }
  // Kept alive while the hires are stored, so a slow registration is never told "rejected".
  const alive = idemKey
    ? setInterval(() => void deps.once.extend(idemKey, PENDING_MS).catch(() => {}), PENDING_MS / 3)
    : undefined;
  try {
    const answer = await register(deps, b, signer);
    if (idemKey)
      await deps.once.confirm(idemKey, IDEMPOTENCY_MS, JSON.stringify({ hash: bodyHash, answer }));
    return answer;
  } catch (e) {
    if (idemKey) await deps.once.release(idemKey).catch(() => {});
    throw e;
  } finally {
    clearInterval(alive);
  }
}

async function register(
  deps: WebhookDeps,
  b: z.infer<typeof bodySchema>,
  signer: Signer,
): Promise<Answer> {
  // Unknown tenants are answered without a name or a suggestion: nobody learns other tenants here.
  const known = (idOrName: string) =>
    resolveTenant(deps.descope, idOrName).catch((e: unknown) => {
      if (e instanceof UnknownTenantError) return null;
      throw e;
    });
  if (signer.scope === "tenant" && b.tenant) {
    const named = await known(b.tenant);
    if (named?.tenantId !== signer.tenantId)
      return { status: 403, body: { error: "this key registers hires for its own tenant only" } };
  }
  const tenant = await known(signer.scope === "tenant" ? signer.tenantId : (b.tenant as string));
  if (!tenant)
    return { status: 422, body: { error: "no tenant matches the tenant field (an ID or a name)" } };
  const now = deps.now();
  const intake = checkRows(b.hires ?? [], now);
  // The tenant's onboarding channel, else its linked channel, else the alert channel.
  const channelId = await onboardingChannelFor(deps.links, tenant.tenantId, deps.alertChannel);
  const leavers = b.leavers
    ? await registerLeaverRows(deps, b.leavers, tenant, channelId, b.source)
    : undefined;
  if (!intake.emails.length)
    return {
      status: 200,
      body: { registered: 0, rejected: intake.rejected, ...(leavers ? { leavers } : {}) },
    };
  const r = await registerIntake(intake, (emails) =>
    registerHires(deps, {
      ...tenant,
      emails,
      assignedAt: now,
      channelId: channelId ?? "",
      userId: `webhook${b.source ? `:${b.source}` : ""}`,
      details: intake.details,
    }),
  );
  deps.log.info({
    kind: "webhook_hires",
    tenant: tenant.tenantId,
    registered: r.registered,
    rejected: r.rejected.length,
    signer: signer.scope,
  });
  return {
    status: 200,
    body: {
      registered: r.registered,
      rejected: r.rejected,
      ...(leavers ? { leavers } : {}),
      ...(channelId
        ? {}
        : {
            warning:
              "registered, but no channel receives this tenant's checklists or alerts: link one (/scim link <tenant> in a channel) or set SCIMWATCH_ALERT_CHANNEL",
          }),
    },
  };
}

/** The call's leavers: checked, stored, answered at once (their checklists follow in the background). */
async function registerLeaverRows(
  deps: WebhookDeps,
  rows: Array<{ email: string; name?: string | undefined; lastDay?: string | undefined }>,
  tenant: { tenantId: string; tenantName: string },
  channelId: string | undefined,
  source: string | undefined,
): Promise<{
  registered: number;
  already: number;
  rejected: Array<{ input: string; reason: string }>;
}> {
  const intake = checkLeaverRows(rows, deps.now());
  if (!deps.leaver || !intake.leavers.length)
    return { registered: 0, already: 0, rejected: intake.rejected };
  const r = await registerLeavers(
    deps.leaver,
    {
      ...tenant,
      leavers: intake.leavers,
      channelId: channelId ?? "",
      registeredBy: `webhook${source ? `:${source}` : ""}`,
      source: "webhook",
    },
    { background: true },
  );
  deps.log.info({
    kind: "webhook_leavers",
    tenant: tenant.tenantId,
    registered: r.registered.length,
  });
  return { registered: r.registered.length, already: r.already.length, rejected: intake.rejected };
}
