/**
 * What to do, per verdict, for the tenant's IdP. Pure: builds numbered steps
 * from the IdP catalog. Group-based assignment is always the recommended fix.
 */
import { GROUP_CHOICE, type IdpProfile } from "../idp/catalog.js";
import type { GroupMapping } from "./facts.js";
import type { Verdict } from "./verdicts.js";

export interface RemediationContext {
  loginId: string;
  tenantName: string | null;
  idp: IdpProfile;
  /** The last SCIM error, for scim_error. */
  lastError: string | undefined;
  mappings: GroupMapping[];
  jitDisabled: boolean | null;
  /** For pending_cycle: when the user should have arrived (epoch ms). */
  dueAt: number | null;
  /** For identifier_mismatch: the login ID the Descope user has. */
  descopeLoginId: string | null;
}

/** "2026-11-28 14:05 UTC" (Slack shows it in each reader's zone). */
const hhmm = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

function groupAdvice(idp: IdpProfile): string {
  return `Assign a group, not individual users, so the next hire is not forgotten. Choose: ${GROUP_CHOICE.join("; ")}. ${idp.id === "generic" ? "" : `In ${idp.name}: ${idp.everyoneGroup}.`}`.trim();
}

function assignStep(ctx: RemediationContext): string {
  return `Make sure ${ctx.loginId} is a direct member of a group assigned to the Descope ${ctx.idp.appTerm} in ${ctx.idp.name}: ${ctx.idp.assignGroup}.`;
}

function pushStep(ctx: RemediationContext): string {
  return `Push them now instead of waiting: ${ctx.idp.pushNow}.`;
}

function mappingText(mappings: GroupMapping[]): string {
  return mappings
    .slice(0, 5)
    .map((m) => `${m.groups.join(" / ")} → ${m.role}`)
    .join("; ");
}

/** Hints for well-known SCIM error messages. */
function errorHint(error: string, idp: IdpProfile): string | undefined {
  const e = error.toLowerCase();
  if (/409|conflict|already exist|duplicate|uniqueness/.test(e)) {
    return "A user with the same login ID already exists (created by JIT or by hand): make the IdP match on the same userName, or remove the duplicate in Descope, then push again.";
  }
  if (/e-?mail/.test(e)) {
    return `The IdP sent no usable email: map emails[type eq "work"].value${idp.id === "azure" ? " from Coalesce([mail],[userPrincipalName])" : ""} in the app's attribute mappings.`;
  }
  if (/401|403|unauthori[sz]ed|forbidden|token|access key|expired/.test(e)) {
    return `The IdP's Descope access key is invalid or expired: create a new access key in Descope, paste it into the app's provisioning credentials in ${idp.name}${idp.id === "azure" ? ", then Restart provisioning (quarantine)" : ""}.`;
  }
  if (/tenant/.test(e)) {
    return "The push targets a tenant Descope does not accept: check that the SCIM access key belongs to this tenant.";
  }
  return undefined;
}

export function remediationFor(verdict: Verdict, ctx: RemediationContext): string[] {
  const { idp } = ctx;
  switch (verdict) {
    case "provisioned":
      // Nothing to fix: no lecture on group assignment here (it is for the people still missing).
      return [
        "Nothing to fix on the provisioning side: the IdP pushed this user and they are enabled.",
        `If they still cannot sign in, check that SSO and SCIM use the same login ID (for example userPrincipalName vs mail) and the same ${idp.appTerm}.`,
      ];
    case "provisioned_no_roles":
      return [
        `Group mapping is not provisioning: ${ctx.loginId} was pushed, but none of the groups ${idp.name} sends for them is mapped to a role.${ctx.mappings.length ? ` Mapped now: ${mappingText(ctx.mappings)}.` : ""}`,
        `Either add ${ctx.loginId} to a mapped group in ${idp.name}, or map the group they are in: Descope Console › Tenants › ${ctx.tenantName ?? "[tenant]"} › SSO › Group mapping.`,
        `Make sure the ${idp.appTerm} sends groups (SCIM group push / the SAML groups claim); the roles apply at the next push or sign-in.`,
      ];
    case "deprovisioned":
      return [
        `If ${ctx.loginId} should have access, add them back to the group assigned to the Descope ${idp.appTerm} in ${idp.name}: ${idp.assignGroup}.`,
        `The IdP reactivates them on its next push; to speed it up: ${idp.pushNow}.`,
        "Removing someone from the assigned group deactivates them; removing them from a role-mapped group only changes their roles.",
      ];
    case "deleted_by_idp":
      return [
        `Nothing to fix if ${ctx.loginId} left: ${idp.name} removes people who leave the app's scope.`,
        `If it was a mistake, add them back to the group assigned to the Descope ${idp.appTerm} in ${idp.name}: ${idp.assignGroup}. ${idp.name} creates them again on its next push; to speed it up: ${idp.pushNow}.`,
      ];
    case "identifier_mismatch":
      return [
        `Make SSO and SCIM send the same identifier: ${idp.alignIds}.`,
        `Until then ${ctx.loginId} can sign in as ${ctx.descopeLoginId ?? "the login ID Descope has"}. If ${ctx.loginId} is the one to keep, change the SCIM userName mapping instead: ${idp.name} updates the login ID on its next push (${idp.pushNow}).`,
        `Do not create a second user for ${ctx.loginId} by hand or through JIT: it would not be SCIM-managed, and the IdP's next push could fail with a 409 conflict.`,
      ];
    case "other_tenant":
      return [
        `Check the login ID and the tenant: ${ctx.loginId} belongs to another tenant in Descope.`,
        `If ${ctx.tenantName ?? "this tenant"}'s IdP should push them, assign them (through a group) to the ${idp.appTerm} whose SCIM access key belongs to ${ctx.tenantName ?? "this tenant"}.`,
      ];
    case "not_scim_managed":
      return [
        `This user was not created by SCIM, so changes in ${idp.name} (deactivation, groups) will not reach them.`,
        `To bring them under SCIM, assign them through a group: ${idp.assignGroup}. A SCIM push for an existing user can fail with 409 (conflict): make the IdP match on the same userName, or remove the duplicate first.`,
        ctx.jitDisabled === false
          ? "JIT is on for this tenant and creates users at first sign-in; once group-based assignment is in place, disable JIT so SCIM is the source of truth."
          : groupAdvice(idp),
      ];
    case "scim_error": {
      const hint = ctx.lastError ? errorHint(ctx.lastError, idp) : undefined;
      return [
        ...(hint
          ? [hint]
          : [`Fix the cause of the error the IdP hit: ${ctx.lastError ?? "see the SCIM events"}.`]),
        `Read the IdP's side of it: ${idp.logs}.`,
        `Then push the user again: ${idp.pushNow}.`,
      ];
    }
    case "pending_cycle":
      return [
        `Wait for ${idp.name}'s next cycle${ctx.dueAt ? ` (expected by ${hhmm(ctx.dueAt)})` : ""}: ${idp.cycle}`,
        pushStep(ctx),
        `If they are still missing after that: ${assignStep(ctx)}`,
      ];
    case "sso_without_scim":
      return [
        `${ctx.loginId} can authenticate, so an SSO app in ${idp.name} includes them, but the SCIM app does not: assign the same group to both the SSO and the SCIM ${idp.appTerm}. ${idp.assignGroup}.`,
        pushStep(ctx),
        ctx.jitDisabled
          ? "JIT is disabled for this tenant (right when SCIM is the source of truth): until the user is pushed they cannot sign in."
          : "Do not turn JIT on as a workaround: fix the assignment so SCIM stays the source of truth.",
        groupAdvice(idp),
      ];
    case "not_provisioned":
      return [
        assignStep(ctx),
        ...(idp.id === "azure"
          ? [
              "Nested groups are not followed by Entra ID: if they are in a group inside the assigned group, assign the inner group directly.",
            ]
          : []),
        pushStep(ctx),
        groupAdvice(idp),
      ];
  }
}
