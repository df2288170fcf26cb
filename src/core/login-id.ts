/**
 * What makes a login ID acceptable, decided once for the CLI, /scim check,
 * /scim forget and /scim expect. Pure.
 */

export const MAX_LOGIN_ID = 320;

/**
 * Control characters, and invisible format characters such as bidi overrides
 * (U+202E), isolates (U+2066–2069), zero-width spaces and joiners, and line
 * separators: they spoof how a name renders, so they are refused, never stripped.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** Why a login ID is refused, or null when it is fine. */
export function loginIdProblem(s: string): string | null {
  if (s.length === 0) return "it is empty";
  if (s.length > MAX_LOGIN_ID) return `it is longer than ${MAX_LOGIN_ID} characters`;
  const bad = INVISIBLE.exec(s);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return `it contains an invisible control or direction character (U+${code}), which can disguise how it reads`;
  }
  if (/[\s<>"'`]/.test(s)) return "it contains spaces, quotes or < >";
  return null;
}

/** Why a display name (from HR, a file, a form) is refused, or null: the same invisible-character rule. */
export function displayNameProblem(s: string): string | null {
  if (s.length > 200) return "the name is longer than 200 characters";
  const bad = INVISIBLE.exec(s);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    return `the name contains an invisible control or direction character (U+${code}), which can disguise how it reads`;
  }
  return null;
}

/** The text with every invisible character shown as \uXXXX, safe to echo back. */
export function showInvisible(s: string): string {
  return s.replace(
    new RegExp(INVISIBLE.source, "gu"),
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}
