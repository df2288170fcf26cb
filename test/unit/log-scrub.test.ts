/** Secrets never reach a log line: known values, and the shapes of tokens and private keys. */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { onFatal } from "../../src/log/fatal.js";
import { createLogger, scrub } from "../../src/log/logger.js";

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

describe("a crash is one JSON line, then exit (issue #24)", () => {
  it("an unhandled rejection is logged at fatal, scrubbed, stack in one field, and the process exits 1", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ secrets: ["xoxb-crash-secret"], destination: sink });
    const exits: number[] = [];
    onFatal(log, (c) => exits.push(c))("unhandledRejection")(
      new Error("token xoxb-crash-secret refused"),
    );
    const out = lines.join("");
    expect(out.trim().split("\n")).toHaveLength(1);
    const line = JSON.parse(out) as { level: string; kind: string; err: { stack: string } };
    expect(line).toMatchObject({
      level: "fatal",
      kind: "unhandledRejection",
      msg: "scimwatch crashed",
    });
    expect(out).not.toContain("xoxb-crash-secret");
    expect(line.err.stack).toMatch(/Error: token \[redacted\]|Error: token .* refused/);
    expect(exits).toEqual([1]);
  });

  it("npm start and the image enable source maps before any chunk loads", () => {
    const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");
    expect(JSON.parse(read("package.json")).scripts.start).toMatch(/^node --enable-source-maps /);
    expect(read("Dockerfile")).toMatch(
      /CMD \["node", "--enable-source-maps", "dist\/cli\.js", "start"\]/,
    );
  });
});
