/** Look-ups that only enrich an answer: decided once which Descope refusals leave them out. */
import { DescopeError } from "./errors.js";

/**
 * Settings that only enrich a diagnosis: a plain 4xx, or a 403 (a management
 * key without that permission), leaves them out. `unread` collects what could
 * not be read, for the answer to say so.
 */
export async function optional<T>(
  p: Promise<T>,
  unread?: { what: string; into: string[] },
): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (!(e instanceof DescopeError)) throw e;
    const refused = e.code === "descope_auth" && e.status === 403;
    if (e.code !== "descope_error" && !refused) throw e;
    if (refused && unread) {
      unread.into.push(
        `${unread.what} could not be read: Descope refused it (HTTP 403; the management key lacks that permission)`,
      );
    }
    return null;
  }
}
