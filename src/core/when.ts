/** Parses "when" inputs: ISO-8601 timestamps, or relative forms such as -20m, 2h ago, now. */

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Why a "when" input was refused, for the person who typed it. A date and
 * time without a zone is refused rather than read in the server's zone,
 * which the person cannot see.
 */
export function whenProblem(input: string): string {
  const s = input.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/i.test(s)) {
    return `${s} has no time zone: add Z for UTC or your offset (e.g. ${s}Z or ${s}+01:00), or give a relative time such as -20m`;
  }
  return `${s} is not a time: use ISO-8601 with a zone (2026-11-28T09:30Z) or a relative time such as -20m or 2h ago`;
}

/** Returns epoch ms, or undefined when the input is not a time (see whenProblem). */
export function parseWhen(input: string, now: number): number | undefined {
  const s = input.trim().toLowerCase();
  if (s === "now") return now;
  const rel = /^-?(\d{1,5})\s*(s|m|h|d)(?:\s*ago)?$/.exec(s);
  if (rel && (s.startsWith("-") || s.endsWith("ago"))) {
    return now - Number(rel[1]) * (UNITS[rel[2] as string] as number);
  }
  return parseIso(input);
}

/** Strict-ish ISO-8601: a date (read as UTC), or a date and time with a zone. */
function parseIso(input: string): number | undefined {
  const s = input.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i.test(s)) {
    return undefined;
  }
  const ms = Date.parse(s.replace(" ", "T"));
  return Number.isNaN(ms) ? undefined : ms;
}
