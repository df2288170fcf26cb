/**
 * The error model, decided once: every error scimwatch raises on purpose is a
 * CodedError, and one table turns its code into the CLI's exit code and
 * whether it is expected (an answer to give: logged as an outcome) or not (a
 * bug: logged with its stack). Pure.
 */
type FailureCode =
  | "config"
  | "usage"
  | "denied"
  | "unknown_tenant"
  | "deadline"
  | "budget_exhausted"
  | "descope_unreachable"
  | "descope_rate_limited"
  | "descope_auth"
  | "descope_bad_response"
  | "descope_error"
  | "connector"
  | "store_unreachable"
  | "error";

export class CodedError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    /** Seconds after which a retry makes sense, when known. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/** No tenant has this ID or name. */
export class UnknownTenantError extends CodedError {
  override readonly name = "UnknownTenantError";
  constructor(
    readonly tenant: string,
    /** Names of tenants close to what was typed ("Acme Corp" for "Acme"), to offer. */
    readonly suggestions: string[] = [],
  ) {
    super(
      "unknown_tenant",
      `unknown tenant: ${tenant} (no tenant has this ID or name)${
        suggestions.length ? `; did you mean ${suggestions.map((n) => `"${n}"`).join(" or ")}?` : ""
      }`,
    );
  }
}

/** This person or channel may not do this here. */
export class AccessDenied extends CodedError {
  constructor(what = "scimwatch is not enabled in this channel") {
    super("denied", what);
  }
}

/** An answer took longer than the person can be kept waiting. */
export class DeadlineError extends CodedError {
  constructor(readonly ms: number) {
    super("deadline", `deadline of ${ms} ms exceeded`);
  }
}

/** Per code: the CLI's exit code, and whether it is an expected answer rather than a bug. */
const FAILURES: Record<FailureCode, { exitCode: 1 | 2; expected: boolean }> = {
  config: { exitCode: 2, expected: true },
  usage: { exitCode: 2, expected: true },
  denied: { exitCode: 2, expected: true },
  unknown_tenant: { exitCode: 2, expected: true },
  deadline: { exitCode: 1, expected: true },
  budget_exhausted: { exitCode: 1, expected: true },
  descope_unreachable: { exitCode: 1, expected: true },
  descope_rate_limited: { exitCode: 1, expected: true },
  descope_auth: { exitCode: 1, expected: true },
  descope_bad_response: { exitCode: 1, expected: true },
  descope_error: { exitCode: 1, expected: true },
  connector: { exitCode: 1, expected: true },
  store_unreachable: { exitCode: 1, expected: true },
  error: { exitCode: 1, expected: false },
};

export interface Failure {
  code: FailureCode;
  exitCode: 1 | 2;
  expected: boolean;
  message: string;
}

/** What any thrown value means, by the table. */
export function failureOf(e: unknown): Failure {
  if (redisUnreachable(e)) {
    const message =
      "scimwatch's Redis (where it keeps hires, links and alerts) is unreachable, so nothing was read or changed; try again in a minute (the operators see it in /readyz and the logs)";
    return { code: "store_unreachable", message, ...FAILURES.store_unreachable };
  }
  const code = e instanceof CodedError ? e.code : "error";
  const message = e instanceof Error ? e.message : String(e);
  return { code, message, ...FAILURES[code] };
}

/** ioredis's own words for "no connection" (not a command's error). */
function redisUnreachable(e: unknown): boolean {
  if (e instanceof CodedError || !(e instanceof Error)) return false;
  return (
    e.name === "MaxRetriesPerRequestError" ||
    e.name === "ClusterAllFailedError" ||
    /^(Connection is closed\.|Stream isn't writeable|All sentinels are unreachable|None of the sentinels are available)/.test(
      e.message,
    )
  );
}
