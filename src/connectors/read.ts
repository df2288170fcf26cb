/** What both IdP readers share: keep the bodies that parse, and turn a read that only enriches into a note. */
import type * as z from "zod";
import { ConnectorError, type ConnectorProblem } from "./entra-http.js";

/** The items that match the schema (unknown shapes are skipped, never fatal). */
export const parseAll = <T>(schema: z.ZodType<T>, items: unknown[] | null): T[] =>
  (items ?? []).flatMap((i) => {
    const p = schema.safeParse(i);
    return p.success ? [p.data] : [];
  });

/**
 * Runs a read that only enriches: a missing permission or a spent limit (and
 * any `also` problems) becomes a line in `unread` and null, not a failure.
 */
export async function optional<T>(
  unread: string[],
  read: () => Promise<T>,
  also: ConnectorProblem[] = [],
): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (
      e instanceof ConnectorError &&
      ["permission_missing", "throttled", ...also].includes(e.problem)
    ) {
      unread.push(e.message);
      return null;
    }
    throw e;
  }
}
