/**
 * A real forward proxy on loopback, as a corporate egress proxy behaves for
 * TLS and WebSocket traffic: `CONNECT host:port` opens a tunnel (200) and
 * pipes bytes both ways; anything else gets 405. It records every tunnel it
 * was asked for, and only opens tunnels to loopback (tests never leave the
 * machine).
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, isIP, type Socket } from "node:net";

export class ForwardProxy {
  /** The `host:port` of every CONNECT, in order. */
  readonly tunnels: string[] = [];
  /** Requests that were not CONNECT (absolute-URI forwarding, which this proxy refuses). */
  readonly refused: string[] = [];
  /** When set, CONNECT needs this Proxy-Authorization value (407 otherwise). */
  requireAuth?: string;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  url = "";

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.refused.push(`${req.method} ${req.url}`);
      res.writeHead(405).end();
    });
    server.on("connect", (req, client: Socket, head: Buffer) => {
      const target = req.url ?? "";
      this.tunnels.push(target);
      this.sockets.add(client);
      client.on("close", () => this.sockets.delete(client));
      if (this.requireAuth && req.headers["proxy-authorization"] !== this.requireAuth) {
        client.end("HTTP/1.1 407 Proxy Authentication Required\r\n\r\n");
        return;
      }
      const i = target.lastIndexOf(":");
      const host = target.slice(0, i).replace(/^\[|\]$/g, "");
      const port = Number(target.slice(i + 1));
      const loopback = host === "localhost" || (isIP(host) !== 0 && /^(127\.|::1$)/.test(host));
      if (!loopback || !port) {
        client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      const upstream = connect(port, host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      this.sockets.add(upstream);
      upstream.on("close", () => this.sockets.delete(upstream));
      upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Tunnels opened to this port. */
  tunnelsTo(port: string | number): string[] {
    return this.tunnels.filter((t) => t.endsWith(`:${port}`));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** A proxy URL where nothing listens: a dead proxy. */
export async function deadProxyUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return `http://127.0.0.1:${port}`;
}
