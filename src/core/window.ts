/**
 * The one IdP-window rule, used by /scim check, the checklist, the alerts, the
 * App Home and the CLI alike: someone assigned in the IdP at `assignedAt` is
 * expected in Descope by the IdP's usual window plus a grace period
 * (SCIMWATCH_GRACE_MINUTES); until then they are "waiting for the next
 * cycle", after it they are missing. Pure.
 */
import { IDPS, type IdpId } from "./idp/catalog.js";

export const DEFAULT_GRACE_MINUTES = 15;

/** When someone assigned at `assignedAt` should be in Descope (epoch ms). */
export function expectedBy(assignedAt: number, idp: IdpId, graceMinutes: number): number {
  return assignedAt + (IDPS[idp].overdueMinutes + graceMinutes) * 60_000;
}

/** Still inside the window: not yet missing. */
export function withinWindow(
  assignedAt: number,
  idp: IdpId,
  graceMinutes: number,
  now: number,
): boolean {
  return now <= expectedBy(assignedAt, idp, graceMinutes);
}
