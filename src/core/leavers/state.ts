/**
 * The one rule for a leaver: what the checklist shows, whether they are
 * still enabled in Descope past their last day plus the IdP's window (the
 * same window rule as hires, core/window.ts), what the IdP did, and the fix.
 * Pure.
 */
import { IDPS } from "../idp/catalog.js";
import { ASSIGNED, type Cause } from "../idp-side/model.js";
import { withinWindow } from "../window.js";
import type { Leaver } from "./model.js";

export interface LeaverFacts {
  /** Descope's user: its status, "deleted" when it is gone; null when it could not be read. */
  descope: { status: string } | "deleted" | null;
  /** The IdP's side: its cause for this person; "none" without a connector; null when unreadable. */
  idp: { cause: Cause; inScope?: boolean | undefined; appName?: string } | "none" | null;
  /** Their last successful sign-in scimwatch saw, or null. */
  lastSignInAt: number | null;
  now: number;
}

export type LeaverStatus = "waiting" | "still_enabled" | "gone" | "unknown";

export interface LeaverView {
  status: LeaverStatus;
  items: { idpRemoved: boolean | null; descopeDisabled: boolean | null; noSignin: boolean | null };
  /** Past the last day plus the IdP's window, still enabled in Descope. */
  overdue: boolean;
  /** Everything done: out of the IdP (or no connector), gone from Descope, no sign-in after. */
  done: boolean;
  /** What the IdP did, in a sentence. */
  idpDid: string;
  fix: string;
  signedInAfter: number | null;
}

export function leaverView(l: Leaver, f: LeaverFacts, graceMinutes: number): LeaverView {
  const idp = IDPS[l.idp];
  const descopeDisabled =
    f.descope === null
      ? null
      : f.descope === "deleted" || ["disabled", "expired"].includes(f.descope.status);
  const idpRemoved =
    f.idp === "none" || f.idp === null
      ? null
      : f.idp.inScope === true
        ? false
        : ["idp_unreadable", "app_not_found"].includes(f.idp.cause)
          ? null
          : !ASSIGNED.has(f.idp.cause);
  const after = f.lastSignInAt !== null && f.lastSignInAt > l.lastDay ? f.lastSignInAt : null;
  const lastDayOver = f.now > l.lastDay;
  const noSignin = after !== null ? false : lastDayOver ? true : null;
  const overdue = descopeDisabled === false && !withinWindow(l.lastDay, l.idp, graceMinutes, f.now);
  const done = descopeDisabled === true && idpRemoved !== false && lastDayOver && after === null;
  const app = f.idp && f.idp !== "none" ? (f.idp.appName ?? "the Descope app") : "the Descope app";
  let idpDid: string;
  if (f.idp === "none") idpDid = `unknown: no ${idp.name} connector for this tenant`;
  else if (f.idp === null) idpDid = `unknown: ${idp.name} could not be read`;
  else if (idpRemoved === null)
    idpDid = `unknown: ${idp.name} could not tell whether they are still assigned (${f.idp.cause.replace(/_/g, " ")})`;
  else if (idpRemoved === false)
    idpDid = `nothing that ends access: they are still assigned to ${app} (removing someone from a role-mapped group changes their roles in Descope, not their access)`;
  else if (descopeDisabled === false)
    idpDid = `out of ${app}'s scope, but ${idp.name} did not deprovision them (deactivation or out-of-scope deletions are off)`;
  else idpDid = `removed them from ${app}`;
  const fix =
    idpRemoved === false
      ? `Remove them from the group *assigned* to ${app} (or unassign them), not only from a role-mapped group; ${idp.name} then deactivates them in Descope on its next push. Or disable them in Descope now (Users › the user › Disable).`
      : l.idp === "okta"
        ? `Turn "Deactivate Users" on in ${app} › Provisioning › To App, and disable them in Descope now (Users › the user › Disable).`
        : l.idp === "azure"
          ? `Entra skipped them: check ${app} › Provisioning › Settings ("Skip out of scope deletions") and its provisioning logs; disable them in Descope now (Users › the user › Disable).`
          : `Unassign them from the app in ${idp.name}, and disable them in Descope now (Users › the user › Disable).`;
  const status: LeaverStatus = done
    ? "gone"
    : overdue
      ? "still_enabled"
      : descopeDisabled === null
        ? "unknown"
        : "waiting";
  return {
    status,
    items: { idpRemoved, descopeDisabled, noSignin },
    overdue,
    done,
    idpDid,
    fix,
    signedInAfter: after,
  };
}
