import type { DescopeClient } from "../../descope/client.js";
import type { AuditIndex } from "../../redis/audit-index.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import { type IdpReaders, idpSideReader } from "../idp-side.js";
import type { Outbox } from "../notify/outbox.js";
import { type EvalResult, evaluateHires } from "./evaluator.js";
import { proveHires } from "./idp-proof.js";
import { alertStartDates } from "./start-alerts.js";

/** The stores and adapters deciding about hires needs (a subset of the wiring's Services). */
export interface HireWork extends IdpReaders {
  descope: DescopeClient;
  index: AuditIndex;
  hires: HireStore;
  links: LinkStore;
  once: OnceStore;
  outbox: Outbox;
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
