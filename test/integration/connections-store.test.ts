/**
 * A stored IdP connection changes field by field: a read in flight (auto-expect,
 * a check marking its outcome) never brings back a disconnected connection, its
 * sealed token, or a setting changed meanwhile. Real Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createRedis, keyer } from "../../src/redis/client.js";
import { ConnectionStore } from "../../src/redis/connections.js";
import { REDIS_URL } from "../helpers.js";

const redis = createRedis(REDIS_URL);
const prefix = `{scimwatch-test-${randomUUID().slice(0, 8)}}`;
const store = new ConnectionStore(redis, keyer(prefix));
afterAll(() => redis.disconnect());

async function load() {
  const c = await store.get("T1");
  if (!c) throw new Error("no connection stored");
  return c;
}

const okta = (connectedAt: number) => ({
  tenantId: "T1",
  tenantName: "Acme",
  appName: "Descope",
  appId: "0oa1",
  connectedBy: "UADMIN",
  connectedAt,
  idp: "okta" as const,
  oktaUrl: "https://acme.okta.com",
  tokenSealed: "v2:abcd1234:aaa:bbb:ccc",
  autoExpect: true,
});

describe("ConnectionStore.update", () => {
  it("a read that loaded the connection before a disconnect does not resurrect it", async () => {
    await store.set(okta(1_764_982_800_123));
    const loaded = await load();
    expect(await store.delete("T1")).toBe(true);
    // The in-flight read finishes and records its cursor and its outcome.
    expect(await store.update(loaded, { autoExpectReadTo: 5 })).toBe(false);
    await store.mark(loaded, true, null, 6);
    expect(await store.get("T1")).toBeNull();
    expect(await redis.hget(`${prefix}:connections`, "T1")).toBeNull();
  });

  it("changes only its fields: autoexpect off made meanwhile stays off", async () => {
    await store.set(okta(1_764_982_800_456));
    const inFlight = await load();
    const byAdmin = await load();
    await store.update(byAdmin, { autoExpect: false, autoExpectReadTo: null });
    await store.update(inFlight, { autoExpectReadTo: 42 });
    const now = await store.get("T1");
    expect(now?.autoExpect).toBe(false);
    expect(now?.autoExpectReadTo).toBe(42);
    expect(now?.connectedAt).toBe(1_764_982_800_456);
  });

  it("a connection made again (a rotated token) is not touched by a read of the old one", async () => {
    await store.set(okta(1_764_982_800_000));
    const old = await load();
    await store.set({ ...okta(1_764_982_900_000), tokenSealed: "v2:abcd1234:new:new:new" });
    await store.mark(old, false, "the old token was refused", 7);
    const now = await store.get("T1");
    expect(now?.problem).toBeNull();
    expect(now?.idp === "okta" && now.tokenSealed).toBe("v2:abcd1234:new:new:new");
  });
});
