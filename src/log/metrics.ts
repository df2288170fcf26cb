/**
 * What scimwatch exposes at GET /metrics (Prometheus text format, prom-client):
 * counters moved where things happen, gauges read from Redis when scraped.
 * One registry per process (runtime), never the library's global one.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface MetricSources {
  /** Seconds since the newest event read (lastTo) and since the last successful run, or null. */
  tail(): Promise<{
    lagSeconds: number | null;
    /** Unix time (s) of the last successful run, and of the newest event read. */
    lastSuccessSeconds: number | null;
    readToSeconds: number | null;
  }>;
  /** Audit searches left in the current window. */
  auditBudgetLeft(): Promise<number>;
  /** Open expected hires by state. */
  hires(): Promise<Record<string, number>>;
  /** Tenants by provisioning health state. */
  tenants(): Promise<Record<string, number>>;
  /** Usable SCIM keys that expire within the first warning threshold (or have expired), as last read. */
  scimKeysExpiring(): Promise<number | null>;
  /** BullMQ's own queue metrics, already in Prometheus text (empty when this process runs no queues). */
  queues(): Promise<string>;
}

/** "Descope user load" → "user_load": label values are identifiers, not prose. */
export const opLabel = (op: string) =>
  op
    .replace(/^Descope /i, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");

/** Outcome labels stay few: counts inside an outcome ("registered_3_rejected_1") are dropped. */
export const outcomeLabel = (o: string) => o.replace(/_\d+/g, "").slice(0, 40);

export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources | null = null;

  readonly tailRuns = new Counter({
    name: "scimwatch_tail_runs_total",
    help: "Audit tail runs by status (ok, partial, failed, skipped).",
    labelNames: ["status"],
    registers: [this.registry],
  });
  readonly auditSearches = new Counter({
    name: "scimwatch_audit_searches_total",
    help: "Audit search requests sent to Descope (every page and retry), against the 10/min limit.",
    registers: [this.registry],
  });
  readonly descopeCalls = new Counter({
    name: "scimwatch_descope_calls_total",
    help: "Descope management calls by operation and outcome (ok, or the failure code).",
    labelNames: ["op", "outcome"],
    registers: [this.registry],
  });
  readonly descopeSeconds = new Histogram({
    name: "scimwatch_descope_call_duration_seconds",
    help: "Time a Descope management call took, its retries included, by operation.",
    labelNames: ["op"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly idpSeconds = new Histogram({
    name: "scimwatch_idp_call_duration_seconds",
    help: "Time one HTTP call to an IdP's API took, by service (graph, entra_login, okta, okta_token) and outcome (ok, http_<status>, timeout, network_error).",
    labelNames: ["service", "outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly auditPushes = new Counter({
    name: "scimwatch_audit_pushes_total",
    help: "Requests from Descope's audit stream (POST /hooks/descope-audit) by outcome: stored, unauthorized, bad_body.",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  readonly auditPushEvents = new Counter({
    name: "scimwatch_audit_push_events_stored_total",
    help: "Audit events first stored from Descope's audit stream (not read by the poll before).",
    registers: [this.registry],
  });
  readonly lateRows = new Counter({
    name: "scimwatch_audit_late_rows_total",
    help: "Audit rows the deeper re-read found that earlier reads had missed (Descope made them searchable late).",
    registers: [this.registry],
  });
  readonly lateRowAge = new Histogram({
    name: "scimwatch_audit_late_row_age_seconds",
    help: "How old the oldest late row was when a deeper re-read found it.",
    buckets: [30, 60, 120, 300, 600, 900, 1800, 3600],
    registers: [this.registry],
  });
  readonly pollOnlyEvents = new Counter({
    name: "scimwatch_audit_poll_only_events_total",
    help: "While the audit stream delivers: events the poll found that no push had delivered.",
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: "scimwatch_slack_requests_total",
    help: "Slash commands, buttons, forms and events by kind and outcome.",
    labelNames: ["kind", "outcome"],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: "scimwatch_slack_request_duration_seconds",
    help: "Time to handle a Slack request (after its acknowledgement), by kind.",
    labelNames: ["kind"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: "scimwatch_alerts_sent_total",
    help: "Alerts posted, by kind (the outbox's kinds of alert, listed in docs/operations.md).",
    labelNames: ["kind"],
    registers: [this.registry],
  });

  readonly actions = new Counter({
    name: "scimwatch_actions_total",
    help: "Fix-it actions by kind and outcome (requested, approved, declined, expired, done, failed, interrupted).",
    labelNames: ["kind", "outcome"],
    registers: [this.registry],
  });

  constructor(build: { version: string } = { version: "unknown" }) {
    // Node's and the process's own (CPU, memory, event-loop lag, handles), under their standard names.
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: "scimwatch_build_info",
      help: "Always 1: the version running and the Node it runs on.",
      labelNames: ["version", "node"],
      registers: [this.registry],
    }).set({ version: build.version, node: process.versions.node }, 1);
    const read = <K extends keyof MetricSources>(k: K) =>
      (this.sources?.[k]() as Promise<Awaited<ReturnType<MetricSources[K]>>> | undefined)?.catch(
        () => null,
      ) ?? Promise.resolve(null);
    this.gauge(
      "scimwatch_tail_lag_seconds",
      "Seconds between now and the newest time the audit index has read up to.",
      async () => (await read("tail"))?.lagSeconds,
    );
    // Timestamps, as Prometheus recommends (alert on `time() - …`), not "seconds since".
    this.gauge(
      "scimwatch_tail_last_success_timestamp_seconds",
      "Unix time of the last successful audit tail run.",
      async () => (await read("tail"))?.lastSuccessSeconds,
    );
    this.gauge(
      "scimwatch_audit_index_read_to_timestamp_seconds",
      "Unix time of the newest moment the audit index has read up to.",
      async () => (await read("tail"))?.readToSeconds,
    );
    this.gauge(
      "scimwatch_audit_budget_remaining",
      "Audit searches still allowed in the current 60 s window (shared by every process).",
      () => read("auditBudgetLeft"),
    );
    this.byState(
      "scimwatch_hires",
      "Open expected hires by state (waiting, overdue, provisioned, …).",
      () => read("hires"),
    );
    this.gauge(
      "scimwatch_scim_keys_expiring",
      "SCIM keys that expire within SCIMWATCH_KEY_WARN_DAYS' first threshold, or have expired (as the daily key watch last read them).",
      () => read("scimKeysExpiring"),
    );
    this.byState(
      "scimwatch_tenants",
      "Tenants by provisioning health (ok, quiet, failing, stopped, mass_deactivation).",
      () => read("tenants"),
    );
  }

  /** A gauge read when scraped; nothing when the source cannot tell. */
  private gauge(name: string, help: string, value: () => Promise<number | null | undefined>) {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const v = await value();
        if (v != null) this.set(v);
      },
    });
  }

  /** A gauge with one series per state, read when scraped. */
  private byState(
    name: string,
    help: string,
    counts: () => Promise<Record<string, number> | null>,
  ) {
    new Gauge({
      name,
      help,
      labelNames: ["state"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries((await counts()) ?? {})) this.set({ state }, n);
      },
    });
  }

  /** Where the gauges read from, once the process has its stores. */
  readFrom(sources: MetricSources): void {
    this.sources = sources;
  }

  /** One Descope call: counted by operation and outcome, timed by operation (snake_case labels). */
  descopeCall(op: string, outcome: string, ms: number): void {
    const label = opLabel(op);
    this.descopeCalls.inc({ op: label, outcome });
    this.descopeSeconds.observe({ op: label }, ms / 1000);
  }

  /** One call to an IdP's API (net/http.ts reports those that name their service). */
  idpCall(service: string, outcome: string, ms: number): void {
    this.idpSeconds.observe({ service, outcome }, ms / 1000);
  }

  /** One fix-it action's step (never its secrets: only the kind and the outcome). */
  action(kind: string, outcome: string): void {
    this.actions.inc({ kind, outcome });
  }

  /** One push of Descope's audit stream. */
  auditPush(outcome: string, stored: number): void {
    this.auditPushes.inc({ outcome });
    if (stored > 0) this.auditPushEvents.inc(stored);
  }

  /** One Slack request's outcome and duration (the middleware calls this). */
  observe(kind: string, outcome: string, ms: number): void {
    this.requests.inc({ kind, outcome: outcomeLabel(outcome) });
    this.requestSeconds.observe({ kind }, ms / 1000);
  }

  async text(): Promise<string> {
    // prom-client writes a not-yet-measured gauge as "Nan"; the text format says "NaN".
    const own = (await this.registry.metrics()).replace(/ Nan$/gm, " NaN");
    const queues = (await this.sources?.queues().catch(() => "")) ?? "";
    return queues ? `${own}\n${queues}\n` : own;
  }
}

/**
 * Several expositions (one per BullMQ queue) as one: each family's HELP and
 * TYPE once, then all of its samples together, as the text format requires.
 * Pure.
 */
export function mergeFamilies(texts: string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  for (const text of texts) {
    let current: { meta: string[]; samples: string[] } | undefined;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (meta) {
        const name = meta[2] as string;
        current = families.get(name);
        if (!current) {
          current = { meta: [], samples: [] };
          families.set(name, current);
        }
        if (!current.meta.some((m) => m.startsWith(`# ${meta[1]} `))) current.meta.push(line);
      } else if (!line.startsWith("#")) current?.samples.push(line);
    }
  }
  return [...families.values()].flatMap((f) => [...f.meta, ...f.samples]).join("\n");
}
