/**
 * What the hires' alerts say and where they go, decided from their state
 * alone (no Redis, no Slack): overdue alerts (a digest when many fall due in
 * one channel, the alerts in its thread), resolutions, reminders. The outbox
 * sends them; `Recorder` writes down what was sent.
 */
import { type HireView, reminderOwed, resolutionOwed } from "../../core/hires/state.js";
import {
  alertMessage,
  digestMessage,
  reminderMessage,
  resolvedAlertMessage,
} from "../../render/hires.js";
import type { Outgoing } from "../notify/outbox.js";

/** Records, once a message is in Slack, what it means for the hire. */
export interface Recorder {
  alerted(id: string, alert: { channel: string; ts: string; at: number }): Promise<void>;
  resolved(id: string, at: number): Promise<void>;
  reminded(id: string): Promise<void>;
}

/** Late arrivals (the alert says "resolved") and snoozed alerts whose hour is up (a reminder). */
export function followUps(views: Map<string, HireView>, now: number, record: Recorder): Outgoing[] {
  const out: Outgoing[] = [];
  for (const [id, v] of views) {
    const alert = v.hire.alert;
    if (!alert) continue;
    if (resolutionOwed(v)) {
      out.push({
        key: `resolve:${id}`,
        kind: "hire_resolved",
        to: { channel: alert.channel },
        edit: { ts: alert.ts },
        message: resolvedAlertMessage(v),
        afterSend: () => record.resolved(id, now),
      });
    } else if (reminderOwed(v, now)) {
      out.push({
        key: `remind:${id}:${v.hire.snoozedUntil}`,
        kind: "hire_reminder",
        to: { channel: alert.channel },
        thread: alert.ts,
        message: reminderMessage(v.hire),
        afterSend: () => record.reminded(id),
      });
    }
  }
  return out;
}

/**
 * One alert per overdue hire, in the channel `channelOf` gives it; as many as
 * `threshold` or more in one channel get a digest first, the alerts in its thread.
 */
export function overdueMessages(
  owed: Array<[string, HireView]>,
  channelOf: (v: HireView) => string,
  now: number,
  record: Recorder,
  threshold = 3,
): Outgoing[] {
  const byChannel = new Map<string, Array<[string, HireView]>>();
  for (const [id, v] of owed) {
    const channel = channelOf(v);
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), [id, v]]);
  }
  const out: Outgoing[] = [];
  for (const [channel, list] of byChannel) {
    const digest = list.length >= threshold ? `digest:${channel}:${now}` : null;
    if (digest) {
      const tenants = [...new Set(list.map(([, v]) => v.hire.tenantName))].join(", ");
      out.push({
        key: digest,
        kind: "hire_digest",
        to: { channel },
        message: digestMessage(
          list.map(([, v]) => v),
          tenants,
        ),
      });
    }
    for (const [id, v] of list) {
      out.push({
        key: `alert:${id}`,
        kind: "hire_overdue",
        to: { channel },
        thread: digest ? { key: digest } : undefined,
        message: alertMessage(v, id),
        recent: {
          tenantId: v.hire.tenantId,
          text: `${v.hire.loginId} missing in ${v.hire.tenantName}`,
          registeredBy: v.hire.registeredBy,
        },
        afterSend: ({ channel: at, ts }) => record.alerted(id, { channel: at, ts, at: now }),
      });
    }
  }
  return out;
}
