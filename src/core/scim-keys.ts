/**
 * SCIM access keys before they expire: which of a tenant's keys to warn
 * about, decided once. An expired or revoked key stops the IdP from
 * provisioning the whole tenant, and Descope knows each key's expiry in
 * advance (`expireTime`, epoch seconds, 0 = never). Pure.
 */

export interface ScimKeyInfo {
  id: string;
  name: string;
  /** Descope's status as given ("active", "inactive"…; not listed by Descope: anything but active-like is inactive). */
  status: string | null;
  /** Epoch ms, or null when the key never expires (expireTime 0). */
  expiresAt: number | null;
  createdAt: number | null;
  /** The SSO configuration the key serves ("" or null: the default). */
  ssoId: string | null;
}

export interface KeySnapshot {
  tenantId: string;
  tenantName: string;
  keys: ScimKeyInfo[];
  /** When it was read (epoch ms). */
  readAt: number;
}

export type KeyFinding =
  | {
      kind: "expiring";
      key: ScimKeyInfo;
      /** The warning threshold crossed (days before expiry). */
      threshold: number;
      daysLeft: number;
    }
  | { kind: "expired"; key: ScimKeyInfo }
  /** The tenant has keys, none of them usable, while SCIM users exist: the IdP cannot push. */
  | { kind: "none_active"; keys: number }
  /** A usable key, a day old or more, while the IdP has never called (no SCIM event in 30 days). */
  | { kind: "never_called"; key: ScimKeyInfo };

const DAY_MS = 86_400_000;

/** "14,7,1" → [14, 7, 1] (largest first); bad entries are dropped. Pure. */
export function parseWarnDays(v: string | undefined): number[] {
  const days = (v ?? "14,7,1")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n <= 365);
  return [...new Set(days)].sort((a, b) => b - a);
}

/** A key the IdP can use: active (or with no status given) and not past its expiry. */
export function keyUsable(k: ScimKeyInfo, now: number): boolean {
  const active = k.status === null || k.status === "" || /^active$/i.test(k.status);
  return active && (k.expiresAt === null || k.expiresAt > now);
}

/** Whether Descope marks the key active (or says nothing), whatever its expiry. */
export function keyActive(k: ScimKeyInfo): boolean {
  return k.status === null || k.status === "" || /^active$/i.test(k.status);
}

/**
 * What to warn about in one tenant's keys: each active key that expires
 * within a threshold (the smallest threshold it is within), each active key
 * already expired, and a tenant whose keys are all unusable while it has SCIM
 * users. Pure.
 */
export function keyFindings(
  snap: KeySnapshot,
  now: number,
  warnDays: number[],
  opts: { scimUsers: boolean },
): KeyFinding[] {
  const out: KeyFinding[] = [];
  for (const key of snap.keys) {
    if (!keyActive(key) || key.expiresAt === null) continue;
    if (key.expiresAt <= now) {
      out.push({ kind: "expired", key });
      continue;
    }
    const daysLeft = (key.expiresAt - now) / DAY_MS;
    const within = warnDays.filter((d) => daysLeft <= d);
    const threshold = within.length ? Math.min(...within) : null;
    if (threshold !== null)
      out.push({ kind: "expiring", key, threshold, daysLeft: Math.ceil(daysLeft) });
  }
  if (opts.scimUsers && snap.keys.length > 0 && !snap.keys.some((k) => keyUsable(k, now)))
    out.push({ kind: "none_active", keys: snap.keys.length });
  // Provisioning set up in Descope but never used: the IdP is not configured with the key.
  if (!opts.scimUsers)
    for (const key of snap.keys)
      if (keyUsable(key, now) && key.createdAt !== null && now - key.createdAt >= DAY_MS)
        out.push({ kind: "never_called", key });
  return out;
}

/** The key that decides when the tenant's provisioning stops: the usable key expiring last (null: one never expires, or none is usable). */
export function lastUsableExpiry(snap: KeySnapshot, now: number): number | null | "none" {
  const usable = snap.keys.filter((k) => keyUsable(k, now));
  if (!usable.length) return "none";
  if (usable.some((k) => k.expiresAt === null)) return null;
  return Math.max(...usable.map((k) => k.expiresAt as number));
}

/**
 * A warned key is renewed when it is now usable further out than when it
 * was warned about (a later expiry, or none), or when the tenant has another
 * usable key that outlives it. Pure.
 */
export function renewed(
  warned: { keyId: string; expiresAt: number },
  snap: KeySnapshot,
  now: number,
): boolean {
  const same = snap.keys.find((k) => k.id === warned.keyId);
  if (
    same &&
    keyUsable(same, now) &&
    (same.expiresAt === null || same.expiresAt > warned.expiresAt)
  )
    return true;
  return snap.keys.some(
    (k) =>
      k.id !== warned.keyId &&
      keyUsable(k, now) &&
      (k.expiresAt === null || k.expiresAt > warned.expiresAt),
  );
}

/**
 * Whether a tenant's provisioning runs out within `withinMs`: it has keys and
 * none is usable, or the last usable one expires by then (App Home, doctor). Pure.
 */
export function keysRunOutSoon(snap: KeySnapshot, now: number, withinMs: number): boolean {
  const until = lastUsableExpiry(snap, now);
  return snap.keys.length > 0 && (until === "none" || (until !== null && until - now <= withinMs));
}
