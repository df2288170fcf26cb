/**
 * What the health endpoints answer, decided in one place for every role:
 * - readiness (`/readyz`): can this process serve Slack requests? Redis
 *   answers (and, for a process that serves Slack, the bot token works). A
 *   bot whose tail is behind can still answer, so the tail never fails it.
 * - tail health (`/healthz/tail`): is the audit tail alive? 503 with the
 *   reason while no run succeeded (or made progress) for 3 intervals, or the
 *   job schedulers are missing from Redis.
 * Error texts from Descope are shown only with SCIMWATCH_HEALTH_DETAILS=true
 * (the endpoints are unauthenticated).
 */

import { blindness } from "../../core/own-health.js";
import type { RedisClient } from "../../redis/client.js";
import { type TailStateStore, tailHealth, tailLiveness } from "../../redis/tail-state.js";

export interface HealthAnswer {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface HealthChecks {
  ready(): Promise<HealthAnswer>;
  tail(): Promise<HealthAnswer>;
  /** The Prometheus text of GET /metrics. */
  metrics?(): Promise<string>;
}

interface HealthDeps {
  redis: RedisClient;
  state: TailStateStore;
  intervalSec: number;
  now: () => number;
  /** When this process started (the tail's grace before its first run). */
  startedAt: number;
  /** Whether the Slack token works (processes that serve Slack). */
  slackOk?: () => Promise<boolean>;
  /** Scheduler IDs missing from Redis (processes that run the jobs). */
  missingSchedulers?: () => Promise<string[]>;
  /** Show error texts (SCIMWATCH_HEALTH_DETAILS). */
  details: boolean;
  /** Failed reads in a row before scimwatch is blind (SCIMWATCH_BLIND_AFTER_RUNS). */
  blindAfterRuns?: number;
  /** Socket Mode: whether the connection to Slack is up. */
  socketOk?: () => boolean;
  /** The Prometheus text of GET /metrics. */
  metrics?: () => Promise<string>;
}

/** Whether Redis answers a PING within a second. */
export async function redisAnswers(redis: RedisClient): Promise<boolean> {
  return Promise.race([
    redis.ping().then(
      (r) => r === "PONG",
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), 1_000).unref()),
  ]);
}

export function healthChecks(deps: HealthDeps): HealthChecks {
  return {
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    async ready() {
      const [redisOk, slackOk] = await Promise.all([
        redisAnswers(deps.redis),
        deps.slackOk ? deps.slackOk().catch(() => false) : Promise.resolve(null),
      ]);
      const body: Record<string, unknown> = { redis: redisOk ? "ok" : "unreachable" };
      if (slackOk !== null) body.slack = slackOk ? "ok" : "token not usable";
      const socketOk = deps.socketOk ? deps.socketOk() : null;
      if (socketOk !== null) body.socketMode = socketOk ? "connected" : "disconnected";
      if (redisOk) {
        const state = await deps.state.get().catch(() => ({}));
        // A refused management key is shared by every replica: said here, in /healthz/tail and
        // in the blind alert, but never "not ready" (a load balancer would drop every replica
        // at once, and people would get Slack's dispatch_failed instead of scimwatch's answer).
        if (blindness(state, deps.blindAfterRuns ?? 5).reason === "key_refused")
          body.descope = "management key refused";
        const h = tailHealth(state, deps.now(), deps.intervalSec);
        body.tail = {
          healthy: h.healthy,
          lagSeconds: h.lagMs === null ? null : Math.round(h.lagMs / 1000),
          ...(deps.details ? { lastError: h.lastError } : {}),
        };
      }
      // Ready: this instance can take traffic (Redis, Slack, Socket Mode), whatever Descope says.
      const ok = redisOk && slackOk !== false && socketOk !== false;
      const reason = !redisOk
        ? "redis: unreachable"
        : slackOk === false
          ? "slack: token not usable"
          : socketOk === false
            ? "socket mode: disconnected"
            : null;
      return { ok, body: { ok, ...(reason ? { reason } : {}), details: body } };
    },
    async tail() {
      const redisOk = await redisAnswers(deps.redis);
      if (!redisOk) {
        return { ok: false, body: { ok: false, reason: "redis: unreachable" } };
      }
      const [state, missing] = await Promise.all([
        deps.state.get(),
        deps.missingSchedulers ? deps.missingSchedulers().catch(() => []) : Promise.resolve([]),
      ]);
      const live = tailLiveness(state, deps.now(), deps.intervalSec, deps.startedAt, missing);
      const b = blindness(state, deps.blindAfterRuns ?? 5);
      const l = b.blind
        ? {
            ok: false,
            reason:
              b.reason === "key_refused"
                ? "blind: Descope refused the management key"
                : `blind: ${b.failedRuns} audit reads failed in a row`,
          }
        : live;
      const h = tailHealth(state, deps.now(), deps.intervalSec);
      return {
        ok: l.ok,
        body: {
          ok: l.ok,
          ...(l.reason ? { reason: l.reason } : {}),
          lastSuccessAt: h.lastSuccessAt === null ? null : new Date(h.lastSuccessAt).toISOString(),
          lagSeconds: h.lagMs === null ? null : Math.round(h.lagMs / 1000),
          ...(deps.details ? { lastError: h.lastError } : {}),
        },
      };
    },
  };
}
