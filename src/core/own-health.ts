/**
 * Is scimwatch itself blind? Its audit reads have failed too many times in a
 * row, or Descope refused its management key (then at once: no retry will
 * help). Decided once, for the alert, /healthz/tail and /readyz. Pure.
 */
export interface Blindness {
  blind: boolean;
  reason: "key_refused" | "reads_failing" | null;
  since: number | null;
  failedRuns: number;
}

export function blindness(
  s: {
    failedRuns?: number | undefined;
    lastErrorCode?: string | undefined;
    failingSince?: number | undefined;
  },
  afterRuns: number,
): Blindness {
  const failedRuns = s.failedRuns ?? 0;
  const since = s.failingSince ?? null;
  if (failedRuns > 0 && s.lastErrorCode === "descope_auth")
    return { blind: true, reason: "key_refused", since, failedRuns };
  if (failedRuns >= afterRuns) return { blind: true, reason: "reads_failing", since, failedRuns };
  return { blind: false, reason: null, since: null, failedRuns };
}
