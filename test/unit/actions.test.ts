/** Fix-it actions: which fits an answer, and who may decide — each one rule, as tables. */
import { describe, expect, it } from "vitest";
import { actionsFitting, callOf, mayDecide } from "../../src/core/actions/model.js";
import type { IdpSide } from "../../src/core/idp-side/model.js";

const side = (cause: IdpSide["cause"], inScope?: boolean): IdpSide => ({
  idp: "azure",
  cause,
  summary: "",
  evidence: [],
  fix: null,
  unread: [],
  ...(inScope ? { inScope } : {}),
});

describe("actionsFitting", () => {
  it.each([
    ["waiting, in scope", "pending_cycle", side("waiting_for_cycle", true), true, ["push_now"]],
    ["waiting, no write access", "pending_cycle", side("waiting_for_cycle", true), false, []],
    ["push failed, in scope", "scim_error", side("push_failed", true), true, ["push_now"]],
    ["not assigned: pushing cannot help", "not_provisioned", side("not_assigned"), true, []],
    ["already provisioned", "provisioned", side("pushed", true), true, []],
    ["quarantined job", "not_provisioned", side("job_quarantined", true), true, ["restart_job"]],
    ["no IdP side", "not_provisioned", undefined, true, []],
    [
      "Okta, not assigned",
      "not_provisioned",
      { ...side("not_assigned"), idp: "okta" as const },
      true,
      ["assign"],
    ],
  ] as const)("%s", (_n, verdict, s, write, out) => {
    const okta = s?.idp === "okta";
    expect(
      actionsFitting(
        { verdict, idpSide: s ?? null },
        { entra: write && !okta, okta: write && okta },
      ),
    ).toEqual(out);
  });
});

describe("mayDecide", () => {
  const a = { state: "requested" as const, requestedBy: "UREQ", expiresAt: 1_000 };
  const approvers = new Set(["UAPP", "UREQ"]);
  it.each([
    ["an approver, in time", a, "UAPP", 500, null],
    ["the requester, even an approver", a, "UREQ", 500, "own_request"],
    ["not an approver", a, "UX", 500, "not_an_approver"],
    ["too late", a, "UAPP", 1_001, "expired"],
    ["already decided", { ...a, state: "approved" as const }, "UAPP", 500, "already_decided"],
  ] as const)("%s", (_n, rec, user, now, refusal) => {
    expect(mayDecide(rec, user, approvers, now)).toBe(refusal);
  });
  it("no approvers: actions are off", () => {
    expect(mayDecide(a, "UAPP", new Set(), 0)).toBe("actions_off");
  });
});

describe("callOf: what a request shows before approval", () => {
  const key = { idp: "descope" as const, tenantId: "T1", ssoId: null, keep: null };
  const entra = { entraTenant: "E1", spId: "sp1", jobId: "job1", appName: "Descope" };
  it.each([
    [
      "rotation, no Entra write access",
      { ...key, entra: null },
      [/key\/create for tenant T1/, /shown once, to the approver/],
      [/validateCredentials/],
    ],
    [
      "rotation handed to Entra",
      { ...key, entra },
      [
        /validateCredentials with Descope's SCIM address/,
        /PUT \/servicePrincipals\/sp1\/synchronization\/secrets/,
        /only once Entra has validated and saved it, POST \/v1\/mgmt\/scim\/key\/revoke/,
        /shown to no one/,
      ],
      [/shown once, to the approver\)$/],
    ],
  ] as const)("%s", (_n, t, has, hasNot) => {
    const c = callOf("rotate_key", t, "key:");
    for (const r of has) expect(c).toMatch(r);
    for (const r of hasNot) expect(c).not.toMatch(r);
  });
});
