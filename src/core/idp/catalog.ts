/**
 * What scimwatch knows about each identity provider: how and when it pushes
 * users over SCIM, where the clicks are, and what usually goes wrong.
 * Pure data; sources in shared/reference/idp-provisioning.md.
 */

export const IDP_IDS = [
  "azure",
  "okta",
  "google",
  "onelogin",
  "jumpcloud",
  "pingone",
  "generic",
] as const;
export type IdpId = (typeof IDP_IDS)[number];

export interface IdpProfile {
  id: IdpId;
  /** Name shown to people. */
  name: string;
  /** What the IdP calls the thing that represents Descope. */
  appTerm: string;
  /** How pushes are scheduled, in one sentence. */
  cycle: string;
  /** Minutes after an assignment by which the user should normally be in Descope. */
  overdueMinutes: number;
  /** Extra note on first/initial synchronisation, if any. */
  initialCycle?: string;
  /** Click path to assign a group to the app. */
  assignGroup: string;
  /** How to push one user now, if the IdP can. */
  pushNow: string;
  /** What an "everyone" group is in this IdP. */
  everyoneGroup: string;
  /** Failure modes specific to this IdP, most likely first. */
  pitfalls: string[];
  /** Where to look on the IdP side for what it tried. */
  logs: string;
  /**
   * Where SSO's identifier (NameID / e-mail claim) and SCIM's userName are
   * set, to make them the same attribute (failure mode 4 in the reference).
   */
  alignIds: string;
}

export const IDPS: Record<IdpId, IdpProfile> = {
  azure: {
    id: "azure",
    name: "Microsoft Entra ID",
    appTerm: "Enterprise Application",
    cycle:
      "Entra ID pushes in incremental cycles about every 40 minutes (fixed interval); a cycle with few changes usually ends within ~10 minutes.",
    overdueMinutes: 60,
    initialCycle:
      "The initial cycle after provisioning is (re)started takes 20 minutes to several hours (about 0.01–0.08 minutes per assigned user, group and member).",
    assignGroup:
      "Entra ID › Enterprise apps › All applications › [the Descope app] › Users and groups › Add user/group › select the group › Assign",
    pushNow:
      "Enterprise apps › [the Descope app] › Provisioning › Provision on demand › pick the user › Provision (one user at a time, usually under 30 s; its scope step shows whether the user is assigned and in scope)",
    everyoneGroup:
      'Entra has no built-in "everyone" group: create a dynamic group with the rule `user.objectId -ne null` (needs Entra ID P1) and assign it',
    pitfalls: [
      "Nested groups are not followed: only direct members of an assigned group are provisioned. Assign the inner group directly.",
      "Group-based assignment needs Entra ID P1/P2, and assigned groups must be security-enabled.",
      "Quarantine: when most calls fail (for example an expired or revoked Descope access key) cycles back off to once a day. Rotate the key in the app's Provisioning credentials, then Restart provisioning.",
      "userPrincipalName ≠ mail: SSO and SCIM disagree on the login ID. Map the same attribute in both.",
      'Missing email: map emails[type eq "work"].value from Coalesce([mail],[userPrincipalName]).',
      "Provisioning logs show NotEffectivelyEntitled when the user is not assigned (or is disabled in Entra): assign, or unassign and reassign.",
    ],
    logs: "Enterprise apps › [the Descope app] › Provisioning logs (status success / warning / failure / skipped)",
    alignIds:
      "Enterprise apps › [the Descope app] › Single sign-on › Attributes & Claims › Unique User Identifier (Name ID), and Provisioning › Mappings › Provision Microsoft Entra ID Users › userName: both from the same attribute (user.userprincipalname with userPrincipalName, or user.mail with mail); guests carry #EXT# in their userPrincipalName, so map mail for them",
  },
  okta: {
    id: "okta",
    name: "Okta",
    appTerm: "app integration",
    cycle:
      "Okta pushes on events, near-immediately: on assignment, on profile change and on unassignment (it sends active=false, never DELETE).",
    overdueMinutes: 10,
    assignGroup:
      "Okta Admin › Applications › Applications › [the Descope app] › Assignments › Assign › Assign to Groups › Assign › Done",
    pushNow:
      "Applications › [the Descope app] › Assignments: a user with a red “!” was assigned before provisioning was enabled; use Provision User to push them",
    everyoneGroup:
      'Okta\'s built-in "Everyone" group exists, but Okta advises a dedicated group (e.g. app-yourproduct-users)',
    pitfalls: [
      "Users assigned before provisioning was enabled are never pushed: the Assignments tab shows a red “!”; use Provision User.",
      "Assigning a group to the app creates users; Group Push creates groups and memberships. Okta does not support using the same group for both.",
      "A 409 conflict (a user already created by JIT or by hand with the same userName) stops that user: match on the same userName or remove the duplicate.",
      "Push errors land in Okta › Dashboard › Tasks.",
    ],
    logs: "Okta › Dashboard › Tasks, and the System Log (application.provision.user.push, application.user_membership.add)",
    alignIds:
      "Applications › [the Descope app] › Sign On › Credentials Details › Application username format, and Provisioning › To App › the userName mapping: both from the same Okta attribute (Okta username or e-mail)",
  },
  google: {
    id: "google",
    name: "Google Workspace",
    appTerm: "web app (Apps › Web and mobile apps)",
    cycle: 'Google Workspace syncs "every few hours".',
    overdueMinutes: 6 * 60,
    assignGroup:
      "Google Admin › Apps › Web and mobile apps › [the Descope app] › User access › turn it ON for the organizational unit or group",
    pushNow:
      "Google Workspace has no per-user push: wait for the next sync (every few hours) after fixing the user access scope",
    everyoneGroup: "Turn the app ON for the top-level organizational unit",
    pitfalls: [
      "Scope is by organizational unit or group under User access: a user in another OU is not pushed.",
      "Automated provisioning is documented for catalog apps; SCIM to a custom app may not be available.",
    ],
    logs: "Google Admin › Reporting › Audit and investigation › SAML/Admin log events for the app",
    alignIds:
      "Google Admin › Apps › Web and mobile apps › [the Descope app] › Name ID (Basic Information › Primary email) and the userName the provisioning sends: both the primary e-mail",
  },
  onelogin: {
    id: "onelogin",
    name: "OneLogin",
    appTerm: "SCIM Provisioner with SAML connector",
    cycle: "OneLogin pushes when a user enters a Role that has the app, usually within minutes.",
    overdueMinutes: 30,
    assignGroup:
      "OneLogin Admin › Users › Roles › [the role] › Applications › add the Descope app (users in the role are then created)",
    pushNow:
      "Applications › [the Descope app] › Provisioning: if “Require admin approval” is on, approve the pending push; otherwise re-save the user to trigger a push",
    everyoneGroup: "A Role that every user is given (for example by a mapping on all users)",
    pitfalls: [
      "Scope comes from Roles, not groups: the user must hold a Role that includes the app.",
      "With “Require admin approval” on, each push waits in a queue until an admin approves it.",
    ],
    logs: "OneLogin › Activity › Events, filtered on the app",
    alignIds:
      "Applications › [the Descope app] › Configuration › SAML nameID format / value, and Provisioning › the SCIM Username mapping: both from the same attribute (e-mail or username)",
  },
  jumpcloud: {
    id: "jumpcloud",
    name: "JumpCloud",
    appTerm: "SSO application with Identity Management (SCIM)",
    cycle: "JumpCloud pushes on events, usually within minutes.",
    overdueMinutes: 15,
    assignGroup:
      "JumpCloud Admin › SSO Applications › [the Descope app] › User Groups › tick the group › Save",
    pushNow:
      "Add the user to a bound user group (or re-save them): JumpCloud pushes on the change; there is no separate push button",
    everyoneGroup: 'Bind the built-in "All Users" group',
    pitfalls: [
      "Scope is the user groups bound on the app's User Groups tab.",
      "Identity Management must be active on the app's Identity Management tab.",
    ],
    logs: "JumpCloud › Insights (Directory Insights), filtered on the application",
    alignIds:
      "SSO Applications › [the Descope app] › SSO › SAMLSubject NameID, and Identity Management › the userName attribute: both from the same attribute (e-mail or username)",
  },
  pingone: {
    id: "pingone",
    name: "PingOne",
    appTerm: "outbound SCIM provisioning connection and rule",
    cycle: "PingOne provisions in near real time through its provisioning rule.",
    overdueMinutes: 15,
    assignGroup:
      "PingOne › Integrations › Provisioning › [the Descope rule] › User Filter › select the population or group › Save",
    pushNow:
      "Make sure the user matches the rule's User Filter; PingOne syncs on the change (a rule's Sync action re-runs it for everyone)",
    everyoneGroup: "Filter on the whole population",
    pitfalls: [
      "Only users matching the rule's User Filter (population or group) are provisioned.",
      "The rule must be enabled, and the connection's credentials (the Descope access key) valid.",
    ],
    logs: "PingOne › Monitoring › Audit, filtered on provisioning events",
    alignIds:
      "Connections › Applications › [the Descope app] › Attribute Mappings › saml_subject, and the provisioning rule's userName mapping: both from the same attribute",
  },
  generic: {
    id: "generic",
    name: "the IdP",
    appTerm: "application that represents Descope",
    cycle:
      "Each IdP pushes on its own schedule: some on every change, some in cycles (Entra ID every ~40 minutes).",
    overdueMinutes: 60,
    assignGroup:
      "In the IdP, open the application that represents Descope › its assignments (users and groups) › assign a group rather than individual users",
    pushNow:
      "Use the IdP's on-demand push if it has one (Entra: Provision on demand; Okta: Provision User); otherwise wait for its next cycle",
    everyoneGroup: 'The IdP\'s built-in "Everyone" / "All Users" group',
    pitfalls: [
      "Nested groups may not be followed: assign the group that directly contains the user.",
      "An expired or revoked Descope access key makes every push fail: rotate it in the IdP's provisioning settings.",
    ],
    logs: "The IdP's provisioning logs for the app",
    alignIds:
      "In the IdP, the SSO app's identifier (SAML NameID or the OIDC e-mail claim) and the SCIM app's userName mapping must come from the same attribute",
  },
};

/** Failure modes every IdP shares (shared/reference/idp-provisioning.md). */
export const COMMON_PITFALLS = [
  "Users assigned one by one: every new hire must be remembered. Assign a group instead.",
  "SSO and SCIM use different IdP apps: the user can authenticate but is unknown to Descope. Assign the same group to both apps.",
  "Group → role mapping in Descope does not provision anyone: it only gives roles to users the IdP already pushed.",
] as const;

/** The seed document's choice of which group to assign. */
export const GROUP_CHOICE = [
  'Everyone in the company should be able to sign in → the IdP\'s "Everyone" / "All Users" group',
  "Only certain departments → one or more department groups (e.g. engineering, security)",
  "Access is controlled by an existing access group → that IT-managed group (e.g. app-yourproduct-users)",
] as const;

const ALIASES: Record<string, IdpId> = {
  azure: "azure",
  entra: "azure",
  "entra-id": "azure",
  entraid: "azure",
  azuread: "azure",
  "azure-ad": "azure",
  okta: "okta",
  google: "google",
  "google-workspace": "google",
  gsuite: "google",
  onelogin: "onelogin",
  jumpcloud: "jumpcloud",
  pingone: "pingone",
  ping: "pingone",
  generic: "generic",
};

/** Parses an IdP name as people type it ("entra", "Azure", "okta"); undefined if unknown. */
export function parseIdp(input: string): IdpId | undefined {
  return ALIASES[input.trim().toLowerCase()];
}
