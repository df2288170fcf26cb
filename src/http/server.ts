/** The health routes, served by Bolt's HTTP receiver or by a bare server: /healthz, /readyz, /healthz/tail, /metrics. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HealthAnswer, HealthChecks } from "../features/health/checks.js";

export const HEALTH_PATHS = ["/healthz", "/readyz", "/healthz/tail", "/metrics"] as const;

function send(res: ServerResponse, a: HealthAnswer): void {
  res.writeHead(a.ok ? 200 : 503, { "content-type": "application/json" });
  res.end(JSON.stringify(a.body));
}

/** Answers a health request; false when the path is not one of ours. */
export function healthHandler(checks: HealthChecks) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? "").split("?")[0];
    const fail = (): HealthAnswer => ({
      ok: false,
      body: { ok: false, reason: "health check failed" },
    });
    switch (path) {
      case "/healthz":
        send(res, { ok: true, body: { ok: true } });
        return true;
      case "/readyz":
        send(res, await checks.ready().catch(fail));
        return true;
      case "/healthz/tail":
        send(res, await checks.tail().catch(fail));
        return true;
      case "/metrics": {
        if (!checks.metrics) return false;
        const text = await checks.metrics().catch(() => null);
        res.writeHead(text === null ? 503 : 200, {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
        });
        res.end(text ?? "# metrics unavailable\n");
        return true;
      }
      default:
        return false;
    }
  };
}

/** A bare HTTP server for the health routes (Socket Mode and worker-only processes). */
/** A route served beside the health routes (e.g. POST /hooks/hires). */
export interface ExtraRoute {
  path: string;
  method: "POST" | "GET";
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export async function startHealthServer(
  port: number,
  host: string,
  checks: HealthChecks,
  routes: ExtraRoute[] = [],
  /** False on the public port when SCIMWATCH_ADMIN_PORT serves health and metrics. */
  serveHealth = true,
): Promise<{ server: Server; port: number }> {
  const answer = healthHandler(checks);
  const health = serveHealth ? answer : async () => false;
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    const extra = routes.find((r) => r.path === path && r.method === req.method);
    if (extra) {
      void extra.handler(req, res);
      return;
    }
    void health(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen({ port, host }, r));
  return { server, port: (server.address() as AddressInfo).port };
}
