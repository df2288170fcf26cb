/**
 * Everything that decides about open hires, in order: the evaluation
 * (checklists, overdue alerts, resolutions), the IdP's proof where a
 * connector proves more, and start-date alerts. For every open hire after a
 * read, or just the ones registered or re-checked now. Nobody waits on it:
 * its Descope calls leave the budget's reserve to checks and registrations.
 */
import type { EntraHttp } from "../../connectors/entra-http.js";
import type { DescopeClient } from "../../descope/client.js";
import type { Logger } from "../../log/logger.js";
import type { EgressPolicy } from "../../net/egress.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { ConnectionStore } from "../../redis/connections.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import type { SecretBox } from "../../redis/secret-box.js";
import { idpSideReader } from "../idp-side.js";
import type { Outbox } from "../notify/outbox.js";
import { type EvalResult, evaluateHires } from "./evaluator.js";
import { proveHires } from "./idp-proof.js";
import { alertStartDates } from "./start-alerts.js";

/** The stores and adapters deciding about hires needs (a subset of the wiring's Services). */
export interface HireWork {
  descope: DescopeClient;
  index: AuditIndex;
  hires: HireStore;
  links: LinkStore;
  once: OnceStore;
  outbox: Outbox;
  connections: ConnectionStore;
  entra: EntraHttp | null;
  secretBox: SecretBox | null;
  egress: EgressPolicy;
  log: Logger;
  now: () => number;
  settings: {
    graceMinutes: number;
    alertChannel?: string | undefined;
    startLeadHours?: number | undefined;
  };
}

export async function evaluateAll(deps: HireWork, ids?: string[]): Promise<EvalResult> {
  const s = deps.settings;
  const base = {
    ...deps,
    descope: deps.descope.background(),
    graceMinutes: s.graceMinutes,
    alertChannel: s.alertChannel,
    idpSide: idpSideReader(deps),
  };
  const r = await evaluateHires(base, ids);
  await proveHires(base, ids).catch((e: unknown) =>
    deps.log.warn({ kind: "idp_proof", err: e }, "IdP proof failed; the next read retries"),
  );
  await alertStartDates({ ...base, startLeadHours: s.startLeadHours }, ids).catch((e: unknown) =>
    deps.log.warn(
      { kind: "start_alert", err: e },
      "start-date alerts failed; the next read retries",
    ),
  );
  return r;
}
