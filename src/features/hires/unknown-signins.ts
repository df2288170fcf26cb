/**
 * "<user> tried to sign in but was never provisioned": from the failed
 * sign-ins the tail just read, at most once per login ID per day, only when
 * no such user exists and the tenant's JIT is disabled. A person Descope has
 * under another login ID (found by e-mail or by the IdP's SCIM rows) is not
 * "never provisioned": they get one identifier-mismatch alert per pair.
 */

import * as z from "zod";
import type { AuditEvent } from "../../core/diagnosis/facts.js";
import type { DescopeClient } from "../../descope/client.js";
import { optional } from "../../descope/optional.js";
import { tenantIdp } from "../../descope/tenant-idp.js";
import { tenantLabel } from "../../descope/tenants.js";
import type { Logger } from "../../log/logger.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import { identifierMismatchMessage, unknownSigninMessage } from "../../render/hires.js";
import { findPerson } from "../check/find-person.js";
import { alertRoutes, type Outbox, type Outgoing } from "../notify/outbox.js";

interface UnknownSigninDeps {
  descope: DescopeClient;
  hires: HireStore;
  links: LinkStore;
  outbox: Outbox;
  once: OnceStore;
  log: Logger;
  /** The audit index: the SCIM rows naming a login ID, to find the person under another one. */
  index?: Pick<AuditIndex, "eventsFor"> | undefined;
  alertChannel?: string | undefined;
  now: () => number;
}

const DAY = 86_400_000;

/** The (tenant, login ID) pairs worth a look: failed sign-ins of the last day, once each. Pure. */
export function failedSigninCandidates(
  events: AuditEvent[],
  now: number,
): Array<{ tenantId: string; loginId: string; at: number }> {
  const seen = new Map<string, { tenantId: string; loginId: string; at: number }>();
  for (const e of events) {
    if (e.action !== "LoginFailed" || e.at < now - DAY) continue;
    for (const tenantId of e.tenants) {
      for (const loginId of e.loginIds) {
        const k = `${tenantId}\u0000${loginId.toLowerCase()}`;
        const cur = seen.get(k);
        if (!cur || cur.at < e.at) seen.set(k, { tenantId, loginId, at: e.at });
      }
    }
  }
  return [...seen.values()];
}

export const signinCandidateSchema = z.object({
  tenantId: z.string(),
  loginId: z.string(),
  at: z.number(),
});
export type SigninCandidate = z.infer<typeof signinCandidateSchema>;

/**
 * Decides what to say about each candidate (once per login ID and day) and
 * sends it. Returns how many alerts were sent, and the candidates that could
 * not be checked or sent (to try again later).
 */
export async function alertUnknownSignins(
  deps: UnknownSigninDeps,
  candidates: SigninCandidate[],
): Promise<{ sent: number; failed: SigninCandidate[] }> {
  const now = deps.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const failed: SigninCandidate[] = [];
  if (!candidates.length) return { sent: 0, failed };
  const routeOf = await alertRoutes(deps.links, deps.alertChannel);
  const dayKey = (c: SigninCandidate) => `signin:${c.tenantId}:${c.loginId.toLowerCase()}:${day}`;
  const seen = await deps.once.sent(candidates.map(dayKey));
  let tenantNames: Map<string, string> | null = null;
  const out: Array<{ m: Outgoing; c: SigninCandidate }> = [];
  const decided = new Set<string>();
  for (const c of candidates) {
    const key = dayKey(c);
    if (!routeOf(c.tenantId) || seen.has(key) || decided.has(key)) continue;
    decided.add(key);
    try {
      const [found, jitDisabled, guess] = await Promise.all([
        (deps.index?.eventsFor(c.loginId, now) ?? Promise.resolve([])).then((events) =>
          findPerson(deps.descope, c.loginId, events, c.tenantId),
        ),
        optional(deps.descope.loadJitDisabled(c.tenantId)),
        tenantIdp(deps.descope, c.tenantId),
      ]);
      const to = { tenantId: c.tenantId };
      // Someone who exists, or a tenant where JIT creates users: nothing to say, once.
      if (found.matchedBy === "login_id" || jitDisabled !== true) {
        out.push({ c, m: { key, kind: "unknown_signin", to, message: null } });
        continue;
      }
      tenantNames ??= new Map(
        (await deps.descope.listTenants()).map((t) => [t.id, tenantLabel(t)]),
      );
      const tenantName = tenantNames.get(c.tenantId) ?? c.tenantId;
      const idp = guess.idp;
      const descopeLoginId = found.user?.loginIds[0];
      if (found.user && descopeLoginId) {
        // Provisioned under another identifier: once per pair, however many days they try. No
        // day record beside it: a send that fails is decided and tried again with the next read.
        out.push({
          c,
          m: {
            key: `idmismatch:${c.tenantId}:${c.loginId.toLowerCase()}:${descopeLoginId.toLowerCase()}`,
            kind: "identifier_mismatch",
            to,
            message: identifierMismatchMessage({
              loginId: c.loginId,
              descopeLoginId,
              tenantName,
              idp,
              at: c.at,
            }),
            recent: {
              tenantId: c.tenantId,
              text: `${c.loginId} cannot sign in: Descope has them as ${descopeLoginId} (${tenantName})`,
            },
          },
        });
        continue;
      }
      out.push({
        c,
        m: {
          key,
          kind: "unknown_signin",
          to,
          message: unknownSigninMessage({ loginId: c.loginId, tenantName, idp, at: c.at }),
          recent: {
            tenantId: c.tenantId,
            text: `${c.loginId} tried to sign in, never provisioned (${tenantName})`,
          },
        },
      });
    } catch (e) {
      failed.push(c);
      deps.log.warn(
        { kind: "signin_alert", err: e },
        "could not check a never-provisioned sign-in",
      );
    }
  }
  const outcomes = await deps.outbox.send(out.map((o) => o.m));
  let sent = 0;
  for (const [i, o] of outcomes.entries()) {
    if (o.status === "sent") sent++;
    const c = out[i]?.c;
    if (c && (o.status === "failed" || o.status === "deferred") && !failed.includes(c))
      failed.push(c);
  }
  return { sent, failed };
}
