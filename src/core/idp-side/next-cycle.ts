/**
 * When Entra's provisioning job will next push (idp-apis.md E6): Entra
 * publishes no "next run" field, so it is derived from the job's state. Pure.
 */
export interface EntraJobState {
  code: string;
  /** schedule.state: Active, Disabled, Paused. */
  scheduleState?: string | undefined;
  /** schedule.interval, ISO-8601 duration (PT40M). */
  interval?: string | undefined;
  steadyStateFirstAchieved?: string | undefined;
  lastExecutionBegan?: string | undefined;
  lastExecutionEnded?: string | undefined;
  nextAttempt?: string | undefined;
}

export type NextCycle =
  | { kind: "at"; at: number }
  | { kind: "quarantine"; at: number | null }
  | { kind: "initial" }
  | { kind: "running" }
  | { kind: "stopped" };

/** Graph's "unset" timestamp (0001-01-01T00:00:00Z) and anything unparsable read as unset. */
function time(s: string | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) && t > Date.parse("2000-01-01T00:00:00Z") ? t : null;
}

/** An ISO-8601 duration (days, hours, minutes, seconds) in ms, or null. */
export function isoDurationMs(d: string | undefined): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(d ?? "");
  if (!m || d === "P" || d === "PT") return null;
  const [, days, h, min, s] = m.map((x) => Number(x ?? 0));
  return (((days ?? 0) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60_000 + (s ?? 0) * 1000;
}

export function entraNextCycle(j: EntraJobState): NextCycle {
  if (j.code === "Quarantine") return { kind: "quarantine", at: time(j.nextAttempt) };
  if (["Paused", "NotConfigured", "NotRun"].includes(j.code)) return { kind: "stopped" };
  if (j.scheduleState && j.scheduleState !== "Active") return { kind: "stopped" };
  if (time(j.steadyStateFirstAchieved) === null) return { kind: "initial" };
  if (time(j.lastExecutionEnded) === null) return { kind: "running" };
  const began = time(j.lastExecutionBegan);
  const every = isoDurationMs(j.interval) ?? 40 * 60_000;
  return began === null ? { kind: "running" } : { kind: "at", at: began + every };
}
