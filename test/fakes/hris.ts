/**
 * An HR system calling scimwatch's webhook: the headers of a signed
 * `POST /hooks/hires` (X-Scimwatch-Timestamp, and X-Scimwatch-Signature =
 * sha256=HMAC-SHA256 of "<timestamp>.<raw body>"), for tests and the benchmark.
 */
import { createHmac } from "node:crypto";

export function webhookHeaders(
  secret: string,
  body: string,
  o: { ts?: number; key?: string } = {},
): Record<string, string> {
  const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
  const sig = `sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
  return {
    "content-type": "application/json",
    "x-scimwatch-timestamp": ts,
    "x-scimwatch-signature": sig,
    ...(o.key ? { "idempotency-key": o.key } : {}),
  };
}
