/** A request's body, read up to a size: null once it is larger (the caller answers 413). */
import type { IncomingMessage } from "node:http";

export async function readBodyUpTo(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
