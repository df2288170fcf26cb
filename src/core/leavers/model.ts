/** A leaver, as stored in Redis (validated with zod on every read), and how a last day is read. Pure. */
import * as z from "zod";
import { IDP_IDS } from "../idp/catalog.js";

const itemSchema = z.object({
  /** When it was ticked (epoch ms), or null. */
  at: z.number().nullable(),
});

export const leaverSchema = z.object({
  loginId: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  idp: z.enum(IDP_IDS),
  name: z.string().nullable().default(null),
  /** When access should end: the end of their last day (UTC) or the time given (epoch ms). */
  lastDay: z.number(),
  registeredAt: z.number(),
  registeredBy: z.string(),
  source: z.enum(["slack", "webhook", "file", "idp"]),
  /** Where the offboarding checklist lives ("" when no channel was found). */
  channelId: z.string(),
  ts: z.string().nullable().default(null),
  items: z.object({
    /** Out of the app's scope (or disabled) in the IdP: needs a connector. */
    idpRemoved: itemSchema,
    /** Disabled or deleted in Descope. */
    descopeDisabled: itemSchema,
    /** No successful sign-in after the last day (ticked once the last day is over). */
    noSignin: itemSchema,
  }),
  /** As last evaluated (core/leavers/state.ts). */
  status: z.enum(["waiting", "still_enabled", "gone", "unknown"]).default("unknown"),
  /** What the IdP did, as last read (a sentence), and a sign-in seen after the last day. */
  idpDid: z.string().nullable().default(null),
  signedInAfter: z.number().nullable().default(null),
  /** The "still enabled" alert, once sent; and when it was resolved. */
  alert: z
    .object({
      channel: z.string(),
      ts: z.string(),
      at: z.number(),
      resolvedAt: z.number().nullable(),
    })
    .nullable()
    .default(null),
  /** Fingerprint of the checklist last drawn (edited only on change). */
  rendered: z.string().default(""),
  /** When it was last evaluated (the evaluation reads each leaver at most every few minutes). */
  checkedAt: z.number().nullable().default(null),
  closedAt: z.number().nullable().default(null),
});
export type Leaver = z.infer<typeof leaverSchema>;

/** A leaver's ID: tenant and lower-cased login ID, safe in keys. */
export function leaverId(tenantId: string, loginId: string): string {
  return `${Buffer.from(tenantId).toString("base64url")}.${Buffer.from(loginId.toLowerCase()).toString("base64url")}`;
}

export function newLeaver(o: {
  loginId: string;
  tenantId: string;
  tenantName: string;
  idp: Leaver["idp"];
  name?: string | null;
  lastDay: number;
  registeredAt: number;
  registeredBy: string;
  source: Leaver["source"];
  channelId: string;
}): Leaver {
  const empty = { at: null };
  return leaverSchema.parse({
    ...o,
    items: { idpRemoved: empty, descopeDisabled: empty, noSignin: empty },
  });
}

/**
 * A last day: a date (their access ends after it, 23:59:59 UTC) or an ISO
 * time with a zone ("Z" or an offset). Null when it is neither.
 */
export function parseLastDay(s: string): number | null {
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const ms = Date.parse(`${t}T23:59:59.999Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(t) ? ms : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(t))
    return null;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
}

/** Why a last day is refused, for usage messages. */
export const LAST_DAY_HELP =
  "a date (2026-12-18: access ends after that day, UTC) or an ISO time with a zone (2026-12-18T17:00:00+01:00)";
