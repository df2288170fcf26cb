/**
 * Descope's limits, shared by every process through Redis: the audit search
 * (10 a minute per project, the tail before live checks) and the other
 * management calls (user, tenant and SSO look-ups), plus the cache of rarely
 * changing reads that every replica shares. One sliding window each, stamped
 * by Redis's clock.
 *
 * Management calls: a person waits on checks and registrations ("interactive"):
 * they may use the whole window and wait for a unit within their deadline.
 * Nobody waits on the evaluation of open hires ("background"): it leaves a
 * quarter of the window to them and gives up at once, resuming at its next run.
 */

import type { BotConfig } from "../config/bot.js";
import type { DescopeClientOptions, ManagementPriority } from "../descope/client.js";
import { DescopeError, retryHint } from "../descope/errors.js";
import type { Keyer, RedisClient } from "./client.js";
import { redisKeys } from "./keys.js";
import { BudgetExhaustedError } from "./rate-budget.js";
import { auditPriority, SlidingWindowBudget } from "./sliding-window.js";

/**
 * How long a management call someone waits for may wait for a unit: a whole
 * window and its margin, so under any load a unit frees in time, instead of
 * failing at once (Slack's response_url lives 30 minutes; the check's own
 * deadline is 90 s).
 */
const MGMT_WAIT_INTERACTIVE_MS = 65_000;

export function descopeBudgets(
  redis: RedisClient,
  key: Keyer,
  cfg: Pick<BotConfig, "DESCOPE_AUDIT_RATE_PER_MIN" | "DESCOPE_MGMT_RATE_PER_MIN">,
) {
  const audit = new SlidingWindowBudget(
    redis,
    "audit-search",
    redisKeys(key).auditBudget(),
    cfg.DESCOPE_AUDIT_RATE_PER_MIN,
  );
  const management = new SlidingWindowBudget(
    redis,
    "user-management",
    redisKeys(key).mgmtBudget(),
    cfg.DESCOPE_MGMT_RATE_PER_MIN,
    { reserve: Math.floor(cfg.DESCOPE_MGMT_RATE_PER_MIN / 4) },
  );
  const takeManagement = (priority: ManagementPriority) =>
    management
      .take(
        priority === "interactive" ? MGMT_WAIT_INTERACTIVE_MS : 0,
        priority === "interactive" ? "high" : "low",
      )
      .catch((e: unknown) => {
        if (!(e instanceof BudgetExhaustedError)) throw e;
        const sec = Math.ceil(e.retryInMs / 1000);
        throw new DescopeError(
          "descope_rate_limited",
          `scimwatch's budget for Descope management calls (DESCOPE_MGMT_RATE_PER_MIN) is spent; ${retryHint(sec, Date.now())}`,
          sec,
        );
      });
  return {
    audit,
    management,
    /** The Descope client's hooks; `metrics` counts the audit searches granted. */
    hooks(metrics: {
      auditSearches: { inc(): void };
    }): Pick<DescopeClientOptions, "beforeAuditSearch" | "beforeManagementCall" | "sharedCache"> {
      return {
        beforeAuditSearch: async (maxWaitMs, priority) => {
          await audit.take(maxWaitMs ?? 65_000, auditPriority(priority));
          metrics.auditSearches.inc();
        },
        beforeManagementCall: takeManagement,
        sharedCache: {
          get: (k) => redis.get(redisKeys(key).cache(k)),
          set: async (k, v, ttlMs) => {
            await redis.set(redisKeys(key).cache(k), v, "PX", ttlMs);
          },
        },
      };
    },
  };
}
