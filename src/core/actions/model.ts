/**
 * Fix-it actions: the next click as a button, approved by a second person.
 * Which actions exist, which fits an answer, the stored request (its type
 * from its schema), and who may do what with it — one rule each. Pure.
 */
import * as z from "zod";
import type { Verdict } from "../diagnosis/verdicts.js";
import type { IdpSide } from "../idp-side/model.js";

export const ACTION_KINDS = [
  "push_now",
  "restart_job",
  "assign",
  "rotate_key",
  "revoke_old_key",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_TITLES: Record<ActionKind, string> = {
  push_now: "Entra: provision on demand",
  restart_job: "Entra: restart the provisioning job",
  assign: "Okta: assign to the app",
  rotate_key: "Descope: a new SCIM key (the old one stays valid)",
  revoke_old_key: "Descope: revoke the old SCIM keys (deactivated, restorable)",
};

/** Descope's own actions (the key rotation): they concern the tenant's SCIM key, not a person. */
export const DESCOPE_KINDS: ReadonlySet<ActionKind> = new Set(["rotate_key", "revoke_old_key"]);

/**
 * A key action's button carries its SSO configuration (and, for the revoke,
 * the new key to keep) where a person's login ID goes: "key:<ssoId>[:<keep>]".
 */
export const keySubject = (ssoId: string | null, keep?: string) =>
  `key:${ssoId ?? ""}${keep ? `:${keep}` : ""}`;
export function parseKeySubject(s: string): { ssoId: string | null; keep: string | null } | null {
  const m = /^key:([^:]*)(?::(.+))?$/.exec(s);
  return m ? { ssoId: m[1] || null, keep: m[2] ?? null } : null;
}

/** An approval is asked within this long, then the request expires. */
export const APPROVAL_WINDOW_MS = 60 * 60_000;

export const STATES = [
  "requested",
  "approved",
  "declined",
  "expired",
  "running",
  "done",
  "failed",
  /** The process stopped during the call: its outcome is unknown, and it is not sent again. */
  "interrupted",
] as const;
export type ActionState = (typeof STATES)[number];

export const actionSchema = z.object({
  id: z.string(),
  kind: z.enum(ACTION_KINDS),
  tenantId: z.string(),
  tenantName: z.string(),
  loginId: z.string(),
  requestedBy: z.string(),
  channel: z.string(),
  /** The request message (its thread holds the record). */
  ts: z.string().nullable(),
  createdAt: z.number(),
  expiresAt: z.number(),
  state: z.enum(STATES),
  decidedBy: z.string().nullable(),
  decidedAt: z.number().nullable(),
  /** Exactly what will be called, shown before approval. */
  call: z.string(),
  /** What the connector needs to make the call. */
  target: z.discriminatedUnion("idp", [
    z.object({
      idp: z.literal("azure"),
      entraTenant: z.string(),
      spId: z.string(),
      jobId: z.string(),
      appName: z.string(),
    }),
    z.object({
      idp: z.literal("okta"),
      oktaUrl: z.string(),
      appId: z.string(),
      appName: z.string(),
    }),
    z.object({
      idp: z.literal("descope"),
      tenantId: z.string(),
      ssoId: z.string().nullable(),
      /** The revoke keeps this key (the new one) active. */
      keep: z.string().nullable(),
      /** With Entra write access: the app whose job takes the new key (validated before the old keys go). */
      entra: z
        .object({
          entraTenant: z.string(),
          spId: z.string(),
          jobId: z.string(),
          appName: z.string(),
        })
        .nullable()
        .default(null),
    }),
  ]),
  /** The key a rotation created (its ID, never its token). */
  newKeyId: z.string().nullable().default(null),
  /** The rotation also deactivated the old keys (Entra validated the new one): no second step to offer. */
  keysRevoked: z.boolean().default(false),
  /** What the IdP answered (never a secret), and the verdict after. */
  outcome: z.string().nullable().default(null),
  // Redis's Lua (cjson) writes an empty array back as {}: read as [].
  steps: z.preprocess(
    (v) => (Array.isArray(v) ? v : []),
    z.array(
      z.object({ name: z.string(), type: z.string(), status: z.string(), description: z.string() }),
    ),
  ),
  verdictAfter: z.string().nullable().default(null),
  startedAt: z.number().nullable().default(null),
  finishedAt: z.number().nullable().default(null),
});
export type Action = z.infer<typeof actionSchema>;

/**
 * The actions that fit an answer: provision on demand when Entra has the person
 * in scope and nothing blocks the push; restart when the job is in quarantine.
 * Only with write access for the tenant.
 */
export function actionsFitting(
  d: { verdict: Verdict; idpSide?: IdpSide | null | undefined },
  write: { entra: boolean; okta?: boolean },
): ActionKind[] {
  const side = d.idpSide;
  // Okta: someone who exists in Okta but is not assigned to the app (a group is the better fix).
  if (write.okta && side?.idp === "okta" && side.cause === "not_assigned") return ["assign"];
  if (!write.entra || side?.idp !== "azure") return [];
  const out: ActionKind[] = [];
  if (
    side.inScope === true &&
    ["pending_cycle", "not_provisioned", "scim_error"].includes(d.verdict) &&
    ["waiting_for_cycle", "push_skipped", "push_failed", "idp_unreadable"].includes(side.cause)
  )
    out.push("push_now");
  if (side.cause === "job_quarantined") out.push("restart_job");
  return out;
}

export type Refusal =
  | "not_an_approver"
  | "own_request"
  | "expired"
  | "already_decided"
  | "actions_off";

/**
 * May this person approve or decline this request now? Approvers only
 * (SCIMWATCH_APPROVERS), never the requester, within the hour, once.
 */
export function mayDecide(
  a: Pick<Action, "state" | "requestedBy" | "expiresAt">,
  userId: string,
  approvers: ReadonlySet<string>,
  now: number,
): Refusal | null {
  if (!approvers.size) return "actions_off";
  if (a.state !== "requested") return "already_decided";
  if (now > a.expiresAt) return "expired";
  if (userId === a.requestedBy) return "own_request";
  if (!approvers.has(userId)) return "not_an_approver";
  return null;
}

export const REFUSALS: Record<Refusal, string> = {
  not_an_approver: "Only an approver (SCIMWATCH_APPROVERS) can approve or decline this.",
  own_request: "You asked for this: another approver decides (a second pair of eyes).",
  expired: "This request expired (an hour without a decision): ask again from a fresh answer.",
  already_decided: "This request was already decided.",
  actions_off: "Fix-it actions are off: no approvers are configured (SCIMWATCH_APPROVERS).",
};

/** The call, as shown before approval and recorded after. */
export function callOf(kind: ActionKind, t: Action["target"], loginId: string): string {
  if (t.idp === "descope") {
    const where = `tenant ${t.tenantId}${t.ssoId ? `, SSO configuration ${t.ssoId}` : ""}`;
    if (kind === "rotate_key" && t.entra) {
      const job = `/servicePrincipals/${t.entra.spId}/synchronization`;
      return `POST /v1/mgmt/scim/key/create for ${where} (never expires; the old key stays valid); then in Entra tenant ${t.entra.entraTenant}, app ${t.entra.appName}: POST ${job}/jobs/${t.entra.jobId}/validateCredentials with Descope's SCIM address and the new token, PUT ${job}/secrets, POST ${job}/jobs/${t.entra.jobId}/restart (empty criteria); only once Entra has validated and saved it, POST /v1/mgmt/scim/key/revoke (deactivate, restorable) and /activate the new key. The token is shown to no one (if Entra refuses it, once to the approver)`;
    }
    return kind === "rotate_key"
      ? `POST /v1/mgmt/scim/key/create for ${where} (never expires; the old key stays valid; the token is shown once, to the approver)`
      : `POST /v1/mgmt/scim/key/revoke (deactivate, restorable) then /activate ${t.keep} for ${where}: every other key of the configuration stops working`;
  }
  if (t.idp === "okta")
    return `PUT /api/v1/groups/{the group assigned to ${t.appName}}/users/{${loginId}'s Okta ID} at ${t.oktaUrl} (or, when the app has no group, POST /api/v1/apps/${t.appId}/users: a direct assignment)`;
  const job = `/servicePrincipals/${t.spId}/synchronization/jobs/${t.jobId}`;
  return kind === "push_now"
    ? `POST ${job}/provisionOnDemand for ${loginId} (the job's user rule) in Entra tenant ${t.entraTenant}, app ${t.appName}`
    : `POST ${job}/restart with empty criteria (Restart provisioning: lifts quarantine, re-reads everyone) in Entra tenant ${t.entraTenant}, app ${t.appName}`;
}
