/** Reading Descope's answers at the wire level: not-found, Retry-After. Pure. */
import { errorBodySchema } from "./schemas.js";

/** A raw answer: status and parsed JSON body. */
export interface RawAnswer {
  status: number;
  json: unknown;
}

export function isNotFound(ans: RawAnswer, code?: string): boolean {
  if (ans.status === 404) return true;
  if (ans.status !== 400) return false;
  const err = errorBodySchema.safeParse(ans.json);
  if (!err.success) return false;
  const text = `${err.data.errorDescription ?? ""} ${err.data.errorMessage ?? ""}`.toLowerCase();
  return (code !== undefined && err.data.errorCode === code) || text.includes("not found");
}

export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
