/**
 * Behind a corporate egress proxy: every adapter (Descope, Graph, Okta), the
 * Slack Web API client and Socket Mode's WebSocket go through HTTPS_PROXY /
 * HTTP_PROXY with a CONNECT tunnel; NO_PROXY entries go direct; a dead proxy
 * means no request at all, never a silent direct one. A real forward proxy on
 * loopback (test/fakes/proxy.ts) records each tunnel.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadBotConfig } from "../../src/config/bot.js";
import { EntraHttp } from "../../src/connectors/entra-http.js";
import { OktaHttp } from "../../src/connectors/okta-http.js";
import { closeDispatchers } from "../../src/net/dispatcher.js";
import { appOptions } from "../../src/slack/app.js";
import { slackTransport } from "../../src/slack/transport.js";
import { FakeDescope } from "../fakes/descope.js";
import { FakeEntra } from "../fakes/entra.js";
import { FakeOkta } from "../fakes/okta.js";
import { deadProxyUrl, ForwardProxy } from "../fakes/proxy.js";
import { PEOPLE, seedScenario } from "../fakes/scenario.js";
import { FakeSlack } from "../fakes/slack.js";

const run = promisify(execFile);
const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const PROXY_VARS = [
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "NO_PROXY",
  "https_proxy",
  "http_proxy",
  "no_proxy",
];

const proxy = new ForwardProxy();
const descope = new FakeDescope();
const slack = new FakeSlack();
const entra = new FakeEntra();
const okta = new FakeOkta();
const portOf = (url: string) => new URL(url).port;

beforeAll(async () => {
  seedScenario(descope, Date.now());
  await Promise.all([proxy.start(), descope.start(), slack.start(), entra.start(), okta.start()]);
});
afterAll(async () => {
  await closeDispatchers();
  await Promise.all([proxy.stop(), descope.stop(), slack.stop(), entra.stop(), okta.stop()]);
});

/** This process's proxy settings for one test; the shared dispatcher reads them afresh. */
async function useProxy(vars: Record<string, string>): Promise<void> {
  for (const k of PROXY_VARS) delete process.env[k];
  Object.assign(process.env, vars);
  await closeDispatchers();
}
afterEach(async () => {
  await useProxy({});
});

async function check(env: Record<string, string>) {
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DESCOPE_PROJECT_ID: descope.projectId,
    DESCOPE_MANAGEMENT_KEY: descope.managementKey,
    DESCOPE_BASE_URL: descope.url,
    DESCOPE_TIMEOUT_MS: "400",
    DESCOPE_MAX_RETRY_WAIT_MS: "600",
    ...env,
  };
  const args = [CLI, "check", PEOPLE.provisioned, "--tenant", "T-acme", "--json"];
  try {
    const { stdout } = await run(process.execPath, args, { env: fullEnv });
    return { code: 0, out: JSON.parse(stdout) as Record<string, unknown> };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, out: JSON.parse(err.stdout || "{}") as Record<string, unknown> };
  }
}

describe("scimwatch check behind a proxy", () => {
  it("goes to Descope through the proxy's CONNECT tunnel", async () => {
    const before = proxy.tunnelsTo(portOf(descope.url)).length;
    descope.calls.length = 0;
    const r = await check({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
    expect(r.code).toBe(0);
    expect(r.out.verdict).toBe("provisioned");
    expect(proxy.tunnelsTo(portOf(descope.url)).length).toBeGreaterThan(before);
    expect(proxy.tunnels).toContain(`127.0.0.1:${portOf(descope.url)}`);
    expect(proxy.refused).toEqual([]);
  });

  it("with a dead proxy, nothing goes out directly: Descope sees no request, the answer says unreachable", async () => {
    descope.calls.length = 0;
    const dead = await deadProxyUrl();
    const r = await check({ HTTPS_PROXY: dead, HTTP_PROXY: dead });
    expect(r.code).not.toBe(0);
    expect(JSON.stringify(r.out)).toMatch(/could not reach Descope/);
    expect(descope.calls).toEqual([]);
  });

  it("NO_PROXY exceptions go direct (lower-case names too)", async () => {
    const dead = await deadProxyUrl();
    descope.calls.length = 0;
    const r = await check({ https_proxy: dead, http_proxy: dead, no_proxy: "localhost,127.0.0.1" });
    expect(r.code).toBe(0);
    expect(r.out.verdict).toBe("provisioned");
    expect(descope.calls.length).toBeGreaterThan(0);
  });
});

describe("the IdP connectors behind a proxy", () => {
  it("Graph (token and API) and Okta calls go through the tunnel", async () => {
    await useProxy({ HTTP_PROXY: proxy.url });
    const graph = new EntraHttp({
      clientId: entra.clientId,
      clientSecret: entra.clientSecret,
      loginUrl: entra.url,
      graphUrl: entra.url,
    });
    await graph
      .list("6f1c7e2a-0000-4000-8000-000000000000", "/servicePrincipals?$top=1")
      .catch(() => undefined);
    expect(proxy.tunnelsTo(portOf(entra.url)).length).toBeGreaterThan(0);
    await new OktaHttp(okta.url, okta.token, { allowLoopback: true }).list("/api/v1/apps");
    expect(proxy.tunnelsTo(portOf(okta.url)).length).toBeGreaterThan(0);
  });

  it("a dead proxy reaches neither; NO_PROXY lets Okta's org through", async () => {
    const dead = await deadProxyUrl();
    await useProxy({ HTTP_PROXY: dead });
    okta.calls.length = 0;
    await expect(
      new OktaHttp(okta.url, okta.token, { allowLoopback: true }).list("/api/v1/apps"),
    ).rejects.toThrow();
    expect(okta.calls).toEqual([]);
    await useProxy({ HTTP_PROXY: dead, NO_PROXY: `127.0.0.1:${portOf(okta.url)}` });
    await new OktaHttp(okta.url, okta.token, { allowLoopback: true }).list("/api/v1/apps");
    expect(okta.calls).toContain("/api/v1/apps");
  });
});

describe("Slack behind a proxy", () => {
  const cfgBase = {
    SLACK_BOT_TOKEN: "xoxb-test-token",
    DESCOPE_PROJECT_ID: "P2abc",
    DESCOPE_MANAGEMENT_KEY: "K2-key",
  };

  it("the Web API client goes through the tunnel; with a dead proxy it does not reach Slack", async () => {
    await useProxy({ HTTP_PROXY: proxy.url });
    const client = new webApi.WebClient("xoxb-test-token", {
      ...slackTransport(slack.apiUrl),
      retryConfig: { retries: 0 },
    });
    const before = slack.callsTo("auth.test").length;
    expect((await client.auth.test()).ok).toBe(true);
    expect(slack.callsTo("auth.test").length).toBe(before + 1);
    expect(proxy.tunnelsTo(portOf(slack.url)).length).toBeGreaterThan(0);

    await useProxy({ HTTP_PROXY: await deadProxyUrl() });
    const blocked = new webApi.WebClient("xoxb-test-token", {
      ...slackTransport(slack.apiUrl),
      retryConfig: { retries: 0 },
    });
    await expect(blocked.auth.test()).rejects.toThrow();
    expect(slack.callsTo("auth.test").length).toBe(before + 1);
  });

  it("Socket Mode opens its connection and its WebSocket through the tunnel", async () => {
    const upgrades: string[] = [];
    const socketEnd: Server = createServer((_req, res) => res.writeHead(400).end());
    socketEnd.on("upgrade", (req, sock) => {
      upgrades.push(req.url ?? "");
      sock.destroy();
    });
    await new Promise<void>((r) => socketEnd.listen(0, "127.0.0.1", r));
    const socketPort = (socketEnd.address() as AddressInfo).port;
    slack.socketUrl = `ws://127.0.0.1:${socketPort}/link`;
    await useProxy({ HTTP_PROXY: proxy.url });
    const cfg = loadBotConfig({
      ...cfgBase,
      SLACK_APP_TOKEN: "xapp-1-test-token",
      SLACK_API_URL: slack.apiUrl,
    });
    const opts = appOptions(cfg, undefined);
    const client = (
      opts.receiver as unknown as {
        client: { start(): Promise<unknown>; disconnect(): Promise<void> };
      }
    ).client;
    const opened = slack.callsTo("apps.connections.open").length;
    void client.start().catch(() => undefined);
    try {
      await slack.waitFor(() => upgrades.length > 0, 8_000);
      expect(slack.callsTo("apps.connections.open").length).toBeGreaterThan(opened);
      expect(proxy.tunnelsTo(socketPort).length).toBeGreaterThan(0);
      expect(upgrades[0]).toBe("/link");
    } finally {
      await client.disconnect().catch(() => undefined);
      slack.socketUrl = undefined;
      socketEnd.closeAllConnections();
      await new Promise((r) => socketEnd.close(r));
    }
  });
});
