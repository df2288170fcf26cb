import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DescopeClient, descopeBaseUrl } from "../../src/descope/client.js";
import { DescopeError } from "../../src/descope/errors.js";
import { scimEvent, user } from "../fakes/builders.js";
import { FakeDescope } from "../fakes/descope.js";

let fake: FakeDescope;
let client: DescopeClient;
const NOW = Date.now();

beforeEach(async () => {
  fake = new FakeDescope();
  await fake.start();
  client = new DescopeClient({
    projectId: fake.projectId,
    managementKey: fake.managementKey,
    baseUrl: fake.url,
    timeoutMs: 500,
    maxRetryWaitMs: 3_000,
    backoffBaseMs: 20,
  });
});
afterEach(() => fake.stop());

async function failure(p: Promise<unknown>): Promise<DescopeError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DescopeError);
    return e as DescopeError;
  }
  throw new Error("expected a DescopeError");
}

describe("base URL", () => {
  it.each([
    ["P2abc", undefined, "https://api.descope.com"],
    ["Puse12aBcDeFgHiJkLmNoPqRsTuVwXyZ0", undefined, "https://api.use1.descope.com"],
    ["Peuc12aBcDeFgHiJkLmNoPqRsTuVwXyZ0", undefined, "https://api.euc1.descope.com"],
    ["P2abc", "http://127.0.0.1:9999/", "http://127.0.0.1:9999"],
  ])("%s (override %s) → %s", (pid, override, url) => {
    expect(descopeBaseUrl(pid, override)).toBe(url);
  });
});

describe("DescopeClient against the fake Descope", () => {
  it("searches audits with externalIds, ms bounds and paging, parsing occurred strings", async () => {
    fake.audits.push(scimEvent({ at: NOW - 60_000, loginId: "jane@acme.com", tenant: "T1" }));
    const res = await client.searchAudit({
      loginIds: ["jane@acme.com"],
      actions: ["SCIMEvent", "LoginFailed"],
      from: NOW - 86_400_000,
      to: NOW,
    });
    expect(res.total).toBe(1);
    expect(res.audits[0]?.occurred).toBe(NOW - 60_000);
    const search = fake.calls.find((c) => c.route === "audit");
    expect(search?.body).toMatchObject({
      externalIds: ["jane@acme.com"],
      actions: ["SCIMEvent", "LoginFailed"],
      size: 1000,
      page: 0,
    });
    expect(search?.body).not.toHaveProperty("loginIds");
  });

  it("loads a user, converting nothing but tolerating extra fields", async () => {
    fake.extraFields = true;
    fake.users.push(user({ loginId: "jane@acme.com", tenantId: "T1", roles: ["member"] }));
    const u = await client.loadUser("jane@acme.com");
    expect(u?.SCIM).toBe(true);
    expect(u?.userTenants[0]?.roleNames).toEqual(["member"]);
    expect(u).not.toHaveProperty("futureField");
  });

  it("returns null for an unknown user (E112102)", async () => {
    expect(await client.loadUser("nobody@acme.com")).toBeNull();
  });

  it("reads tenants, settings and SSO group mappings", async () => {
    fake.tenants.push({ id: "T1", name: "Acme" });
    fake.settings.T1 = { JITDisabled: true };
    fake.sso.T1 = {
      oidc: {
        issuer: "https://acme.okta.com",
        roleMappings: [{ groups: ["eng"], role: { id: "r1", name: "dev" } }],
      },
    };
    expect((await client.listTenants())[0]?.name).toBe("Acme");
    expect(await client.loadJitDisabled("T1")).toBe(true);
    const sso = await client.loadSsoSettings("T1");
    expect(sso?.oidc?.roleMappings[0]?.role?.name).toBe("dev");
  });

  it("honours Retry-After on 429 and then succeeds", async () => {
    fake.fail("audit", {
      status: 429,
      headers: { "retry-after": "1" },
      body: '{"errorCode":"E130429"}',
    });
    const t0 = Date.now();
    const res = await client.searchAudit({ loginIds: ["x@y.z"] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(res.audits).toEqual([]);
    expect(fake.count("audit")).toBe(2);
  });

  it("gives up on 429 when Retry-After exceeds the wait budget, saying when to retry", async () => {
    fake.fail("audit", { status: 429, headers: { "retry-after": "45" } });
    const e = await failure(client.searchAudit({}));
    expect(e.code).toBe("descope_rate_limited");
    expect(e.retryAfterSec).toBe(45);
    expect(e.message).toMatch(/retry in about 45 s/);
    expect(fake.count("audit")).toBe(1);
  });

  it("retries 5xx with backoff, then succeeds", async () => {
    fake.fail("user", { status: 502 }, { status: 503 });
    expect(await client.loadUser("nobody@acme.com")).toBeNull();
    expect(fake.count("user")).toBe(3);
  });

  it("gives up after repeated 5xx with what failed and when to retry", async () => {
    fake.fail("user", { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const e = await failure(client.loadUser("a@b.c"));
    expect(e.code).toBe("descope_unreachable");
    expect(e.message).toMatch(
      /Descope user load: Descope answered HTTP 500; gave up after 4 attempts/,
    );
    expect(e.message).toMatch(/retry in/);
  });

  it("times out a hanging call and retries it", async () => {
    fake.fail("tenants", { status: 200, delayMs: 2_000, body: '{"tenants":[]}' });
    const t0 = Date.now();
    expect(await client.listTenants()).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1_900);
    expect(fake.count("tenants")).toBe(2);
  });

  it("bounds the total time of a call that keeps hanging", async () => {
    const hanging = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      timeoutMs: 300,
      maxTotalMs: 800,
      backoffBaseMs: 10,
    });
    fake.fail("tenants", ...Array.from({ length: 5 }, () => ({ status: 200, delayMs: 2_000 })));
    const t0 = Date.now();
    const e = await failure(hanging.listTenants());
    expect(e.code).toBe("descope_unreachable");
    expect(e.message).toMatch(/did not answer within/);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(fake.count("tenants")).toBe(2);
  });

  it("rejects a malformed body without retrying", async () => {
    fake.fail("audit", {
      status: 200,
      body: '{"audits":[{"action":"SCIMEvent","occurred":"yesterday"}]}',
    });
    const e = await failure(client.searchAudit({}));
    expect(e.code).toBe("descope_bad_response");
    expect(fake.count("audit")).toBe(1);
  });

  it("rejects a non-JSON body", async () => {
    fake.fail("tenants", { status: 200, body: "<html>gateway</html>" });
    expect((await failure(client.listTenants())).code).toBe("descope_bad_response");
  });

  it("says the credentials are wrong on 401, without printing the key", async () => {
    const bad = new DescopeClient({
      projectId: fake.projectId,
      managementKey: "wrong-key-123",
      baseUrl: fake.url,
    });
    const e = await failure(bad.listTenants());
    expect(e.code).toBe("descope_auth");
    expect(e.message).toMatch(/refused the credentials/);
    expect(e.message).not.toContain("wrong-key-123");
    expect(fake.count("tenants")).toBe(1);
  });

  it("reports an unreachable Descope", async () => {
    await fake.stop();
    const e = await failure(client.listTenants());
    expect(e.code).toBe("descope_unreachable");
    expect(e.message).toMatch(/could not reach Descope/);
  });

  it("replicas share the tenant and SSO answers through one cache, validated when read back", async () => {
    const store = new Map<string, string>();
    const shared = {
      get: async (k: string) => store.get(k) ?? null,
      set: async (k: string, v: string) => {
        store.set(k, v);
      },
    };
    const replica = () =>
      new DescopeClient({
        projectId: fake.projectId,
        managementKey: fake.managementKey,
        baseUrl: fake.url,
        cacheTtlMs: 60_000,
        sharedCache: shared,
      });
    fake.tenants.push({ id: "T1", name: "Acme" });
    const [a, b, c] = [replica(), replica(), replica()];
    await a.listTenants();
    await a.loadSsoSettings("T1");
    expect((await b.listTenants()).map((t) => t.id)).toEqual(["T1"]);
    await c.loadSsoSettings("T1");
    expect(fake.count("tenants")).toBe(1);
    expect(fake.count("sso")).toBe(1);
    // A value that does not read back as a tenant list is a miss, never an answer.
    store.set("tenants", JSON.stringify({ v: [{ nope: true }] }));
    expect((await replica().listTenants()).map((t) => t.id)).toEqual(["T1"]);
    expect(fake.count("tenants")).toBe(2);
    // Users are never shared.
    await b.loadUser("x@y.z");
    await c.loadUser("x@y.z");
    expect(fake.count("user")).toBe(2);
  });

  it("the background client's calls are marked as such for the budget; the default is interactive", async () => {
    const seen: string[] = [];
    const hooked = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      beforeManagementCall: async (p) => {
        seen.push(p);
      },
    });
    await hooked.loadUser("x@y.z");
    await hooked.background().searchUsers({ loginIds: ["x@y.z"] });
    expect(seen).toEqual(["interactive", "background"]);
  });

  it("caches tenant and SSO look-ups briefly when asked to, never users or audits", async () => {
    const cached = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      cacheTtlMs: 60_000,
    });
    fake.tenants.push({ id: "T1", name: "Acme" });
    await Promise.all([cached.listTenants(), cached.listTenants()]);
    await cached.loadSsoSettings("T1");
    await cached.loadSsoSettings("T1");
    await cached.loadUser("x@y.z");
    await cached.loadUser("x@y.z");
    expect(fake.count("tenants")).toBe(1);
    expect(fake.count("sso")).toBe(1);
    expect(fake.count("user")).toBe(2);
    // Failures are not cached.
    fake.fail("settings", { status: 401 });
    await failure(cached.loadJitDisabled("T1"));
    expect(await cached.loadJitDisabled("T1")).toBe(false);
  });

  it("calls the audit hook before every search page", async () => {
    let n = 0;
    const hooked = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      beforeAuditSearch: async () => {
        n++;
      },
    });
    await hooked.searchAudit({ page: 0 });
    await hooked.searchAudit({ page: 1 });
    expect(n).toBe(2);
  });

  it("takes the management budget before every attempt of every other call, and a refusal is an answer", async () => {
    let n = 0;
    let refuse = false;
    const hooked = new DescopeClient({
      projectId: fake.projectId,
      managementKey: fake.managementKey,
      baseUrl: fake.url,
      backoffBaseMs: 10,
      beforeManagementCall: async () => {
        n++;
        if (refuse)
          throw new DescopeError("descope_rate_limited", "budget spent; retry in about 5 s", 5);
      },
    });
    fake.fail("user", { status: 503 });
    await hooked.loadUser("nobody@x.com");
    // The 503 and its retry each counted; the audit search did not.
    expect(n).toBe(2);
    await hooked.searchAudit({ page: 0 });
    expect(n).toBe(2);
    refuse = true;
    const e = await failure(hooked.listTenants());
    expect(e.code).toBe("descope_rate_limited");
    expect(fake.count("tenants")).toBe(0);
  });
});
