/**
 * Reconciliation's plain data: who the IdP has in scope for the app, who
 * Descope has in the tenant, and the category each person falls in. The
 * categories are an interface (`--json`, the CSV, the Slack answer): keep
 * their names. Pure.
 */

/** Every category, in the order answers show them. */
export const CATEGORIES = [
  "missing",
  "orphaned",
  "state_mismatch",
  "nested_only",
  "not_scim_managed",
  "pending",
  "unverified",
  "in_sync",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** How the IdP reaches a person for the app. */
export type IdpScope =
  /** Assigned to the app directly. */
  | "direct"
  /** A direct member of an assigned (security-enabled) group. */
  | "group"
  /** Entra's "sync all users and groups". */
  | "all"
  /** Only through a group nested in an assigned group: Entra does not provision them. */
  | "nested"
  /** Only through an assigned group that is not security-enabled: Entra does not provision them. */
  | "not_security";

export interface IdpPerson {
  /** The IdP's own ID (Entra object ID, Okta user ID). */
  id: string;
  /** What to show: Entra's UPN, Okta's app username. */
  loginId: string;
  /** Every identifier Descope may know them by (UPN, mail, Okta login, app username, e-mail). */
  names: string[];
  /** Enabled in the IdP (Entra accountEnabled; Okta: user and app user active); null when not read. */
  enabled: boolean | null;
  scope: IdpScope;
  /** The group that brings them in, or the nested path ("Sales-EU in Sales"). */
  via?: string | undefined;
  /** When the assignment began (epoch ms), where the IdP says (Entra direct, Okta app user). */
  since?: number | undefined;
  /** Okta: the app user's status and sync state. */
  appStatus?: string | undefined;
  syncState?: string | undefined;
}

export interface DescopePerson {
  userId: string;
  loginIds: string[];
  email?: string | undefined;
  name?: string | undefined;
  /** enabled | disabled | invited | expired */
  status: string;
  /** The SCIM flag: created or updated by SCIM. */
  scim: boolean;
  createdAt?: number | undefined;
  /** The last successful sign-in scimwatch saw (audit tail), epoch ms. */
  lastSignInAt?: number | undefined;
}

export interface ReconcileRow {
  loginId: string;
  category: Category;
  idpState: string;
  descopeState: string;
  fix: string;
}

export type Counts = Record<Category, number>;

export const emptyCounts = (): Counts =>
  Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Counts;

/** Descope's statuses that let someone in. */
export const descopeEnabled = (p: DescopePerson): boolean =>
  p.status === "enabled" || p.status === "invited";

/** Whether a count asks for someone to act (everything but in_sync and pending). */
export const needsAction = (c: Category): boolean => c !== "in_sync" && c !== "pending";
