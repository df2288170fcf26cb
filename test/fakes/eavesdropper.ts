/**
 * A loopback server standing where a hostile URL points (a next-page link to
 * another origin, an org URL rewritten in Redis): it records the Authorization
 * header of whatever reaches it, so a test can prove no credential did.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export async function startEavesdropper(body: string): Promise<{
  url: string;
  heard: Array<string | undefined>;
  stop(): Promise<void>;
}> {
  const heard: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    heard.push(req.headers.authorization);
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heard,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
