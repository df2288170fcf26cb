/**
 * Secrets at rest (an Okta API token or private key, a tenant's webhook
 * secret): AES-256-GCM with SCIMWATCH_SECRETS_KEY (32 random bytes, base64).
 *
 * Stored as "v2:<key ID>:<iv>:<tag>:<ciphertext>" (base64 parts). Each seal is
 * bound to what it belongs to (associated data: the tenant, the URL it may be
 * sent to, the auth kind, the client ID…), so a sealed value copied into
 * another record, or a record whose URL was changed, does not open. The key ID
 * (the first 8 hex digits of the key's SHA-256) lets SCIMWATCH_SECRETS_KEY be
 * rotated: the previous keys, listed in SCIMWATCH_SECRETS_OLD_KEYS, still open
 * what they sealed, while everything new is sealed with the current key.
 * Values sealed by older versions ("v1:", bound to nothing) are refused: the
 * tenant connects again.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const KEY_HINT = "32 random bytes, base64 (openssl rand -base64 32)";

function keyOf(base64Key: string): { id: string; key: Buffer } {
  const key = Buffer.from(base64Key.trim(), "base64");
  if (key.length !== 32) throw new Error(`SCIMWATCH_SECRETS_KEY must be ${KEY_HINT}`);
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
}

export class SealError extends Error {
  constructor(
    readonly reason: "legacy" | "unknown_key" | "mismatch" | "malformed",
    message: string,
  ) {
    super(message);
  }
}

export class SecretBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(current: string, old: readonly string[] = []) {
    this.keys = [keyOf(current), ...old.map(keyOf)];
  }

  /** The current key's ID (what new seals carry). */
  get keyId(): string {
    return (this.keys[0] as { id: string }).id;
  }

  seal(plain: string, boundTo: string): string {
    const { id, key } = this.keys[0] as { id: string; key: Buffer };
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", key, iv);
    c.setAAD(Buffer.from(boundTo, "utf8"));
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return ["v2", id, ...[iv, c.getAuthTag(), body].map((x) => x.toString("base64"))].join(":");
  }

  open(sealed: string, boundTo: string): string {
    const [v, kid, iv, tag, body] = sealed.split(":");
    if (v === "v1")
      throw new SealError(
        "legacy",
        "sealed by an older scimwatch, bound to nothing: connect again to seal it to this connection",
      );
    if (v !== "v2" || !kid || !iv || !tag || body === undefined)
      throw new SealError("malformed", "not a sealed secret");
    const k = this.keys.find((x) => x.id === kid);
    if (!k)
      throw new SealError(
        "unknown_key",
        `sealed with a key this scimwatch does not hold (key ID ${kid}): add it to SCIMWATCH_SECRETS_OLD_KEYS, or connect again`,
      );
    try {
      const d = createDecipheriv("aes-256-gcm", k.key, Buffer.from(iv, "base64"));
      d.setAAD(Buffer.from(boundTo, "utf8"));
      d.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([d.update(Buffer.from(body, "base64")), d.final()]).toString("utf8");
    } catch {
      throw new SealError(
        "mismatch",
        "the sealed secret does not belong to this record (its tenant, URL or client changed) or was tampered with: connect again",
      );
    }
  }
}
