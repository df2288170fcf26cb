/**
 * Where an IdP URL may send a customer's credentials (src/net/egress.ts): a
 * table of addresses, a table of URLs, and names through a stubbed resolver.
 * Pure: no test here sends a packet anywhere.
 */
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  type AddressKind,
  addressAllowed,
  addressKind,
  guardedLookup,
  STRICT,
  sameOrigin,
  urlProblem,
} from "../../src/net/egress.js";

const DEV = { allowLoopback: true };

describe("addressKind", () => {
  it.each<[string, AddressKind]>([
    ["169.254.169.254", "link_local"],
    ["169.254.0.1", "link_local"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.1", "private"],
    ["127.0.0.1", "loopback"],
    ["127.53.0.9", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["100.64.0.1", "shared"],
    ["100.128.0.1", "public"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["198.18.0.1", "reserved"],
    ["8.8.8.8", "public"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link_local"],
    ["fc00::1", "private"],
    ["fd00:ec2::254", "private"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:a9fe:a9fe", "link_local"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["64:ff9b::8.8.8.8", "public"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["[::1]", "loopback"],
    ["not-an-ip", "reserved"],
  ])("%s is %s", (ip, kind) => {
    expect(addressKind(ip)).toBe(kind);
  });

  it("only public addresses receive credentials; loopback only when allowed for development", () => {
    expect(addressAllowed("8.8.8.8", STRICT)).toBe(true);
    expect(addressAllowed("127.0.0.1", STRICT)).toBe(false);
    expect(addressAllowed("127.0.0.1", DEV)).toBe(true);
    expect(addressAllowed("10.1.2.3", DEV)).toBe(false);
    expect(addressAllowed("169.254.169.254", DEV)).toBe(false);
  });
});

describe("urlProblem", () => {
  it.each<[string, typeof STRICT, RegExp | null]>([
    ["https://acme.okta.com", STRICT, null],
    ["https://acme.okta.com:8443", STRICT, null],
    ["http://acme.okta.com", STRICT, /https/],
    ["ftp://acme.okta.com", STRICT, /https/],
    ["https://169.254.169.254", STRICT, /private, loopback, link-local/],
    ["https://10.0.0.8", STRICT, /private/],
    ["https://[::1]:6379", STRICT, /loopback/],
    ["https://[fd00:ec2::254]", STRICT, /private/],
    ["https://localhost:6379", STRICT, /localhost/],
    ["https://user:pw@acme.okta.com", STRICT, /user name or password/],
    ["http://127.0.0.1:6379", STRICT, /https/],
    ["http://127.0.0.1:6379", DEV, null],
    ["http://localhost:3000", DEV, null],
    ["http://10.0.0.8", DEV, /https/],
    ["nonsense", STRICT, /not a URL/],
  ])("%s → %s", (url, policy, problem) => {
    const p = urlProblem(url, policy);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeNull();
    // An answer never names the internal host or port.
    if (p) expect(p).not.toMatch(/6379|10\.0\.0\.8|169\.254/);
  });
});

describe("guardedLookup (stubbed resolver)", () => {
  const stub =
    (addresses: string[]) =>
    (_h: string, cb: (e: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) =>
      cb(
        null,
        addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
      );
  const run = (addresses: string[], all = false) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(STRICT, stub(addresses))("evil.example", { all }, (err, address) =>
        resolve({ err, address }),
      ),
    );

  it("a name resolving to a public address connects there", async () => {
    expect(await run(["93.184.215.14"])).toEqual({ err: null, address: "93.184.215.14" });
    expect((await run(["93.184.215.14"], true)).address).toEqual([
      { address: "93.184.215.14", family: 4 },
    ]);
  });

  it.each([
    [["169.254.169.254"]],
    [["10.0.0.5"]],
    [["93.184.215.14", "127.0.0.1"]],
    [["::1"]],
    [[]],
  ])("a name resolving to %j is refused", async (addresses) => {
    const r = await run(addresses);
    expect(r.err?.message).toMatch(/only calls public addresses/);
  });
});

describe("next links", () => {
  it("follow only the origin the call went to", () => {
    expect(sameOrigin("https://acme.okta.com/api/v1/apps?after=2", "https://acme.okta.com")).toBe(
      true,
    );
    expect(sameOrigin("https://evil.example/api/v1/apps", "https://acme.okta.com")).toBe(false);
    expect(sameOrigin("http://acme.okta.com/api", "https://acme.okta.com")).toBe(false);
    expect(sameOrigin("https://acme.okta.com:444/api", "https://acme.okta.com")).toBe(false);
  });
});
