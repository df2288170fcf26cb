import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { connectorResults } from "../../src/cli/doctor-idp.js";
import { manifestBotScopes } from "../../src/cli/doctor-slack.js";
import { placeholdersIn } from "../../src/config/env.js";
import type { Connection } from "../../src/redis/connections.js";

const entra = {
  idp: "azure",
  tenantId: "T1",
  tenantName: "Acme",
  appName: "Descope",
  appId: "a",
  connectedBy: "U1",
  connectedAt: 1,
  lastOkAt: null,
  problem: null,
  autoExpect: false,
  autoExpectReadTo: null,
  entraTenant: "e",
  spId: "sp",
  jobId: null,
} as Connection;
const okta = {
  ...entra,
  idp: "okta",
  tenantId: "T2",
  tenantName: "Globex",
  oktaUrl: "https://globex.okta.com",
  auth: "token",
  clientId: null,
  tokenSealed: "v2:x",
} as Connection;

describe("doctor's connector lines", () => {
  it.each([
    [[], {}, [["OK", /none connected/]]],
    [[entra], {}, [["FAIL", /ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are not both set/]]],
    [[okta], { ENTRA_CLIENT_ID: "x" }, [["FAIL", /SCIMWATCH_SECRETS_KEY is not set/]]],
    [
      [entra, { ...okta, problem: "the API token was revoked" }],
      { ENTRA_CLIENT_ID: "x", ENTRA_CLIENT_SECRET: "y", SCIMWATCH_SECRETS_KEY: "k" },
      [
        ["OK", /2 connected \(Entra ID 1, Okta 1\)/],
        ["WARN", /^Okta: the API token was revoked$/],
      ],
    ],
  ] as const)("%#", (conns, env, want) => {
    const got = connectorResults([...conns] as Connection[], env).map((r) => [
      r.ok ? (r.warn ? "WARN" : "OK") : "FAIL",
      r.detail,
    ]);
    expect(got).toHaveLength(want.length);
    for (const [i, [level, re]] of want.entries()) {
      expect(got[i]?.[0]).toBe(level);
      expect(got[i]?.[1]).toMatch(re);
    }
  });
});

describe("placeholders and the manifest's scopes", () => {
  it.each([
    ["xoxb-...", true],
    ["xapp-…", true],
    ["<your key>", true],
    ["xoxb-1-2-3", false],
    ["https://api.descope.com", false],
  ])("%s is a placeholder: %s", (v, yes) => {
    expect(placeholdersIn({ X: v })).toEqual(yes ? ["X"] : []);
  });

  it("reads the bot scopes of the shipped manifest", () => {
    expect(manifestBotScopes(readFileSync("manifest.yml", "utf8"))).toEqual([
      "commands",
      "chat:write",
      "channels:history",
      "groups:history",
      "files:write",
    ]);
  });
});
