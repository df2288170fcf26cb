import { describe, expect, it } from "vitest";
import { COMMON_PITFALLS, IDP_IDS, IDPS, parseIdp } from "../../src/core/idp/catalog.js";
import { inferIdp } from "../../src/core/idp/infer.js";

describe("IdP catalog", () => {
  it.each(IDP_IDS)("%s has every field filled", (id) => {
    const p = IDPS[id];
    expect(p.id).toBe(id);
    for (const k of [
      "name",
      "appTerm",
      "cycle",
      "assignGroup",
      "pushNow",
      "everyoneGroup",
      "logs",
    ] as const) {
      expect(p[k].length).toBeGreaterThan(3);
    }
    expect(p.overdueMinutes).toBeGreaterThan(0);
    expect(p.pitfalls.length).toBeGreaterThan(0);
  });

  it.each([
    ["azure", 60, "Provision on demand"],
    ["okta", 10, "Provision User"],
    ["google", 360, "few hours"],
  ] as const)("%s: window %i min, push-now hint %s", (id, mins, hint) => {
    expect(IDPS[id].overdueMinutes).toBe(mins);
    expect(`${IDPS[id].pushNow} ${IDPS[id].cycle}`).toContain(hint);
  });

  it("knows Entra's 40-minute cycle, initial cycle, nested groups and quarantine", () => {
    const a = IDPS.azure;
    expect(a.cycle).toContain("40 minutes");
    expect(a.initialCycle).toMatch(/initial cycle/);
    expect(a.pitfalls.join(" ")).toMatch(/Nested groups/);
    expect(a.pitfalls.join(" ")).toMatch(/Quarantine/);
  });

  it("common pitfalls include one-by-one assignment and mapping ≠ provisioning", () => {
    expect(COMMON_PITFALLS.join(" ")).toMatch(/one by one/);
    expect(COMMON_PITFALLS.join(" ")).toMatch(/does not provision/);
  });

  it.each([
    ["azure", "azure"],
    ["Entra", "azure"],
    ["OKTA", "okta"],
    ["google", "google"],
    ["pingone", "pingone"],
    ["generic", "generic"],
    ["keycloak", undefined],
  ])("parseIdp(%s) = %s", (input, id) => {
    expect(parseIdp(input)).toBe(id);
  });
});

describe("inferIdp", () => {
  it.each([
    [{ samlEntityId: "https://sts.windows.net/abc/" }, "azure"],
    [{ samlSsoUrl: "https://login.microsoftonline.com/abc/saml2" }, "azure"],
    [
      {
        samlEntityId: "http://www.okta.com/exk1",
        samlSsoUrl: "https://acme.okta.com/app/x/sso/saml",
      },
      "okta",
    ],
    [{ samlMetadataUrl: "https://acme.oktapreview.com/app/x/sso/saml/metadata" }, "okta"],
    [{ oidcIssuer: "https://acme.okta-emea.com" }, "okta"],
    [{ samlSsoUrl: "https://accounts.google.com/o/saml2/idp?idpid=C01" }, "google"],
    [{ samlSsoUrl: "https://acme.onelogin.com/trust/saml2/http-post/sso/1" }, "onelogin"],
    [{ samlSsoUrl: "https://sso.jumpcloud.com/saml2/descope" }, "jumpcloud"],
    [{ oidcIssuer: "https://auth.pingone.com/env/as" }, "pingone"],
    [{ samlEntityId: "https://idp.pingidentity.com/x" }, "pingone"],
    [{ samlEntityId: "https://keycloak.example.com/realms/acme" }, "generic"],
    [{ samlEntityId: "https://evil-okta.com.attacker.net/" }, "generic"],
  ])("%j → %s", (sso, idp) => {
    const g = inferIdp(sso);
    expect(g.idp).toBe(idp);
    expect(g.reason.length).toBeGreaterThan(5);
  });

  it("says why when nothing is known", () => {
    expect(inferIdp(null)).toEqual({
      idp: "generic",
      reason: expect.stringMatching(/no SSO settings/),
    });
  });
});
