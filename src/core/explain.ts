/**
 * The seed document's guidance (shared/seed/scim-best-practices.txt), per
 * topic and per IdP, as plain text sections. Pure.
 */
import { COMMON_PITFALLS, GROUP_CHOICE, IDPS, type IdpId } from "./idp/catalog.js";

export interface Guide {
  title: string;
  sections: string[];
}

const CORE =
  "Descope is the SCIM service provider: it receives the users and groups the IdP pushes. It never pulls and cannot force a resync. A user exists in Descope only if the IdP assigned them — directly or through a group — to the app that represents Descope.";

export const EXPLAIN_TOPICS = ["assignment", "mapping", "timing", "jit", "deprovisioning"] as const;
export type ExplainTopic = (typeof EXPLAIN_TOPICS)[number];

const TOPIC_LINES: Record<ExplainTopic, string> = {
  assignment: "why to assign a group, not individual users",
  mapping: "group → role mapping is not provisioning",
  timing: "when the IdP pushes, and how to push one user now",
  jit: "turning JIT off needs group-based assignment",
  deprovisioning: "removal from the assigned group vs from a role-mapped group",
};

export function explain(topic: ExplainTopic | undefined, idpId: IdpId = "generic"): Guide {
  const idp = IDPS[idpId];
  const forIdp = idpId === "generic" ? "" : ` (${idp.name})`;
  switch (topic) {
    case undefined:
      return {
        title: "SCIM provisioning, in five topics",
        sections: [
          CORE,
          Object.entries(TOPIC_LINES)
            .map(([t, line]) => `• \`/scim explain ${t}\` — ${line}`)
            .join("\n"),
          "Add an IdP for its click paths, e.g. `/scim explain timing azure`.",
        ],
      };
    case "assignment":
      return {
        title: `Assign a group, not individual users${forIdp}`,
        sections: [
          CORE,
          "The most common pain point: users assigned to the app one by one. It works for the first rollout, then every new hire has to be remembered — the next one who is forgotten cannot sign in, and “SCIM is broken”.",
          `Assign a group instead. Which group depends on how access should be gated:\n${GROUP_CHOICE.map((c) => `• ${c}`).join("\n")}`,
          `Then onboarding is one step: add the person to the group; the IdP provisions them on its next cycle. Assign the same group to the SSO app too, so SCIM and SSO agree.\n*${idp.name}:* ${idp.assignGroup}.`,
          `Everyone group in ${idp.name}: ${idp.everyoneGroup}.`,
        ],
      };
    case "mapping":
      return {
        title: "Group mapping is not provisioning",
        sections: [
          "• *Provisioning* decides who exists in Descope. It is controlled in the IdP, by who is assigned to the app.\n• *Group → role mapping* decides what an already-provisioned user can do. It is configured in Descope's SSO settings and applies after the user was pushed.",
          "A user can be in a group mapped to a role (say security → securityadmin) and still never appear in Descope, if they are not in scope for the IdP's provisioning of the app.",
          `Make sure of two things:\n1. The user is in a group (or directly assigned) that ${idp.name} provisions to the app — ${idp.assignGroup}.\n2. The groups ${idp.name} sends along are mapped to the right roles in the tenant's SSO configuration.`,
        ],
      };
    case "timing":
      return {
        title: `Provisioning timing${forIdp}`,
        sections: [
          idpId === "generic"
            ? [IDPS.azure, IDPS.okta, IDPS.google, IDPS.onelogin, IDPS.jumpcloud, IDPS.pingone]
                .map((p) => `• *${p.name}:* ${p.cycle}`)
                .join("\n")
            : `${idp.cycle}${idp.initialCycle ? ` ${idp.initialCycle}` : ""}`,
          `When a newly assigned user “still can't sign in”, first check whether the IdP's next cycle has had time to run (scimwatch waits ${idp.overdueMinutes} minutes for ${idp.name}), then push them: ${idp.pushNow}.`,
        ],
      };
    case "jit":
      return {
        title: "JIT off needs group-based assignment",
        sections: [
          "Disabling JIT is the right call when SCIM is the source of truth — but only if every user who needs to sign in is in scope for the IdP's provisioning. Otherwise users fail authentication with no automatic recovery.",
          "With JIT off, a user never assigned to the app cannot sign in. Usually the IdP rejects them itself; when SSO and SCIM use different IdP apps, authentication succeeds and Descope reports the user as unknown, because no SCIM record exists.",
          `So before turning JIT off, assign a group to the SCIM app (and the same group to the SSO app): ${idp.assignGroup}.`,
        ],
      };
    case "deprovisioning":
      return {
        title: "Deprovisioning vs role change",
        sections: [
          `• Removing a user from the *assigned* group makes ${idp.name} deactivate them in Descope (SCIM active=false${idpId === "okta" ? "; Okta never sends DELETE" : ""}).\n• Removing them from a *role-mapped* group only changes their roles.`,
          "To take away one permission, move the person between role-mapped groups; to take away access, remove them from the assigned group.",
          `Pitfalls worth knowing:\n${[...COMMON_PITFALLS].map((p) => `• ${p}`).join("\n")}`,
        ],
      };
  }
}
