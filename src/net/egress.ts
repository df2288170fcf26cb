/**
 * Where scimwatch may send a customer's credentials: the addresses an IdP URL
 * typed in Slack (an Okta org) may reach. https only; never a loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, multicast or
 * reserved address, checked on the literal host and again on every address
 * its name resolves to when each connection is made (so a name that resolves
 * elsewhere later, DNS rebinding, is refused too). Loopback over http is
 * allowed only by an explicit setting, for tests and development.
 *
 * The rules are pure functions over strings; the resolver is injected.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";

export interface EgressPolicy {
  /** SCIMWATCH_ALLOW_LOOPBACK_IDP: loopback addresses (and http to them) for tests and development. */
  allowLoopback: boolean;
}

export const STRICT: EgressPolicy = { allowLoopback: false };

/** The policy from SCIMWATCH_ALLOW_LOOPBACK_IDP (true or 1: tests and development only). */
export function egressFromSetting(v: string | boolean | undefined): EgressPolicy {
  return { allowLoopback: v === true || v === "true" || v === "1" };
}

export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "link_local"
  | "shared"
  | "unspecified"
  | "multicast"
  | "reserved";

function v4Parts(ip: string): number[] | null {
  const parts = ip.split(".").map(Number);
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)
    ? parts
    : null;
}

function classifyV4(ip: string): AddressKind {
  const p = v4Parts(ip);
  if (!p) return "reserved";
  const [a, b] = p as [number, number, number, number];
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 169 && b === 254) return "link_local";
  if (a === 100 && b >= 64 && b <= 127) return "shared";
  if (a === 192 && b === 0 && p[2] === 0) return "reserved";
  if (a === 198 && (b === 18 || b === 19)) return "reserved";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved";
  return "public";
}

/** The 8 groups of an IPv6 address (with an embedded IPv4 tail expanded), or null. */
function v6Groups(ip: string): number[] | null {
  let s = ip.toLowerCase().replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const p = v4Parts(tail[1] as string);
    if (!p) return null;
    const [a, b, c, d] = p as [number, number, number, number];
    s = `${s.slice(0, -(tail[1] as string).length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const part = (x: string) => (x ? x.split(":").map((h) => Number.parseInt(h, 16)) : []);
  const head = part(halves[0] ?? "");
  const rest = halves.length === 2 ? part(halves[1] ?? "") : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...rest];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

function classifyV6(ip: string): AddressKind {
  const g = v6Groups(ip);
  if (!g) return "reserved";
  const embedded = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  if (g.every((x) => x === 0)) return "unspecified";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64): the IPv4 address decides.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return classifyV4(embedded(g[6] as number, g[7] as number));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return classifyV4(embedded(g[6] as number, g[7] as number));
  const first = g[0] as number;
  if ((first & 0xfe00) === 0xfc00) return "private";
  if ((first & 0xffc0) === 0xfe80) return "link_local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0x2001 && g[1] === 0xdb8) return "reserved";
  if (g.slice(0, 6).every((x) => x === 0)) return "reserved"; // ::a.b.c.d, deprecated
  return "public";
}

/** What kind of address an IP literal is. Pure. */
export function addressKind(ip: string): AddressKind {
  const v = isIP(ip.replace(/^\[|\]$/g, ""));
  if (v === 4) return classifyV4(ip);
  if (v === 6) return classifyV6(ip.replace(/^\[|\]$/g, ""));
  return "reserved";
}

/** Whether credentials may be sent to this address under the policy. Pure. */
export function addressAllowed(ip: string, policy: EgressPolicy): boolean {
  const k = addressKind(ip);
  return k === "public" || (k === "loopback" && policy.allowLoopback);
}

/**
 * Why this URL may not receive credentials, in words that name no internal
 * host or port, or null. Pure: the scheme and an IP-literal host; a name's
 * addresses are checked when connecting (guardedLookup).
 */
export function urlProblem(raw: string, policy: EgressPolicy): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return "it is not a URL";
  }
  if (u.username || u.password) return "a URL with a user name or password is not accepted";
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host) !== 0;
  const loopbackName = host === "localhost" || host.endsWith(".localhost");
  const loopback = (literal && addressKind(host) === "loopback") || loopbackName;
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback && policy.allowLoopback))
    return "it must be an https URL";
  if (loopbackName && !policy.allowLoopback)
    return "it points to this machine (localhost): scimwatch only calls public addresses";
  if (literal && !addressAllowed(host, policy))
    return "it points to a private, loopback, link-local or reserved address: scimwatch only calls public addresses";
  return null;
}

export class EgressRefused extends Error {
  override readonly name = "EgressRefused";
  readonly code = "EGRESS_REFUSED";
}

type Resolver = (
  host: string,
  cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (host, cb) => dnsLookup(host, { all: true }, cb);

/**
 * A `lookup` for http.request that resolves the name and refuses the
 * connection when any of its addresses is not allowed.
 */
export function guardedLookup(policy: EgressPolicy, resolve: Resolver = systemResolver) {
  return (
    host: string,
    opts: { all?: boolean },
    cb: (
      err: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    resolve(host, (err, addresses) => {
      if (err) return cb(err, opts.all ? [] : "", 0);
      const bad = addresses.find((a) => !addressAllowed(a.address, policy));
      if (bad || !addresses.length)
        return cb(
          new EgressRefused(
            "the name resolves to a private, loopback, link-local or reserved address: scimwatch only calls public addresses",
          ),
          opts.all ? [] : "",
          0,
        );
      if (opts.all) return cb(null, addresses);
      const first = addresses[0] as LookupAddress;
      cb(null, first.address, first.family);
    });
  };
}

/** Whether two URLs share an origin (scheme, host and port): where next-page links may go. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
