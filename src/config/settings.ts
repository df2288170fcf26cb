/** The settings every part reads, from the validated environment (config/bot.ts): one shape, built once in services.ts. */
import type { Debounce } from "../core/episodes.js";
import { parseWarnDays } from "../core/scim-keys.js";
import { DEFAULT_THRESHOLDS, type HealthThresholds } from "../core/tenant-health.js";
import type { BotConfig } from "./bot.js";

export interface Settings {
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
  graceMinutes: number;
  alertChannel?: string | undefined;
  intervalSec: number;
  backfillDays: number;
  lateWriteSec: number;
  /** The deeper re-read: its window and how often (SCIMWATCH_REREAD_*). */
  reread: { windowSec: number; everySec: number };
  /** SCIMWATCH_TAIL_MAX_INTERVAL: the poll's longest wait while the audit stream flows. */
  tailMaxIntervalSec: number;
  blindAfterRuns: number;
  externalMembers: "read" | "none" | "full";
  /** SCIMWATCH_KEY_WARN_DAYS, largest first. */
  keyWarnDays: number[];
  /** SCIMWATCH_RECONCILE_SCHEDULE: a cron pattern (UTC), or null when off. */
  reconcileSchedule: string | null;
  startLeadHours: number | undefined;
  thresholds: HealthThresholds;
  debounce: Debounce;
}

/** What the settings say, from the environment. */
export function settingsOf(cfg: BotConfig): Settings {
  return {
    supportChannels: cfg.SCIMWATCH_SUPPORT_CHANNELS,
    adminUsers: cfg.SCIMWATCH_ADMIN_USERS,
    graceMinutes: cfg.SCIMWATCH_GRACE_MINUTES,
    alertChannel: cfg.SCIMWATCH_ALERT_CHANNEL,
    intervalSec: cfg.SCIMWATCH_TAIL_INTERVAL,
    backfillDays: cfg.SCIMWATCH_BACKFILL_DAYS,
    lateWriteSec: cfg.SCIMWATCH_LATE_WRITE_SEC,
    reread: {
      windowSec: cfg.SCIMWATCH_REREAD_WINDOW_SEC,
      everySec: cfg.SCIMWATCH_REREAD_EVERY_SEC,
    },
    tailMaxIntervalSec: cfg.SCIMWATCH_TAIL_MAX_INTERVAL,
    blindAfterRuns: cfg.SCIMWATCH_BLIND_AFTER_RUNS,
    externalMembers: cfg.SCIMWATCH_EXTERNAL_MEMBERS,
    keyWarnDays: parseWarnDays(cfg.SCIMWATCH_KEY_WARN_DAYS),
    reconcileSchedule:
      cfg.SCIMWATCH_RECONCILE_SCHEDULE === "off" ? null : cfg.SCIMWATCH_RECONCILE_SCHEDULE,
    startLeadHours: cfg.SCIMWATCH_START_LEAD_HOURS,
    debounce: {
      settleMs: cfg.SCIMWATCH_RECOVERY_SETTLE_MIN * 60_000,
      cooldownMs: cfg.SCIMWATCH_RELAPSE_COOLDOWN_MIN * 60_000,
    },
    thresholds: {
      ...DEFAULT_THRESHOLDS,
      failingMinCalls: cfg.SCIMWATCH_FAILING_MIN_CALLS,
      failingRatio: cfg.SCIMWATCH_FAILING_RATIO,
      stoppedMinMs: cfg.SCIMWATCH_STOPPED_AFTER_HOURS * 3_600_000,
      massMin: cfg.SCIMWATCH_MASS_DEACTIVATION_MIN,
      massRatio: cfg.SCIMWATCH_MASS_DEACTIVATION_RATIO,
    },
  };
}
