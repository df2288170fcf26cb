/**
 * One way out. Producers decide and return messages; `send()` delivers them,
 * the one place that claims a message's once-record, looks for a send of
 * unknown outcome, posts (or edits), confirms or releases, counts one metric
 * per kind and logs one line per failure. One routing rule for every kind.
 */
import type { Logger } from "../../log/logger.js";
import type { HireStore } from "../../redis/hire-store.js";
import type { LinkStore } from "../../redis/links.js";
import type { OnceStore } from "../../redis/once-store.js";
import type { SlackMessage } from "../../render/blocks.js";
import { type Notifier, type OutgoingFile, sendFailure } from "./port.js";

const DAY = 86_400_000;

/**
 * Every kind of message, with how long its once-record is kept, its priority
 * (0 first: expected hires and tenants; 2: informational, at most
 * INFO_PER_SEND per send; 3: scheduled digests) and whether it
 * counts as an alert in /metrics.
 */
const KINDS = {
  hire_overdue: { keepMs: 30 * DAY, priority: 0, alert: true },
  hire_digest: { keepMs: 30 * DAY, priority: 0, alert: false },
  hire_blocked: { keepMs: 30 * DAY, priority: 0, alert: true },
  hire_reminder: { keepMs: 30 * DAY, priority: 0, alert: true },
  hire_resolved: { keepMs: 30 * DAY, priority: 0, alert: false },
  hire_start_near: { keepMs: 60 * DAY, priority: 1, alert: true },
  tenant_failing: { keepMs: 30 * DAY, priority: 0, alert: true },
  tenant_stopped: { keepMs: 30 * DAY, priority: 0, alert: true },
  tenant_mass_deactivation: { keepMs: 30 * DAY, priority: 0, alert: true },
  tenant_recovered: { keepMs: 30 * DAY, priority: 0, alert: true },
  tenant_alert_edit: { keepMs: 30 * DAY, priority: 0, alert: false },
  blind: { keepMs: 30 * DAY, priority: 0, alert: true },
  sight_restored: { keepMs: 30 * DAY, priority: 0, alert: true },
  checklist: { keepMs: 30 * DAY, priority: 1, alert: false },
  unknown_signin: { keepMs: 2 * DAY, priority: 2, alert: true },
  identifier_mismatch: { keepMs: 90 * DAY, priority: 2, alert: true },
  mapped_not_assigned: { keepMs: 30 * DAY, priority: 1, alert: true },
  weekly_digest: { keepMs: 14 * DAY, priority: 3, alert: true },
  scim_key_expiring: { keepMs: 400 * DAY, priority: 0, alert: true },
  scim_key_unusable: { keepMs: 400 * DAY, priority: 0, alert: true },
  scim_key_never_called: { keepMs: 400 * DAY, priority: 1, alert: true },
  scim_key_renewed: { keepMs: 400 * DAY, priority: 0, alert: false },
  audit_stream_stopped: { keepMs: 30 * DAY, priority: 0, alert: true },
  reconcile_progress: { keepMs: 7 * DAY, priority: 1, alert: false },
  reconcile_result: { keepMs: 7 * DAY, priority: 1, alert: false },
  reconcile_file: { keepMs: 7 * DAY, priority: 1, alert: false },
  reconcile_orphaned: { keepMs: 400 * DAY, priority: 0, alert: true },
  action_request: { keepMs: 30 * DAY, priority: 0, alert: false },
  action_record: { keepMs: 30 * DAY, priority: 0, alert: false },
  leaver_checklist: { keepMs: 60 * DAY, priority: 1, alert: false },
  leaver_still_enabled: { keepMs: 60 * DAY, priority: 0, alert: true },
  leaver_resolved: { keepMs: 60 * DAY, priority: 0, alert: false },
} as const;
export type Kind = keyof typeof KINDS;

/**
 * Where a message goes: a given channel, or a tenant's alerts — its linked
 * alert channel (`/scim alerts`), else SCIMWATCH_ALERT_CHANNEL, else the
 * fallback (the channel a hire was registered in), else nowhere.
 */
export type Route = { channel: string } | { tenantId: string; fallback?: string | undefined };

export interface Outgoing {
  /** The exactly-once key; none for an edit that may run any number of times. */
  key?: string | undefined;
  kind: Kind;
  to: Route;
  /** Null: nothing to say, but decided once (recorded as done, nothing posted). */
  message: SlackMessage | null;
  /** A thread: its ts, or the key of another message of the same send. */
  thread?: string | { key: string } | undefined;
  /** Edits this message instead of posting. */
  edit?: { ts: string } | undefined;
  /** Shares this file instead of posting (the message's text is its comment). */
  file?: OutgoingFile | undefined;
  /** Shown under "Recent alerts" in the App Home once sent (not when found already sent). */
  recent?: { tenantId: string; text: string; registeredBy?: string | null } | undefined;
  /** Records where the message is, once it is known to be in Slack (sent now, or found). */
  afterSend?:
    | ((sent: { channel: string; ts: string; found: boolean }) => Promise<void>)
    | undefined;
}

export type Outcome =
  | { status: "sent" | "found"; channel: string; ts: string }
  /** Another process holds it, or it was sent before. */
  | { status: "done" }
  /** Decided with nothing to say (a null message), recorded. */
  | { status: "recorded" }
  | { status: "unroutable" }
  /** Left for the next run: informational messages beyond the run's share. */
  | { status: "deferred" }
  | { status: "failed"; error: unknown };

interface OutboxDeps {
  once: OnceStore;
  notifier: Notifier;
  links: LinkStore;
  hires: Pick<HireStore, "pushRecentAlert">;
  log: Logger;
  alertChannel?: string | undefined;
  metrics?: { alerts: { inc(labels: { kind: string }): void } } | undefined;
  now?: () => number;
}

/** Informational messages sent per call; the rest wait, so they never hold up an alert. */
const INFO_PER_SEND = 10;

/** A tenant's alert channel (linked `/scim alerts`), else the global one: read once per send. */
export async function alertRoutes(
  links: LinkStore,
  fallback?: string,
): Promise<(tenantId: string) => string | undefined> {
  const byTenant = new Map<string, string>();
  for (const { link } of await links.all()) {
    if (link.alertChannel && !byTenant.has(link.tenantId))
      byTenant.set(link.tenantId, link.alertChannel);
  }
  return (tenantId) => byTenant.get(tenantId) ?? fallback;
}

export class Outbox {
  constructor(private readonly deps: OutboxDeps) {}

  /** Publishes a person's App Home (a view, replaced whole each time: nothing to do once). */
  publishHome(userId: string, view: Parameters<Notifier["publishHome"]>[1]): Promise<void> {
    return this.deps.notifier.publishHome(userId, view);
  }

  /** Delivers the messages, alerts first; the outcome of each, in the order given. */
  async send(messages: Outgoing[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(messages.length);
    const needsRoutes = messages.some((m) => "tenantId" in m.to);
    const routeOf = needsRoutes
      ? await alertRoutes(this.deps.links, this.deps.alertChannel)
      : () => undefined;
    const order = messages
      .map((m, i) => ({ m, i }))
      .sort((a, b) => KINDS[a.m.kind].priority - KINDS[b.m.kind].priority || a.i - b.i);
    const tsOf = new Map<string, string>();
    let info = 0;
    for (const { m, i } of order) {
      if (KINDS[m.kind].priority === 2 && ++info > INFO_PER_SEND) {
        outcomes[i] = { status: "deferred" };
        continue;
      }
      const channel = "channel" in m.to ? m.to.channel : (routeOf(m.to.tenantId) ?? m.to.fallback);
      if (m.message === null) {
        outcomes[i] = await this.record(m).catch((error: unknown) => ({
          status: "failed" as const,
          error,
        }));
        continue;
      }
      if (channel === undefined) {
        // Not recorded: once a channel is set, the next run sends it.
        outcomes[i] = { status: "unroutable" };
        this.deps.log.warn(
          { kind: m.kind },
          "a message has no channel (set SCIMWATCH_ALERT_CHANNEL or /scim alerts)",
        );
        continue;
      }
      const thread =
        typeof m.thread === "object" ? tsOf.get(`${channel}\u0000${m.thread.key}`) : m.thread;
      try {
        outcomes[i] = await this.deliver(m, channel, thread);
      } catch (error) {
        outcomes[i] = { status: "failed", error };
        this.deps.log.warn({ kind: m.kind, channel, err: error }, `could not send ${m.kind}`);
      }
      const o = outcomes[i];
      if (m.key && o && (o.status === "sent" || o.status === "found"))
        tsOf.set(`${channel}\u0000${m.key}`, o.ts);
    }
    return outcomes;
  }

  /**
   * Nothing to post (a null message): recorded once, so the decision is not made
   * again; "done" when it was recorded or sent before.
   */
  private async record(m: Outgoing): Promise<Outcome> {
    if (!m.key) return { status: "recorded" };
    if (!(await this.deps.once.claim(m.key))) return { status: "done" };
    await this.deps.once.confirm(m.key, KINDS[m.kind].keepMs);
    return { status: "recorded" };
  }

  private async deliver(m: Outgoing, channel: string, thread?: string): Promise<Outcome> {
    const { once, notifier } = this.deps;
    const keep = KINDS[m.kind].keepMs;
    const msg = m.message as SlackMessage;
    const write = (key?: string) =>
      m.file
        ? notifier.upload(channel, m.file, thread)
        : m.edit
          ? notifier.update(channel, m.edit.ts, msg).then(() => m.edit?.ts as string)
          : notifier.post(channel, msg, thread, key);
    if (!m.key) {
      const ts = await write();
      await m.afterSend?.({ channel, ts, found: false });
      return { status: "sent", channel, ts };
    }
    const key = m.key;
    if (!(await once.claim(key))) return { status: "done" };
    try {
      // A send that may have reached Slack before (a timeout, a crash): look for it first.
      const prior = m.edit || m.file ? null : await once.attemptOf(key);
      if (prior !== null) {
        const ts = await this.lookFor(channel, key, prior);
        if (ts) {
          await m.afterSend?.({ channel, ts, found: true });
          await once.confirm(key, keep);
          await once.clearAttempt(key);
          return { status: "found", channel, ts };
        }
      }
      if (!m.edit) await once.markAttempt(key, (this.deps.now ?? Date.now)());
      let ts: string;
      try {
        ts = await write(key);
      } catch (e) {
        // Slack said no for sure: nothing to look for next time.
        if (sendFailure(e) !== "uncertain") await once.clearAttempt(key);
        throw e;
      }
      if (KINDS[m.kind].alert) this.deps.metrics?.alerts.inc({ kind: m.kind });
      await m.afterSend?.({ channel, ts, found: false });
      await once.confirm(key, keep);
      await once.clearAttempt(key);
      if (m.recent)
        await this.deps.hires.pushRecentAlert({
          at: (this.deps.now ?? Date.now)(),
          tenantId: m.recent.tenantId,
          text: m.recent.text,
          registeredBy: m.recent.registeredBy ?? null,
        });
      return { status: "sent", channel, ts };
    } catch (e) {
      await once.release(key).catch(() => {});
      throw e;
    }
  }

  /** Slack unreachable: try again later rather than risk a second copy; refused look-ups: send. */
  private async lookFor(channel: string, key: string, since: number): Promise<string | null> {
    try {
      return await this.deps.notifier.findPosted(channel, key, since - 60_000);
    } catch (e) {
      if (sendFailure(e) !== "refused") throw e;
      return null;
    }
  }
}
