/** Console links, against the templates of shared/reference/deep-links.md (high and medium confidence only). */
import { describe, expect, it } from "vitest";
import {
  answerLinks,
  descopeUserLink,
  entraLink,
  entraLinks,
  oktaAdminHost,
  oktaLink,
  oktaLinks,
} from "../../src/core/links.js";

const T = "6f1c7e2a-0000-4000-8000-000000000000";

describe("links into the consoles", () => {
  it.each([
    [
      entraLink.user(T, "u-1"),
      `https://entra.microsoft.com/${T}/#view/Microsoft_AAD_UsersAndTenants/UserProfileMenuBlade/~/overview/userId/u-1`,
    ],
    [
      entraLink.group(T, "g-1"),
      `https://entra.microsoft.com/${T}/#view/Microsoft_AAD_IAM/GroupDetailsMenuBlade/~/Overview/groupId/g-1`,
    ],
    [
      entraLink.appOverview(T, "sp-1", "app-1"),
      `https://entra.microsoft.com/${T}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/objectId/sp-1/appId/app-1`,
    ],
    [
      entraLink.appUsersAndGroups(T, "sp-1", "app-1"),
      `https://entra.microsoft.com/${T}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Users/objectId/sp-1/appId/app-1`,
    ],
    [
      oktaLink.user("https://acme-admin.okta.com", "00u1"),
      "https://acme-admin.okta.com/admin/user/profile/view/00u1",
    ],
    [
      oktaLink.group("https://acme-admin.okta.com", "00g1"),
      "https://acme-admin.okta.com/admin/group/00g1",
    ],
    [
      oktaLink.app("https://acme-admin.okta.com", "scim2testapp", "0oa1"),
      "https://acme-admin.okta.com/admin/app/scim2testapp/instance/0oa1/",
    ],
  ])("%s", (got, want) => {
    expect(got).toBe(want);
  });

  it.each([
    ["https://acme.okta.com", "https://acme-admin.okta.com"],
    ["https://acme.oktapreview.com/", "https://acme-admin.oktapreview.com"],
    ["https://acme-admin.okta.com", "https://acme-admin.okta.com"],
    ["not a url", null],
  ])("the Okta admin host of %s", (org, admin) => {
    expect(oktaAdminHost(org)).toBe(admin);
  });

  it("an answer's links: the IdP's (app, user, assigned groups), then Descope's console labelled with the project", () => {
    const entra = entraLinks(
      { entraTenant: T, spId: "sp-1", appId: "app-1", appName: "Descope" },
      { user: { id: "u-1" }, groups: [{ id: "g-1", name: "All Employees" }] },
    );
    expect(entra.map((l) => l.label)).toEqual([
      "Entra: Descope › Users and groups",
      "Entra: Descope (Overview › Provisioning, Provision on demand)",
      "Entra: the user",
      "Entra: group All Employees",
    ]);
    const d = descopeUserLink("P2abc", "carl@acme.com");
    expect(d).toEqual({
      label: "Descope console › Users, search carl@acme.com (project P2abc)",
      url: "https://app.descope.com/users",
    });
    expect(answerLinks({ idpSide: { links: entra }, links: [d] })).toHaveLength(5);
    // Without the app's IDs no app link is guessed; Okta without a user: only its groups.
    expect(
      entraLinks({ entraTenant: T, spId: "", appId: "", appName: "x" }, { user: null, groups: [] }),
    ).toEqual([]);
    expect(
      oktaLinks(
        { oktaUrl: "https://acme.okta.com" },
        { user: null, groups: [{ id: "00g1", name: "Eng" }] },
      ),
    ).toEqual([{ label: "Okta: group Eng", url: "https://acme-admin.okta.com/admin/group/00g1" }]);
  });
});
