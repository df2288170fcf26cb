/**
 * The one HTTP client (src/net/http.ts) against a loopback server that
 * misbehaves: compressed answers, no answer, an answer cut short, an answer
 * too large, nobody listening.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { headerOf, httpRequest, isTimeout, jsonOrNull, networkCodeOf } from "../../src/net/http.js";

let server: Server;
let base: string;
const seen: { method: string; body: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", body, headers: req.headers });
      switch (req.url) {
        case "/json":
          res.writeHead(201, { "content-type": "application/json", "retry-after": "7" });
          res.end(JSON.stringify({ echo: body }));
          return;
        case "/gzip":
          res.writeHead(200, { "content-encoding": "gzip" });
          res.end(gzipSync(JSON.stringify({ zipped: "ü" })));
          return;
        case "/hang":
          return; // never answers
        case "/cut":
          res.writeHead(200, { "content-length": "100" });
          res.write("partial");
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        case "/big":
          res.end("x".repeat(5_000));
          return;
        default:
          res.writeHead(404).end("not json");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("httpRequest", () => {
  it("sends the method, headers and body, and returns status, headers and text", async () => {
    const ans = await httpRequest(`${base}/json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test": "1" },
      body: '{"a":"é"}',
      timeoutMs: 2_000,
    });
    expect(ans.status).toBe(201);
    expect(headerOf(ans, "Retry-After")).toBe("7");
    expect(jsonOrNull(ans)).toEqual({ echo: '{"a":"é"}' });
    const req = seen.at(-1);
    expect(req?.method).toBe("POST");
    expect(req?.headers["x-test"]).toBe("1");
    expect(req?.headers["content-length"]).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it("decodes a gzip answer", async () => {
    const ans = await httpRequest(`${base}/gzip`, { timeoutMs: 2_000 });
    expect(jsonOrNull(ans)).toEqual({ zipped: "ü" });
  });

  it("returns non-2xx answers and a null JSON for a body that is not JSON", async () => {
    const ans = await httpRequest(`${base}/nope`, { timeoutMs: 2_000 });
    expect(ans.status).toBe(404);
    expect(jsonOrNull(ans)).toBeNull();
  });

  it("gives up after timeoutMs with a TimeoutError", async () => {
    const t = Date.now();
    const err = await httpRequest(`${base}/hang`, { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(isTimeout(err)).toBe(true);
    expect(Date.now() - t).toBeLessThan(2_000);
  });

  it("rejects an answer cut short, and one larger than maxBytes", async () => {
    const cut = await httpRequest(`${base}/cut`, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Error);
    expect(isTimeout(cut)).toBe(false);
    const big = await httpRequest(`${base}/big`, { timeoutMs: 2_000, maxBytes: 1_000 }).catch(
      (e: unknown) => e,
    );
    expect(String(big)).toMatch(/larger than 1000 bytes/);
  });

  it("says ECONNREFUSED when nobody listens", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const err = await httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 2_000 }).catch(
      (e: unknown) => e,
    );
    expect(networkCodeOf(err)).toBe("ECONNREFUSED");
  });
});
