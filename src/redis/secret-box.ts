/**
 * Secrets at rest (an Okta API token): AES-256-GCM with SCIMWATCH_SECRETS_KEY
 * (32 random bytes, base64). Stored as "v1:<iv>:<tag>:<ciphertext>" in base64;
 * without the key nothing is stored, and a tampered value does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class SecretBox {
  private readonly key: Buffer;

  constructor(base64Key: string) {
    this.key = Buffer.from(base64Key, "base64");
    if (this.key.length !== 32)
      throw new Error(
        "SCIMWATCH_SECRETS_KEY must be 32 random bytes, base64 (openssl rand -base64 32)",
      );
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return ["v1", iv, c.getAuthTag(), body]
      .map((x) => (typeof x === "string" ? x : x.toString("base64")))
      .join(":");
  }

  open(sealed: string): string {
    const [v, iv, tag, body] = sealed.split(":");
    if (v !== "v1" || !iv || !tag || !body) throw new Error("not a sealed secret");
    const d = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    d.setAuthTag(Buffer.from(tag, "base64"));
    return Buffer.concat([d.update(Buffer.from(body, "base64")), d.final()]).toString("utf8");
  }
}
