/**
 * Fix-it actions as use cases: a request (from an answer's button) is stored
 * and shown with exactly what will be called; an approver (never the
 * requester) approves or declines within the hour; the approved call is
 * claimed once (however many clicks or replicas), made with the write app,
 * and recorded in the request's thread with the verdict after. A process
 * that stops between approval and call is caught up by `sweepActions`; one
 * that stopped during the call leaves it "interrupted", never sent twice.
 */
import { randomUUID } from "node:crypto";
import { ConnectorError, type EntraHttp } from "../../connectors/entra-http.js";
import {
  type Action,
  type ActionKind,
  APPROVAL_WINDOW_MS,
  callOf,
  DESCOPE_KINDS,
  mayDecide,
  REFUSALS,
  STATES,
} from "../../core/actions/model.js";
import { VERDICT_TITLES } from "../../core/diagnosis/verdicts.js";
import type { DescopeClient } from "../../descope/client.js";
import type { Logger } from "../../log/logger.js";
import type { EgressPolicy } from "../../net/egress.js";
import type { ActionStore } from "../../redis/action-store.js";
import type { ConnectionStore } from "../../redis/connections.js";
import type { SecretBox } from "../../redis/secret-box.js";
import { recordMessage, requestMessage } from "../../render/actions.js";
import type { CheckService } from "../check/service.js";
import type { Outbox } from "../notify/outbox.js";
import { targetOf } from "./access.js";
import {
  type ActionClients,
  makeCall,
  type Outcome,
  oktaWriteOf,
  quarantineOf,
  type TokenTo,
} from "./calls.js";

export interface ActionDeps {
  actions: ActionStore;
  connections: ConnectionStore;
  /** The read-only Entra app (schema, user look-up) and the write app (the calls). */
  entra: EntraHttp | null;
  entraWrite: EntraHttp | null;
  /** Opens Okta's sealed write tokens (SCIMWATCH_SECRETS_KEY); null when not set. */
  secretBox: SecretBox | null;
  egress: EgressPolicy;
  outbox: Pick<Outbox, "send">;
  checks: Pick<CheckService, "check">;
  /** Descope's management API (the SCIM key rotation: the management key is the write access). */
  descope: Pick<DescopeClient, "managementCall" | "baseUrl">;
  approvers: ReadonlySet<string>;
  log: Logger;
  now: () => number;
  metrics?: { action(kind: string, outcome: string): void } | undefined;
}

/** One structured log line and one count per action and outcome (never a secret). */
export function counted(
  deps: Pick<ActionDeps, "log" | "metrics">,
  a: Pick<Action, "kind" | "tenantId"> & { id?: string },
  outcome: string,
  user: string | null,
) {
  deps.log.info({
    kind: "action",
    action: a.kind,
    ...(a.id ? { id: a.id } : {}),
    tenant: a.tenantId,
    outcome,
    user,
  });
  deps.metrics?.action(a.kind, outcome);
}

/** The record in the request's thread: who asked, who approved, what was sent, what came back. */
export async function postRecord(deps: Pick<ActionDeps, "outbox">, a: Action) {
  if (!a.ts) return;
  await deps.outbox.send([
    {
      key: `action-record:${a.id}`,
      kind: "action_record",
      to: { channel: a.channel },
      thread: a.ts,
      message: recordMessage(a),
    },
  ]);
}

export async function show(deps: ActionDeps, a: Action) {
  if (!a.ts) return;
  await deps.outbox
    .send([
      {
        kind: "action_request",
        to: { channel: a.channel },
        edit: { ts: a.ts },
        message: requestMessage(a, [...deps.approvers]),
      },
    ])
    .catch(() => {});
}

/** A request from an answer: stored, then posted in the channel for an approver. */
export async function requestAction(
  deps: ActionDeps,
  o: {
    kind: ActionKind;
    tenantId: string;
    tenantName: string;
    loginId: string;
    requestedBy: string;
    channel: string;
  },
): Promise<{ ok: true; action: Action } | { ok: false; why: string }> {
  const t = await targetOf(deps, o.kind, o.tenantId, o.loginId);
  if (!t.ok) return t;
  const target = t.target;
  const now = deps.now();
  let a: Action = {
    id: randomUUID().replace(/-/g, "").slice(0, 16),
    ...o,
    ts: null,
    createdAt: now,
    expiresAt: now + APPROVAL_WINDOW_MS,
    state: "requested",
    decidedBy: null,
    decidedAt: null,
    call: `${callOf(o.kind, target, o.loginId)}${await quarantineOf(deps.entra, o.kind, target)}`,
    target,
    newKeyId: null,
    keysRevoked: false,
    outcome: null,
    steps: [],
    verdictAfter: null,
    startedAt: null,
    finishedAt: null,
  };
  await deps.actions.create(a);
  const [sent] = await deps.outbox.send([
    {
      key: `action-request:${a.id}`,
      kind: "action_request",
      to: { channel: o.channel },
      message: requestMessage(a, [...deps.approvers]),
      // Where the request is, kept as soon as Slack has it, whatever state a fast approver has
      // moved it to already: the decision's edit and the record in its thread need it.
      afterSend: async ({ ts }) => {
        await deps.actions.transition(a.id, [...STATES], { ts });
      },
    },
  ]);
  if (sent && (sent.status === "sent" || sent.status === "found"))
    a = (await deps.actions.get(a.id)) ?? { ...a, ts: sent.ts };
  counted(deps, a, "requested", o.requestedBy);
  return { ok: true, action: a };
}

/** An approver's click: the one rule decides; the first click wins; an approval is then carried out. */
export async function decideAction(
  deps: ActionDeps,
  id: string,
  userId: string,
  decision: "approve" | "decline",
): Promise<{ ok: true; action: Action; secret?: string } | { ok: false; why: string }> {
  const a = await deps.actions.get(id);
  if (!a) return { ok: false, why: "This request is no longer known." };
  const now = deps.now();
  const refusal = mayDecide(a, userId, deps.approvers, now);
  if (refusal === "expired") await expire(deps, a);
  if (refusal) return { ok: false, why: REFUSALS[refusal] };
  const next = await deps.actions.transition(id, ["requested"], {
    state: decision === "approve" ? "approved" : "declined",
    decidedBy: userId,
    decidedAt: now,
  });
  if (!next) return { ok: false, why: REFUSALS.already_decided };
  counted(deps, next, next.state, userId);
  await show(deps, next);
  if (next.state === "approved") {
    const done = await carryOut(deps, id);
    return {
      ok: true,
      action: done?.action ?? next,
      ...(done?.secret ? { secret: done.secret } : {}),
    };
  }
  return { ok: true, action: next };
}

export async function expire(deps: ActionDeps, a: Action) {
  const e = await deps.actions.transition(a.id, ["requested"], { state: "expired" });
  if (e) {
    counted(deps, e, "expired", null);
    await show(deps, e);
  }
}

/** The call, once: claimed (approved → running) by one process, made, recorded. */
export async function carryOut(
  deps: ActionDeps,
  id: string,
  tokenTo: TokenTo = "approver",
): Promise<{ action: Action; secret?: string } | null> {
  const claimed = await deps.actions.transition(id, ["approved"], {
    state: "running",
    startedAt: deps.now(),
  });
  if (!claimed) return null;
  let patch: Partial<Action>;
  // A new key's token goes to the approver once: never into the record, the logs or a metric.
  let secret: string | undefined;
  try {
    const { secret: s, ...rest } = await call(deps, claimed, tokenTo);
    secret = s;
    patch = rest;
  } catch (e) {
    const msg = e instanceof ConnectorError ? e.message : `unexpected: ${(e as Error).message}`;
    if (!(e instanceof ConnectorError))
      deps.log.error({ kind: "action", id, err: e }, "action failed");
    patch = { state: "failed", outcome: msg };
  }
  // The verdict after, from the same check as /scim check (a person's actions only: a key has none).
  const after = DESCOPE_KINDS.has(claimed.kind)
    ? null
    : await deps.checks
        .check({ loginId: claimed.loginId, tenant: claimed.tenantId })
        .then((d) => VERDICT_TITLES[d.verdict])
        .catch(() => null);
  const done = await deps.actions.transition(id, ["running"], {
    ...patch,
    verdictAfter: after,
    finishedAt: deps.now(),
  });
  if (!done) return null;
  counted(deps, done, done.state, done.decidedBy);
  await show(deps, done);
  await postRecord(deps, done);
  return { action: done, ...(secret ? { secret } : {}) };
}

function call(deps: ActionDeps, a: Action, tokenTo: TokenTo): Promise<Outcome> {
  return makeCall(clientsFor(deps, a.tenantId), a.kind, a.target, a.loginId, tokenTo);
}

/** The clients a tenant's action needs: Entra's read and write apps, Okta's write token (opened when asked). */
export function clientsFor(deps: ActionDeps, tenantId: string): ActionClients {
  return {
    entraRead: deps.entra,
    entraWrite: deps.entraWrite,
    descope: deps.descope,
    oktaWrite: async () => {
      const c = await deps.connections.get(tenantId);
      if (c?.idp !== "okta" || !c.writeSealed || !deps.secretBox)
        throw new ConnectorError(
          "bad_credentials",
          "no Okta write token is stored for this tenant",
        );
      return oktaWriteOf(c, deps.secretBox, deps.egress);
    },
  };
}
