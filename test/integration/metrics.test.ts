/** GET /metrics: Prometheus text that parses, and counters that move with what the bot does. */
import { afterEach, describe, expect, it } from "vitest";
import { EntraHttp } from "../../src/connectors/entra-http.js";
import { Metrics } from "../../src/log/metrics.js";
import { observeHttpCalls } from "../../src/net/http.js";
import { scimEvent } from "../fakes/builders.js";
import { FakeEntra } from "../fakes/entra.js";
import { type Harness, startHarness } from "../helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Parses the text exposition format strictly: every line a comment or `name{labels} value`. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  // The text format: a family's samples follow its TYPE line, all together, and a family
  // appears once (a second group of the same family is invalid).
  const seen = new Set<string>();
  let family = "";
  let type = "";
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    if (line.startsWith("#")) {
      expect(line).toMatch(
        /^# (HELP [a-zA-Z_:][\w:]* .*|TYPE [a-zA-Z_:][\w:]* (counter|gauge|histogram|summary|untyped))$/,
      );
      const t = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (t) {
        expect(seen.has(t[1] as string), `family ${t[1]} appears twice`).toBe(false);
        seen.add(t[1] as string);
        family = t[1] as string;
        type = t[2] as string;
      }
      continue;
    }
    const name = /^[a-zA-Z_:][\w:]*/.exec(line)?.[0] ?? "";
    const suffixes =
      type === "histogram"
        ? ["_bucket", "_sum", "_count"]
        : type === "summary"
          ? ["", "_sum", "_count"]
          : type === "counter"
            ? ["", "_total"]
            : [""];
    expect(
      suffixes.some((x) => name === `${family}${x}`),
      `${name} outside its family's group (after ${family})`,
    ).toBe(true);
    const m = line.match(
      /^([a-zA-Z_:][\w:]*(?:\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",? ?)*\})?) (-?[\d.e+-]+|NaN|[+-]Inf)$/,
    );
    expect(m, line).not.toBeNull();
    out.set(m?.[1] as string, Number(m?.[2]));
  }
  return out;
}

const sum = (m: Map<string, number>, prefix: string) =>
  [...m].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);

describe("GET /metrics", () => {
  it("parses as Prometheus text, documents each metric, and its counters move", async () => {
    h = await startHarness({}, (d) => d.tenants.push({ id: "T1", name: "Acme" }));
    const first = await fetch(`${h.url}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const before = parse(await first.text());
    h.descope.audits.push(
      scimEvent({ at: Date.now() - 60_000, loginId: "a@acme.com", tenant: "T1" }),
    );
    await h.runtime.tailOnce();
    await h.command("help", { channel: "CSUPPORT" });
    const check = await h.command("check a@acme.com Acme", { channel: "CSUPPORT" });
    await h.slack.waitFor(() => h?.slack.respondedTo(check.rid)[0]);
    // The check's log line and its metric are written together, just after the answer.
    await new Promise((r) => setTimeout(r, 100));
    const body = await (await fetch(`${h.url}/metrics`)).text();
    const after = parse(body);
    for (const name of [
      "scimwatch_tail_lag_seconds",
      "scimwatch_tail_last_success_timestamp_seconds",
      "scimwatch_audit_index_read_to_timestamp_seconds",
      "scimwatch_descope_call_duration_seconds",
      "scimwatch_build_info",
      "scimwatch_tail_runs_total",
      "scimwatch_audit_searches_total",
      "scimwatch_audit_budget_remaining",
      "scimwatch_descope_calls_total",
      "scimwatch_slack_requests_total",
      "scimwatch_slack_request_duration_seconds",
      "scimwatch_hires",
      "scimwatch_alerts_sent_total",
      "scimwatch_tenants",
    ])
      expect(body).toContain(`# HELP ${name} `);
    expect(after.get('scimwatch_tail_runs_total{status="ok"}')).toBe(1);
    expect(sum(after, "scimwatch_audit_searches_total")).toBeGreaterThan(
      sum(before, "scimwatch_audit_searches_total"),
    );
    expect(sum(after, "scimwatch_descope_calls_total")).toBeGreaterThan(0);
    expect(sum(after, 'scimwatch_slack_requests_total{kind="check"')).toBe(1);
    expect(sum(after, 'scimwatch_slack_request_duration_seconds_count{kind="check"}')).toBe(1);
    // Timestamps, not "seconds since" (issue #24): alert on time() - the gauge.
    const last = after.get("scimwatch_tail_last_success_timestamp_seconds") ?? 0;
    expect(Math.abs(Date.now() / 1000 - last)).toBeLessThan(60);
    expect(body).not.toContain("scimwatch_tail_seconds_since_success");
    // Label values are identifiers, not prose; calls are timed by operation.
    const ops = [...after.keys()]
      .filter((k) => k.startsWith("scimwatch_descope_calls_total{"))
      .map((k) => /op="([^"]*)"/.exec(k)?.[1] ?? "");
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) expect(op).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(sum(after, "scimwatch_descope_call_duration_seconds_count")).toBeGreaterThan(0);
    // Who is running, and Node's own metrics under their standard names.
    expect(
      [...after.keys()].some((k) => /^scimwatch_build_info\{version="[^"]+",node="/.test(k)),
    ).toBe(true);
    expect(body).toContain("# TYPE process_cpu_user_seconds_total counter");
    expect(body).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    // Every family's samples together, after its HELP and TYPE, once.
    const families = body
      .split("\n")
      .filter((l) => l.startsWith("# TYPE "))
      .map((l) => l.split(" ")[2]);
    expect(new Set(families).size).toBe(families.length);
  });

  it("adds BullMQ's queue metrics in a process that runs the workers, each family once", async () => {
    h = await startHarness({}, (d) => d.tenants.push({ id: "T1", name: "Acme" }), { role: "all" });
    const body = await (await fetch(`${h.url}/metrics`)).text();
    const m = parse(body);
    expect([...m.keys()].some((k) => k.startsWith('bullmq_job_count{queue="scimwatch"'))).toBe(
      true,
    );
    expect(
      [...m.keys()].some((k) => k.startsWith('bullmq_job_count{queue="scimwatch-notify"')),
    ).toBe(true);
    expect(body.match(/^# HELP bullmq_job_count /gm)).toHaveLength(1);
  });

  it("times calls to the IdPs' APIs by service and outcome", async () => {
    const entra = new FakeEntra();
    await entra.start();
    const metrics = new Metrics({ version: "test" });
    observeHttpCalls((service, outcome, ms) => metrics.idpCall(service, outcome, ms));
    try {
      const http = new EntraHttp({
        clientId: entra.clientId,
        clientSecret: entra.clientSecret,
        loginUrl: entra.url,
        graphUrl: entra.url,
      });
      await http
        .list("6f1c7e2a-0000-4000-8000-000000000000", "/servicePrincipals?$top=1")
        .catch(() => null);
      const text = await metrics.text();
      const m = parse(text);
      // The token request (this fake tenant is unknown: Microsoft's 400), timed with its outcome.
      expect(
        m.get(
          'scimwatch_idp_call_duration_seconds_count{service="entra_login",outcome="http_400"}',
        ),
      ).toBe(1);
      for (const k of m.keys())
        if (k.startsWith("scimwatch_idp_call_duration_seconds_count"))
          expect(k).toMatch(
            /service="(graph|entra_login|okta|okta_token)",outcome="(ok|http_\d+|timeout|network_error)"/,
          );
    } finally {
      observeHttpCalls(undefined);
      await entra.stop();
    }
  });
});
