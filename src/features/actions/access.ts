/**
 * Who may have fix-it actions on a tenant, and what each would call: one
 * write-access rule for the button, the request and `/scim connections`.
 */
import type { Action, ActionKind } from "../../core/actions/model.js";
import { DESCOPE_KINDS, parseKeySubject, REFUSALS } from "../../core/actions/model.js";
import type { ActionDeps } from "./run.js";

type AccessDeps = Pick<ActionDeps, "connections" | "entraWrite" | "approvers" | "secretBox">;
/** From Slack a second person approves (no approvers: actions off); from a terminal the operator holding the credentials is that person. */
export type Asker = "slack" | "operator";

/** Whether a tenant has write access for this action, or why not (one rule: the button, the request, /scim connections, `scimwatch act`). */
export async function writeAccess(
  deps: AccessDeps,
  tenantId: string,
  asker: Asker = "slack",
): Promise<{ ok: true; target: Action["target"] } | { ok: false; why: string }> {
  if (asker === "slack" && !deps.approvers.size) return { ok: false, why: REFUSALS.actions_off };
  const c = await deps.connections.get(tenantId);
  if (!c) return { ok: false, why: "this tenant has no IdP connection" };
  if (c.idp === "okta") {
    if (!c.writeSealed || !deps.secretBox)
      return {
        ok: false,
        why: "write access is not granted for this tenant (`/scim write <tenant> on`, admins: an Okta token with okta.apps.manage and okta.groups.manage)",
      };
    return {
      ok: true,
      target: { idp: "okta", oktaUrl: c.oktaUrl, appId: c.appId, appName: c.appName },
    };
  }
  if (!deps.entraWrite)
    return {
      ok: false,
      why: "ENTRA_WRITE_CLIENT_ID and ENTRA_WRITE_CLIENT_SECRET are not set on scimwatch",
    };
  if (!c.write)
    return {
      ok: false,
      why: "write access is not granted for this tenant (`/scim write <tenant> on`, admins)",
    };
  if (!c.jobId) return { ok: false, why: "the enterprise app has no provisioning job" };
  return {
    ok: true,
    target: {
      idp: "azure",
      entraTenant: c.entraTenant,
      spId: c.spId,
      jobId: c.jobId,
      appName: c.appName,
    },
  };
}

/** What a request will call: the IdP's app for a person's action, Descope's key (and, with Entra write access, the job that takes it) for a rotation. */
export async function targetOf(
  deps: AccessDeps,
  kind: ActionKind,
  tenantId: string,
  loginId: string,
  asker: Asker = "slack",
): Promise<{ ok: true; target: Action["target"] } | { ok: false; why: string }> {
  if (!DESCOPE_KINDS.has(kind)) return writeAccess(deps, tenantId, asker);
  // Descope's own key: the management key scimwatch holds is the write access; approvers decide.
  const k = parseKeySubject(loginId);
  if (asker === "slack" && !deps.approvers.size) return { ok: false, why: REFUSALS.actions_off };
  if (!k || (kind === "revoke_old_key" && !k.keep))
    return { ok: false, why: "This button does not name the SCIM key it is about." };
  // With Entra write access, the rotation hands the new key to the job itself (validated first).
  const w = kind === "rotate_key" ? await writeAccess(deps, tenantId, asker) : null;
  const entra =
    w?.ok && w.target.idp === "azure"
      ? {
          entraTenant: w.target.entraTenant,
          spId: w.target.spId,
          jobId: w.target.jobId,
          appName: w.target.appName,
        }
      : null;
  return { ok: true, target: { idp: "descope", tenantId, ssoId: k.ssoId, keep: k.keep, entra } };
}
