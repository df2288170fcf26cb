/** The ack gate: work after an ack waits for the other requests' answers, within a bound. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ackGate } from "../../src/slack/ack-first.js";

let server: Server | undefined;
afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

describe("ackGate", () => {
  it("without a server to watch (Socket Mode), settles at once", async () => {
    const gate = ackGate();
    const t = performance.now();
    await gate.settled();
    expect(performance.now() - t).toBeLessThan(50);
  });

  it("settles only once every request received has been answered and the server is quiet", async () => {
    const gate = ackGate(10, 5_000);
    const pending: (() => void)[] = [];
    server = createServer((_req, res) => pending.push(() => res.end("ok")));
    gate.watch(server);
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const answers = [fetch(url), fetch(url)];
    while (pending.length < 2) await new Promise((r) => setTimeout(r, 5));
    let settled = false;
    const done = gate.settled().then(() => {
      settled = true;
    });
    pending[0]?.();
    await new Promise((r) => setTimeout(r, 60));
    expect(settled).toBe(false); // one request still waits for its answer
    pending[1]?.();
    await done;
    expect(settled).toBe(true);
    await Promise.all(answers.map(async (a) => (await a).text()));
  });

  it("never holds work longer than maxWaitMs", async () => {
    const gate = ackGate(10, 100);
    server = createServer(() => {}); // never answers
    gate.watch(server);
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const hung = fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await gate.settled();
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(90);
    expect(waited).toBeLessThan(1_000);
    server.closeAllConnections();
    await hung;
  });
});
