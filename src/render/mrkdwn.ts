/** mrkdwn helpers. Everything that came from a user or from Descope goes through `esc()`. */

/**
 * Invisible characters that change how text reads: bidi overrides and
 * isolates (U+202E, U+2066…), zero-width spaces, other format and control
 * characters (but not newlines and tabs, nor the zero-width joiner of emoji).
 */
const DISGUISE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const KEPT = new Set(["\n", "\t", "\r", "\u200D"]);

/**
 * Escapes Slack's control characters so `<!channel>` or `<https://x|y>` stay
 * inert text, and shows invisible direction and format characters as \uXXXX so
 * a typed or stored U+202E can never flip how an answer reads.
 */
export function esc(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(DISGUISE, (c) =>
      KEPT.has(c) ? c : `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
    );
}

/** A time every reader sees in their own time zone, with an ISO fallback. */
export function slackDate(iso: string, format = "{date_short_pretty} {time}"): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return esc(iso);
  return `<!date^${Math.floor(ms / 1000)}^${format}|${iso.replace(/\.\d{3}Z$/, "Z")}>`;
}

/**
 * Turns the UTC times our prose carries ("2026-11-28 14:05 UTC", ISO with Z)
 * into Slack dates, so every reader sees their own time zone. Apply to text
 * already escaped: the date token is built from digits only.
 */
export function readerTimes(mrkdwn: string): string {
  return mrkdwn.replace(
    /\b(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:\.\d{1,3})?(?: UTC|Z)(?![\w|])/g,
    (match, date: string, hm: string, sec?: string) => {
      const ms = Date.parse(`${date}T${hm}${sec ?? ":00"}Z`);
      if (Number.isNaN(ms)) return match;
      return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time${sec ? "_secs" : ""}}|${match}>`;
    },
  );
}

/**
 * Text that came from an IdP, Descope or HR (SCIM errors, display names):
 * escaped, and any URL or bare domain in it set as code, so Slack does not turn
 * it into a live link (an e-mail address stays as it is).
 */
export function untrusted(s: string): string {
  return esc(s)
    .replace(/\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s`]+/gi, (u) => `\`${u}\``)
    .replace(
      // A bare domain: a lower-case top-level label (not a permission like AuditLog.Read.All).
      /(?<![@\w.`/-])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b(?![.\w`])(?:\/[^\s`]*)?/g,
      (u) => `\`${u}\``,
    );
}

/** Cuts text to at most `max` characters (Block Kit limits), marking the cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  // Never cut inside an escape entity or a <…> control sequence we produced.
  let cut = s.slice(0, max - 1);
  const amp = cut.lastIndexOf("&");
  if (amp > cut.length - 6 && !cut.slice(amp).includes(";")) cut = cut.slice(0, amp);
  const lt = cut.lastIndexOf("<");
  if (lt > cut.lastIndexOf(">")) cut = cut.slice(0, lt);
  return `${cut}…`;
}

/** An epoch-ms time as ISO-8601 UTC, for slackDate and plain-text fallbacks. */
export const iso = (ms: number) => new Date(ms).toISOString();
