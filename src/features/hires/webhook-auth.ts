/**
 * Who signed a hires-webhook request, and whether it was seen before: the
 * HMAC check (constant time) against a tenant's key or the shared secret, and
 * the Idempotency-Key claim (per signer, bound to the body's hash).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import type { OnceStore } from "../../redis/once-store.js";
import type { WebhookSecretStore } from "../../redis/webhook-secrets.js";

const SKEW_SEC = 5 * 60;
export const PENDING_MS = 60_000;

export type Answer = { status: number; body: Record<string, unknown> };

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

/** Who signed a request: the shared secret (any tenant) or one tenant's key. */
export type Signer =
  | { scope: "all"; id: "shared" }
  | { scope: "tenant"; id: string; tenantId: string };

export interface SignerDeps {
  /** SCIMWATCH_WEBHOOK_SECRET: the operator's own integration, every tenant. */
  secret: string | undefined;
  /** Per-tenant secrets (/scim webhook <tenant>). */
  keys: WebhookSecretStore;
  now: () => number;
}

/** The body as text: a UTF-8 byte-order mark (some HR tools send one) is not part of the JSON. */
export function bodyText(raw: Buffer): string {
  return raw.toString("utf8").replace(/^\uFEFF/, "");
}

/** The tenant a body names, for finding its key when no key ID was sent. */
function namedTenant(raw: Buffer): string | undefined {
  try {
    const t = (JSON.parse(bodyText(raw)) as { tenant?: unknown } | null)?.tenant;
    return typeof t === "string" && t.trim() ? t.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the signature against the key the request names, else the shared secret, else the named tenant's key. */
export async function whoSigned(
  deps: SignerDeps,
  h: (n: string) => string | undefined,
  raw: Buffer,
): Promise<Signer | { refused: Answer }> {
  const ts = h("x-scimwatch-timestamp");
  const sig = h("x-scimwatch-signature");
  const check = (secret: string) => verifySignature(secret, ts, sig, raw, deps.now());
  const refuse = (why: "stale" | "bad"): { refused: Answer } => ({
    refused: {
      status: 401,
      body: {
        error:
          why === "stale"
            ? "stale timestamp (more than 5 minutes off)"
            : "bad or missing signature",
      },
    },
  });
  const kid = h("x-scimwatch-key-id");
  if (kid) {
    const k = await deps.keys.byKeyId(kid.trim());
    if (!k) return { refused: { status: 401, body: { error: "unknown or revoked key ID" } } };
    const r = check(k.secret);
    return r === "ok" ? { scope: "tenant", id: k.key.kid, tenantId: k.key.tenantId } : refuse(r);
  }
  let last: "stale" | "bad" = "bad";
  if (deps.secret) {
    const r = check(deps.secret);
    if (r === "ok") return { scope: "all", id: "shared" };
    last = r;
  }
  const named = namedTenant(raw);
  const k = named ? await deps.keys.byTenant(named) : null;
  if (k) {
    const r = check(k.secret);
    if (r === "ok") return { scope: "tenant", id: k.key.kid, tenantId: k.key.tenantId };
    last = r === "stale" ? r : last;
  }
  return refuse(last);
}

const storedSchema = z.object({
  hash: z.string(),
  answer: z.object({ status: z.number(), body: z.record(z.string(), z.unknown()) }),
});

/** Null when this request may go ahead; otherwise the answer (a replay, in progress, or another body). */
export async function claimIdempotency(
  once: OnceStore,
  name: string,
  bodyHash: string,
): Promise<Answer | null> {
  const inProgress = {
    status: 409,
    body: { error: "a request with this Idempotency-Key is in progress" },
  };
  const otherBody = {
    status: 422,
    body: { error: "this Idempotency-Key was used with another body: use a new key" },
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await once.claim(name, PENDING_MS, `pending:${bodyHash}`)) return null;
    const prior = await once.get(name);
    if (prior === null) continue;
    if (prior.startsWith("pending:"))
      return prior === `pending:${bodyHash}` ? inProgress : otherBody;
    let stored: z.infer<typeof storedSchema> | null = null;
    try {
      const p = storedSchema.safeParse(JSON.parse(prior));
      stored = p.success ? p.data : null;
    } catch {
      stored = null;
    }
    if (!stored) return inProgress;
    return stored.hash === bodyHash ? stored.answer : otherBody;
  }
  return inProgress;
}
