/**
 * Acknowledgements before work. Slack wants every request acknowledged within
 * 3 s, and a burst of commands arriving together is acknowledged fastest when
 * no command's work (Redis, Descope, rendering) runs between their acks. In
 * HTTP mode the gate watches the server: work after an ack waits until every
 * request received has been answered and none has arrived for `quietMs`, at
 * most `maxWaitMs` (sustained traffic delays work a little, never starves it).
 * In Socket Mode, with no server to watch, it yields once to the event loop.
 */
import type { Server } from "node:http";

export interface AckGate {
  /** Watches this server's requests (call once, before it serves). */
  watch(server: Server): void;
  /** Resolves when the server is quiet, or after `maxWaitMs`. */
  settled(): Promise<void>;
}

export function ackGate(quietMs = 10, maxWaitMs = 200): AckGate {
  let watching = false;
  let open = 0;
  let lastArrival = 0;
  const quiet = () => open === 0 && performance.now() - lastArrival >= quietMs;
  return {
    watch(server) {
      watching = true;
      server.prependListener("connection", () => {
        lastArrival = performance.now();
      });
      server.prependListener("request", (_req, res) => {
        open++;
        lastArrival = performance.now();
        let done = false;
        const end = () => {
          if (done) return;
          done = true;
          open--;
        };
        res.once("finish", end);
        res.once("close", end);
      });
    },
    async settled() {
      await new Promise((r) => setImmediate(r));
      if (!watching) return;
      const until = performance.now() + maxWaitMs;
      while (!quiet() && performance.now() < until) {
        await new Promise((r) => setTimeout(r, Math.max(1, quietMs / 2)));
      }
    },
  };
}
