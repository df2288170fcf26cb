/** Why a Descope call failed, in a form people can act on. */
import { CodedError } from "../core/failure.js";

type DescopeErrorCode =
  | "descope_unreachable"
  | "descope_rate_limited"
  | "descope_auth"
  | "descope_bad_response"
  | "descope_error";

export class DescopeError extends CodedError {
  override readonly name = "DescopeError";
  constructor(
    override readonly code: DescopeErrorCode,
    message: string,
    /** Seconds after which a retry makes sense, when known. */
    retryAfterSec?: number,
    readonly status?: number,
  ) {
    super(code, message, retryAfterSec);
  }
}

export function isDescopeError(e: unknown): e is DescopeError {
  return e instanceof DescopeError;
}

/** "retry in about 40 s (after 2026-11-28 14:32:05 UTC)"; Slack shows the time in each reader's zone. */
export function retryHint(retryAfterSec: number | undefined, now = Date.now()): string {
  if (retryAfterSec === undefined) return "retry in a minute";
  const at = new Date(now + retryAfterSec * 1000).toISOString().slice(0, 19).replace("T", " ");
  return `retry in about ${Math.max(1, Math.ceil(retryAfterSec))} s (after ${at} UTC)`;
}
