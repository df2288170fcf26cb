export const VERDICTS = [
  "provisioned",
  "provisioned_no_roles",
  "deprovisioned",
  "other_tenant",
  "not_scim_managed",
  "scim_error",
  "pending_cycle",
  "sso_without_scim",
  "not_provisioned",
  /** Gone from Descope because the IdP removed them over SCIM (a DELETE, or deactivated then deleted). */
  "deleted_by_idp",
  /** A user exists under another login ID, and sign-ins with the identifier asked about fail. */
  "identifier_mismatch",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdict in a few words, for headers. */
export const VERDICT_TITLES: Record<Verdict, string> = {
  provisioned: "Provisioned",
  provisioned_no_roles: "Provisioned, but no roles",
  deprovisioned: "Deprovisioned (disabled)",
  other_tenant: "In another tenant",
  not_scim_managed: "Exists, but not managed by SCIM",
  scim_error: "The IdP's push failed",
  pending_cycle: "Waiting for the IdP's next cycle",
  sso_without_scim: "Signed in through SSO, never provisioned",
  not_provisioned: "Not provisioned",
  deleted_by_idp: "Removed by the IdP",
  identifier_mismatch: "Exists under another login ID",
};

/** Whether the verdict means the user can work normally. */
export const VERDICT_OK: Record<Verdict, boolean> = {
  provisioned: true,
  provisioned_no_roles: false,
  deprovisioned: false,
  other_tenant: false,
  not_scim_managed: false,
  scim_error: false,
  pending_cycle: false,
  sso_without_scim: false,
  not_provisioned: false,
  deleted_by_idp: false,
  identifier_mismatch: false,
};

/** How a user found under another identifier was matched, in words. */
export const MATCHED_BY_TEXT = {
  login_id: "login ID",
  email: "e-mail",
  scim_user_name: "the userName the IdP sent over SCIM",
} as const;
