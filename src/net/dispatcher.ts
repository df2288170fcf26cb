/**
 * The process's connections: one undici dispatcher that honours the
 * environment's proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their
 * lower-case forms, read once, at first use), shared by every adapter
 * (Descope, Microsoft Graph, Okta) and by Slack's Web API client and Socket
 * Mode. A proxied request is tunnelled with CONNECT; NO_PROXY entries go
 * direct.
 *
 * Egress-guarded requests (an Okta org typed in Slack) get a dispatcher of
 * their own whose direct connections check every address a name resolves to
 * (egress.ts); through a proxy, the proxy resolves the name, so only the URL's
 * scheme and literal host can be checked (urlProblem, before the request).
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { type EgressPolicy, guardedLookup } from "./egress.js";

let shared: Dispatcher | undefined;
let direct: Dispatcher | undefined;
const guarded = new Map<boolean, Dispatcher>();

/** The shared dispatcher: through the environment's proxy, keep-alive. */
export function dispatcher(): Dispatcher {
  shared ??= new EnvHttpProxyAgent();
  return shared;
}

/** Connections to this process itself (the warm-up): never through a proxy. */
export function directDispatcher(): Dispatcher {
  direct ??= new Agent();
  return direct;
}

/** The dispatcher for requests under an egress policy. */
export function guardedDispatcher(policy: EgressPolicy): Dispatcher {
  let d = guarded.get(policy.allowLoopback);
  if (!d) {
    // EnvHttpProxyAgent hands `connect` to its direct agent only: the proxy's own
    // address (often private) is not subject to the policy.
    d = new EnvHttpProxyAgent({ connect: { lookup: guardedLookup(policy) } });
    guarded.set(policy.allowLoopback, d);
  }
  return d;
}

/** A `fetch` over the shared dispatcher, for Slack's Web API client. */
export const proxiedFetch = (async (input: string | URL, init?: Record<string, unknown>) => {
  let body = init?.body;
  let headers = init?.headers;
  // Node's own FormData (Slack's file upload builds one) is not the undici package's: undici
  // would send "[object FormData]". Encoded here by Node's Response, with its boundary.
  if (typeof globalThis.FormData === "function" && body instanceof globalThis.FormData) {
    const encoded = new Response(body);
    const plain = Object.fromEntries(
      new Headers(headers as ConstructorParameters<typeof Headers>[0]).entries(),
    );
    headers = { ...plain, "content-type": encoded.headers.get("content-type") ?? "" };
    body = Buffer.from(await encoded.arrayBuffer());
  }
  return undiciFetch(input, {
    ...(init ?? {}),
    ...(body !== undefined ? { body } : {}),
    ...(headers !== undefined ? { headers } : {}),
    dispatcher: dispatcher(),
  } as never);
}) as unknown as typeof fetch;

/** The proxy settings in force, for `doctor` and the start line: credentials masked. */
export function proxySettings(env: NodeJS.ProcessEnv = process.env): {
  httpsProxy: string | null;
  httpProxy: string | null;
  noProxy: string | null;
} {
  const pick = (name: string) => env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? null;
  return {
    httpsProxy: maskUrl(pick("https_proxy")),
    httpProxy: maskUrl(pick("http_proxy")),
    noProxy: pick("no_proxy"),
  };
}

function maskUrl(v: string | null): string | null {
  if (!v) return null;
  try {
    const u = new URL(v);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return v;
  }
}

/** Closes the shared connections (tests; a CLI command that wants to exit at once). */
export async function closeDispatchers(): Promise<void> {
  const all = [shared, direct, ...guarded.values()].filter((d): d is Dispatcher => !!d);
  shared = undefined;
  direct = undefined;
  guarded.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}
