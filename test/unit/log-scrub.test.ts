/** Secrets never reach a log line: known values, and the shapes of tokens and private keys. */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { scrub } from "../../src/log/logger.js";

describe("scrub", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const pem = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const jwk = rsa.privateKey.export({ format: "jwk" });

  it.each([
    ["a known secret", "key=K2-secret-management-key!", ["K2-secret-management-key"], "K2-secret"],
    ["a Slack token", "xoxb-123-456-abcdef", [], "xoxb-123"],
    [
      "an Okta API token header",
      'authorization: "SSWS 00abcdefghijklmnopqrstuvwxyz0123456789ABCD"',
      [],
      "00abcdef",
    ],
    [
      "a DPoP-bound token header",
      "Authorization: DPoP okta-at-1234567890",
      [],
      "okta-at-1234567890",
    ],
    ["a PEM private key", `private_key=${pem}`, [], "MII"],
    ["a PEM private key inside escaped JSON", JSON.stringify({ value: pem }), [], "MII"],
    ["a JWK's private exponent", JSON.stringify(jwk), [], String(jwk.d).slice(0, 20)],
    [
      "a JWK inside escaped JSON",
      JSON.stringify({ value: JSON.stringify(jwk) }),
      [],
      String(jwk.d).slice(0, 20),
    ],
  ])("removes %s", (_what, text, secrets, leaked) => {
    const out = scrub(text, secrets);
    expect(out).not.toContain(leaked);
    expect(out).toMatch(/redacted/);
  });

  it("leaves ordinary text alone", () => {
    expect(scrub("jane@acme.com is not assigned to Descope", [])).toBe(
      "jane@acme.com is not assigned to Descope",
    );
  });
});
