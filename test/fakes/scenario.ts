/** A tenant world in the fake Descope where every verdict is reachable. */
import { auditEvent, ENTRA_SAML, OKTA_SAML, scimEvent, user } from "./builders.js";
import type { FakeDescope } from "./descope.js";

const MIN = 60_000;

/** Login IDs by the verdict `check` should give for them in tenant Acme (T-acme). */
export const PEOPLE = {
  provisioned: "ada@acme.com",
  provisioned_no_roles: "noor@acme.com",
  deprovisioned: "dan@acme.com",
  other_tenant: "olga@globex.com",
  not_scim_managed: "manual@acme.com",
  scim_error: "err@acme.com",
  pending_cycle: "new@acme.com",
  sso_without_scim: "contractor@acme.com",
  not_provisioned: "ghost@acme.com",
  deleted_by_idp: "left@acme.com",
  /** SSO sends the e-mail; SCIM provisioned the UPN (ALIASES.identifier_mismatch). */
  identifier_mismatch: "priya@acme.com",
} as const;

/** The login IDs Descope holds for people asked about under another identifier. */
export const ALIASES = {
  identifier_mismatch: "priya.s@acme.onmicrosoft.com",
  /** Renamed: found by e-mail, provisioned, signs in fine. */
  byEmail: { typed: "sam@acme.com", loginId: "sam.lee@acme.com" },
  /** A guest: no e-mail on the user, found by the userName Entra sent over SCIM. */
  byScimUserName: {
    typed: "guest@partner.com",
    loginId: "guest_partner.com#EXT#@acme.onmicrosoft.com",
  },
} as const;

export function seedScenario(fake: FakeDescope, now: number): void {
  fake.tenants.push({ id: "T-acme", name: "Acme Corp" }, { id: "T-globex", name: "Globex" });
  fake.settings["T-acme"] = { JITDisabled: true };
  fake.settings["T-globex"] = { JITDisabled: false };
  fake.sso["T-acme"] = {
    saml: {
      ...ENTRA_SAML,
      groupsMapping: [{ groups: ["security"], role: { id: "r1", name: "securityadmin" } }],
    },
  };
  fake.sso["T-globex"] = { saml: OKTA_SAML };
  const acme = { tenantId: "T-acme", tenantName: "Acme Corp" };
  fake.users.push(
    user({
      loginId: PEOPLE.provisioned,
      ...acme,
      roles: ["securityadmin"],
      createdAt: now - 3 * 86_400_000,
    }),
    user({
      loginId: PEOPLE.provisioned_no_roles,
      ...acme,
      roles: [],
      createdAt: now - 2 * 86_400_000,
    }),
    user({ loginId: PEOPLE.deprovisioned, ...acme, roles: ["member"], status: "disabled" }),
    user({
      loginId: PEOPLE.other_tenant,
      tenantId: "T-globex",
      tenantName: "Globex",
      roles: ["member"],
    }),
    user({ loginId: PEOPLE.not_scim_managed, ...acme, roles: ["member"], scim: false }),
    user({
      loginId: ALIASES.identifier_mismatch,
      email: PEOPLE.identifier_mismatch,
      ...acme,
      roles: ["member"],
      createdAt: now - 2 * 86_400_000,
    }),
    user({
      loginId: ALIASES.byEmail.loginId,
      email: ALIASES.byEmail.typed,
      ...acme,
      roles: ["member"],
      createdAt: now - 4 * 86_400_000,
    }),
    user({
      loginId: ALIASES.byScimUserName.loginId,
      userId: "U-guest",
      email: null,
      ...acme,
      roles: ["member"],
      createdAt: now - 86_400_000,
    }),
  );
  fake.audits.push(
    // Entra pushed the UPN; SSO sends the e-mail as NameID, and Descope refuses it.
    scimEvent({
      at: now - 2 * 86_400_000,
      loginId: ALIASES.identifier_mismatch,
      email: PEOPLE.identifier_mismatch,
      tenant: "T-acme",
    }),
    auditEvent("LoginFailed", {
      at: now - 20 * MIN,
      loginId: PEOPLE.identifier_mismatch,
      tenant: "T-acme",
      errorMessage: "user not found and JIT is disabled",
    }),
    scimEvent({
      at: now - 86_400_000,
      loginId: ALIASES.byScimUserName.loginId,
      userId: "U-guest",
      email: ALIASES.byScimUserName.typed,
      tenant: "T-acme",
    }),
    scimEvent({ at: now - 3 * 86_400_000, loginId: PEOPLE.provisioned, tenant: "T-acme" }),
    auditEvent("LoginSucceed", {
      at: now - 2 * 86_400_000,
      loginId: PEOPLE.provisioned,
      tenant: "T-acme",
    }),
    scimEvent({ at: now - 2 * 86_400_000, loginId: PEOPLE.provisioned_no_roles, tenant: "T-acme" }),
    scimEvent({ at: now - 5 * 86_400_000, loginId: PEOPLE.deprovisioned, tenant: "T-acme" }),
    scimEvent({
      at: now - 90 * MIN,
      loginId: PEOPLE.deprovisioned,
      tenant: "T-acme",
      scimAction: "PatchUser",
      active: false,
    }),
    scimEvent({
      at: now - 30 * MIN,
      loginId: PEOPLE.scim_error,
      tenant: "T-acme",
      error: "409 Conflict: user already exists",
    }),
    auditEvent("LoginFailed", {
      at: now - 15 * MIN,
      loginId: PEOPLE.sso_without_scim,
      tenant: "T-acme",
      errorMessage: "user not found and JIT is disabled",
    }),
    // Pushed three days ago, removed by the IdP yesterday: gone from Descope.
    scimEvent({ at: now - 3 * 24 * 60 * MIN, loginId: PEOPLE.deleted_by_idp, tenant: "T-acme" }),
    scimEvent({
      at: now - 24 * 60 * MIN,
      loginId: PEOPLE.deleted_by_idp,
      tenant: "T-acme",
      scimAction: "DeleteUser",
    }),
  );
}
