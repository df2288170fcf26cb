/** An expected hire, as stored in Redis (validated with zod on every read). */
import * as z from "zod";
import { IDP_IDS } from "../idp/catalog.js";

const itemSchema = z.object({
  /** Epoch ms when the item was ticked, or null. */
  at: z.number().nullable(),
  /** How it was ticked: by a person (IT's button), seen in Descope, or proven by an IdP connector. */
  by: z.enum(["it", "descope", "idp"]).nullable().default(null),
});

export const hireSchema = z.object({
  loginId: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  idp: z.enum(IDP_IDS),
  idpReason: z.string(),
  assignedAt: z.number(),
  registeredAt: z.number(),
  registeredBy: z.string(),
  /** Where the checklist lives. */
  channelId: z.string(),
  batchId: z.string(),
  items: z.object({
    assigned: itemSchema,
    provisioned: itemSchema,
    roles: itemSchema,
    signedIn: itemSchema,
  }),
  /** Set when the IdP's push failed (SCIM error), the latest message. */
  scimError: z.string().nullable().default(null),
  deprovisioned: z.boolean().default(false),
  /** In Descope but not by SCIM (created by hand or by a JIT sign-in). */
  notScimManaged: z.boolean().default(false),
  alert: z
    .object({
      channel: z.string(),
      ts: z.string(),
      at: z.number(),
      resolvedAt: z.number().nullable().default(null),
    })
    .nullable()
    .default(null),
  snoozedUntil: z.number().nullable().default(null),
  dismissed: z.boolean().default(false),
  /** What the IdP connector last proved about them (core/idp-side.ts cause), and when. */
  idpCause: z.string().nullable().default(null),
  idpCheckedAt: z.number().nullable().default(null),
  /** The IdP console pages for them, as the connector last gave (core/links.ts). */
  idpLinks: z.array(z.object({ label: z.string(), url: z.string() })).default([]),
  /** When the IdP's job runs next, as the connector last told (Entra's job state), or null. */
  idpNextCycle: z
    .object({ kind: z.enum(["at", "initial", "running"]), at: z.number().nullable() })
    .nullable()
    .default(null),
  /** When they start (epoch ms), and their display name, when HR or IT gave them. */
  startDate: z.number().nullable().default(null),
  displayName: z.string().nullable().default(null),
  /**
   * The login ID Descope has them under, when it is not the one registered
   * (found by e-mail or by the IdP's SCIM rows: identity resolution).
   */
  descopeLoginId: z.string().nullable().default(null),
  /** When scimwatch stopped watching them, never complete, past their horizon (epoch ms). */
  closedAt: z.number().nullable().default(null),
});
export type Hire = z.infer<typeof hireSchema>;

export const batchSchema = z.object({
  id: z.string(),
  channelId: z.string(),
  ts: z.string().nullable(),
  hireIds: z.array(z.string()),
  /** Fingerprint of the last rendering, so chat.update runs only on change. */
  rendered: z.string().default(""),
});
export type Batch = z.infer<typeof batchSchema>;

/** A hire's ID: tenant and lower-cased login ID (no ':' so it is safe in keys and job IDs). */
export function hireId(tenantId: string, loginId: string): string {
  return `${Buffer.from(tenantId).toString("base64url")}.${Buffer.from(loginId.toLowerCase()).toString("base64url")}`;
}

export function newHire(o: {
  loginId: string;
  tenantId: string;
  tenantName: string;
  idp: Hire["idp"];
  idpReason: string;
  assignedAt: number;
  registeredAt: number;
  registeredBy: string;
  channelId: string;
  batchId: string;
  startDate?: number | null | undefined;
  displayName?: string | null | undefined;
}): Hire {
  const empty = { at: null, by: null };
  return hireSchema.parse({
    ...o,
    items: { assigned: empty, provisioned: empty, roles: empty, signedIn: empty },
  });
}

/** An alert sent recently, for the App Home. */
export const recentAlertSchema = z.object({
  at: z.number(),
  tenantId: z.string(),
  text: z.string(),
  /** Who registered the hire it is about (null: about a tenant or a sign-in, admins only). */
  registeredBy: z.string().nullable().default(null),
});
export type RecentAlert = z.infer<typeof recentAlertSchema>;
