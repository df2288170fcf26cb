/**
 * POST /hooks/descope-audit: Descope's Audit Webhook connector pushes audit
 * events here. Off (404) unless SCIMWATCH_AUDIT_HOOK_TOKEN is set;
 * `Authorization: Bearer <token>` compared in constant time (401 otherwise);
 * bodies up to 5 MiB (413 beyond); 400 with the reason for a body that is not
 * audit records. Answers 2xx only once the records are stored; then what runs
 * after a read is asked for (within a second, coalesced across replicas).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { recordsOfPush, storePushed } from "../features/tail/push.js";
import type { Logger } from "../log/logger.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { TailStateStore } from "../redis/tail-state.js";
import { readBodyUpTo } from "./body.js";

export const AUDIT_HOOK_PATH = "/hooks/descope-audit";
export const MAX_AUDIT_BODY_BYTES = 5 * 1024 * 1024;

export interface AuditHookDeps {
  token: string | undefined;
  index: AuditIndex;
  tailState: TailStateStore;
  log: Logger;
  now: () => number;
  /** Asks for the notify step (after-read) to run soon: coalesced. */
  afterPush: () => Promise<void>;
  metrics?: { auditPush(outcome: string, events: number): void };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether the request carries the token (constant time, whatever the lengths). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return timingSafeEqual(digest(m?.[1]?.trim() ?? ""), digest(token)) && Boolean(m);
}

export function auditHookHandler(deps: AuditHookDeps) {
  const answer = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!deps.token) return answer(res, 404, { error: "not found" });
    if (!bearerMatches(req.headers.authorization, deps.token)) {
      deps.metrics?.auditPush("unauthorized", 0);
      return answer(res, 401, {
        error: "a bearer token is required (the connector's Bearer token)",
      });
    }
    const raw = await readBodyUpTo(req, MAX_AUDIT_BODY_BYTES);
    if (raw === null) {
      req.resume();
      return answer(res, 413, { error: `body over ${MAX_AUDIT_BODY_BYTES} bytes` });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8").replace(/^\uFEFF/, ""));
    } catch {
      deps.metrics?.auditPush("bad_body", 0);
      return answer(res, 400, { error: "the body is not JSON" });
    }
    const parsed = recordsOfPush(body);
    if ("error" in parsed) {
      deps.metrics?.auditPush("bad_body", 0);
      return answer(res, 400, { error: parsed.error });
    }
    try {
      const r = await storePushed(deps, parsed.records);
      await deps.tailState.update({ lastPushAt: deps.now() });
      deps.metrics?.auditPush("stored", r.stored);
      deps.log.debug({ kind: "audit_push", ...r }, "audit push stored");
      answer(res, 200, { received: r.received, stored: r.stored });
    } catch (e) {
      deps.log.error({ kind: "audit_push", err: e }, "could not store an audit push");
      return answer(res, 503, { error: "scimwatch could not store the events right now; retry" });
    }
    if (parsed.records.length)
      await deps
        .afterPush()
        .catch((e: unknown) =>
          deps.log.warn({ kind: "audit_push", err: e }, "could not ask for the notify step"),
        );
  };
}
