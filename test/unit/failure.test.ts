import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/env.js";
import { DeadlineError, failureOf, UnknownTenantError } from "../../src/core/failure.js";
import { DescopeError } from "../../src/descope/errors.js";
import { BudgetExhaustedError } from "../../src/redis/rate-budget.js";
import { failureMessage } from "../../src/render/notices.js";

describe("one error model: a code, and one table for exit codes and expectedness", () => {
  it.each([
    [new ConfigError("DESCOPE_PROJECT_ID is not set"), "config", 2, true],
    [new UnknownTenantError("Nope"), "unknown_tenant", 2, true],
    [new DescopeError("descope_auth", "refused"), "descope_auth", 1, true],
    [new DescopeError("descope_rate_limited", "429", 30), "descope_rate_limited", 1, true],
    [new BudgetExhaustedError("audit-search", 12_000), "budget_exhausted", 1, true],
    [new DeadlineError(2_500), "deadline", 1, true],
    [new TypeError("x is undefined"), "error", 1, false],
    ["a string", "error", 1, false],
  ] as const)("%s → %s, exit %i, expected %s", (e, code, exitCode, expected) => {
    expect(failureOf(e)).toMatchObject({ code, exitCode, expected });
  });

  it("a spent budget is answered as such in Slack, not as a bug", () => {
    const msg = failureMessage(new BudgetExhaustedError("audit-search", 12_000), "The check");
    expect(msg.text).toMatch(
      /The check failed: the audit-search budget is spent; next unit in 12 s/,
    );
    expect(msg.text).not.toMatch(/scimwatch's side/);
  });
});
