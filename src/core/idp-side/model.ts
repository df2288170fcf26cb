/**
 * The IdP's side of a check (the model; the rules per IdP are beside it), decided once from what a read-only connector
 * read (shared/reference/idp-apis.md §4): is the user in the IdP, assigned to
 * the app (directly, through a group, or only through a nested group that
 * Entra does not follow), and what did the provisioning job do? Pure.
 */
import * as z from "zod";

/**
 * Every cause the IdP side can prove, and what each proves: the person is in
 * the app's scope (assigned: the IdP acts on them), and waiting will not help
 * (blocking: the hire cannot arrive as things stand).
 */
const CAUSE_TABLE = {
  not_assigned: { assigned: false, blocking: true },
  nested_group_only: { assigned: false, blocking: true },
  group_not_security_enabled: { assigned: false, blocking: true },
  user_disabled_in_idp: { assigned: false, blocking: true },
  not_in_idp: { assigned: false, blocking: true },
  waiting_for_cycle: { assigned: true, blocking: false },
  push_skipped: { assigned: true, blocking: false },
  push_failed: { assigned: true, blocking: false },
  job_quarantined: { assigned: true, blocking: true },
  job_paused: { assigned: true, blocking: true },
  pushed: { assigned: true, blocking: false },
  /** The enterprise app (service principal) or Okta app the connection names no longer exists. */
  app_not_found: { assigned: false, blocking: true },
  /** The connector could not read what the decision needs (the provisioning logs…): said, never guessed. */
  idp_unreadable: { assigned: false, blocking: false },
} as const;
export type Cause = keyof typeof CAUSE_TABLE;
export const CAUSES = Object.keys(CAUSE_TABLE) as [Cause, ...Cause[]];

/** Causes that prove the person is assigned to the app (in scope: the IdP acts on them). */
export const ASSIGNED: ReadonlySet<Cause> = new Set(CAUSES.filter((c) => CAUSE_TABLE[c].assigned));

/** Causes that prove the hire cannot arrive by waiting. */
export const BLOCKING: ReadonlySet<Cause> = new Set(CAUSES.filter((c) => CAUSE_TABLE[c].blocking));

export const idpSideSchema = z.object({
  idp: z.enum(["azure", "okta"]),
  cause: z.enum(CAUSES),
  summary: z.string(),
  evidence: z.array(z.string()),
  fix: z.string().nullable(),
  /** What the connector could not read (missing permission…), said once each. */
  unread: z.array(z.string()),
  /**
   * When the IdP's job runs next, when it can be told (Entra's job state):
   * "at" a time, or in its "initial" cycle (hours; not a missing hire).
   */
  nextCycle: z
    .object({ kind: z.enum(["at", "initial", "running"]), at: z.number().nullable() })
    .nullable()
    .optional(),
  /**
   * Known to be in the app's scope (assigned, enabled), whatever else could not
   * be read (the provisioning logs): what offboarding asks. Absent: not proven.
   */
  inScope: z.boolean().optional(),
  /** Pages to open in the IdP's console for this person (core/links.ts). */
  links: z.array(z.object({ label: z.string(), url: z.string() })).optional(),
});
export type IdpSide = z.infer<typeof idpSideSchema>;

/** Builds one IdP's answers: its cause, summary, evidence and fix (what it could not read is added by the reader). */
export function sideOf(idp: IdpSide["idp"]) {
  return (cause: Cause, summary: string, evidence: string[], fix: string | null): IdpSide => ({
    idp,
    cause,
    summary,
    evidence,
    fix,
    unread: [],
  });
}

/**
 * The customer's Entra tenant ID, when the tenant's SSO points at Entra:
 * `https://sts.windows.net/<id>/` (SAML entity ID) or
 * `https://login.microsoftonline.com/<id>/v2.0` (OIDC issuer).
 */
export function entraTenantOf(
  sso: {
    saml?:
      | { idpEntityId?: string | null | undefined; idpSSOUrl?: string | null | undefined }
      | null
      | undefined;
    oidc?: { issuer?: string | null | undefined } | null | undefined;
  } | null,
): string | null {
  for (const url of [sso?.saml?.idpEntityId, sso?.oidc?.issuer, sso?.saml?.idpSSOUrl]) {
    const m =
      /^https:\/\/(?:sts\.windows\.net|login\.microsoftonline\.com)\/([0-9a-f-]{36})(?:\/|$)/i.exec(
        url ?? "",
      );
    if (m?.[1]) return m[1].toLowerCase();
  }
  return null;
}

/** The evidence of "not assigned": what the app is assigned to, and which groups the person is in. */
export function assignmentEvidence(app: string, who: string, groups: string[], mine: string[]) {
  return [
    groups.length
      ? `${app} is assigned to: ${groups.slice(0, 5).join(", ")}`
      : `${app} has no group assigned`,
    mine.length ? `${who} is in: ${mine.slice(0, 5).join(", ")}` : `${who} is in no group`,
  ];
}
