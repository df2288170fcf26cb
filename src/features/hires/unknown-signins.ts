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
import { identifierMismatchMessage, unknownSigninMessage } from "../../render/hires.js";
import { findPerson } from "../check/find-person.js";
import type { Notifier } from "../notifier.js";
import { alertChannels } from "./alert-channel.js";
import { deliverClaimed, once } from "./deliver.js";

export interface UnknownSigninDeps {
  descope: DescopeClient;
  hires: HireStore;
  links: LinkStore;
  notifier: Notifier;
  log: Logger;
  /** The audit index: the SCIM rows naming a login ID, to find the person under another one. */
  index?: Pick<AuditIndex, "eventsFor"> | undefined;
  alertChannel?: string | undefined;
  now: () => number;
  /** Counts the alerts posted (for /metrics). */
  metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
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
 * Alerts the candidates worth it. Returns how many were sent, and the
 * candidates that could not be checked or sent (to try again later).
 */
export async function alertUnknownSignins(
  deps: UnknownSigninDeps,
  candidates: SigninCandidate[],
): Promise<{ sent: number; failed: SigninCandidate[] }> {
  const now = deps.now();
  const day = new Date(now).toISOString().slice(0, 10);
  let sent = 0;
  const failed: SigninCandidate[] = [];
  let tenantNames: Map<string, string> | null = null;
  const channelFor = candidates.length
    ? await alertChannels(deps.links, deps.alertChannel)
    : () => undefined;
  for (const c of candidates) {
    const channel = channelFor(c.tenantId);
    if (!channel) continue;
    const claim = `signin:${c.tenantId}:${c.loginId.toLowerCase()}:${day}`;
    try {
      let alerted = false;
      await once(deps.hires, claim, 2 * DAY, async () => {
        const [found, jitDisabled, guess] = await Promise.all([
          (deps.index?.eventsFor(c.loginId, now) ?? Promise.resolve([])).then((events) =>
            findPerson(deps.descope, c.loginId, events, c.tenantId),
          ),
          optional(deps.descope.loadJitDisabled(c.tenantId)),
          tenantIdp(deps.descope, c.tenantId),
        ]);
        // Someone who exists, or a tenant where JIT creates users: nothing to say, once.
        if (found.matchedBy === "login_id" || jitDisabled !== true) return;
        tenantNames ??= new Map(
          (await deps.descope.listTenants()).map((t) => [t.id, tenantLabel(t)]),
        );
        const tenantName = tenantNames.get(c.tenantId) ?? c.tenantId;
        const idp = guess.idp;
        const descopeLoginId = found.user?.loginIds[0];
        if (found.user && descopeLoginId) {
          // Provisioned under another identifier: once per pair, however many days they try.
          const pair = `idmismatch:${c.tenantId}:${c.loginId.toLowerCase()}:${descopeLoginId.toLowerCase()}`;
          alerted = await once(deps.hires, pair, 90 * DAY, async () => {
            await deliverClaimed(
              deps,
              pair,
              channel,
              (key) =>
                deps.notifier.post(
                  channel,
                  identifierMismatchMessage({
                    loginId: c.loginId,
                    descopeLoginId,
                    tenantName,
                    idp,
                    at: c.at,
                  }),
                  undefined,
                  key,
                ),
              90 * DAY,
            );
            await deps.hires.pushRecentAlert({
              at: now,
              tenantId: c.tenantId,
              text: `${c.loginId} cannot sign in: Descope has them as ${descopeLoginId} (${tenantName})`,
            });
          });
          return;
        }
        await deliverClaimed(
          deps,
          claim,
          channel,
          (key) =>
            deps.notifier.post(
              channel,
              unknownSigninMessage({ loginId: c.loginId, tenantName, idp, at: c.at }),
              undefined,
              key,
            ),
          2 * DAY,
        );
        await deps.hires.pushRecentAlert({
          at: now,
          tenantId: c.tenantId,
          text: `${c.loginId} tried to sign in, never provisioned (${tenantName})`,
        });
        alerted = true;
      });
      if (alerted) sent++;
    } catch (e) {
      failed.push(c);
      deps.log.warn(
        { kind: "signin_alert", err: e },
        "could not check or send a never-provisioned alert",
      );
    }
  }
  return { sent, failed };
}
