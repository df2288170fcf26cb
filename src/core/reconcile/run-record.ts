/**
 * A reconciliation's run record, as stored and shown: where the reads got
 * to (Descope's page, the IdP's cursor), the Slack message to update, the
 * counts once done. The stored shape: its type comes from the schema.
 */
import * as z from "zod";
import { CATEGORIES } from "./model.js";

const stepSchema = z.union([
  z.object({ list: z.literal("assigned") }),
  z.object({ list: z.literal("users"), ids: z.array(z.string()) }),
  z.object({ list: z.literal("all_users"), enrichOnly: z.boolean() }),
  z.object({
    list: z.literal("members"),
    groupId: z.string(),
    groupName: z.string(),
    top: z.string(),
    nested: z.boolean(),
  }),
]);

const countsSchema = z.object(
  Object.fromEntries(CATEGORIES.map((c) => [c, z.number().default(0)])) as Record<
    (typeof CATEGORIES)[number],
    z.ZodDefault<z.ZodNumber>
  >,
);

export const runSchema = z.object({
  runId: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  idp: z.enum(["azure", "okta"]).nullable(),
  appName: z.string().default(""),
  syncAll: z.boolean().default(false),
  phase: z.enum(["descope", "idp", "classify", "done", "failed"]),
  descopePage: z.number().default(0),
  descopeLimit: z.number().default(500),
  descopeRead: z.number().default(0),
  descopeTotal: z.number().nullable().default(null),
  entra: z
    .object({
      queue: z.array(stepSchema),
      next: z.string().nullable(),
      seen: z.array(z.string()),
      direct: z.array(z.string()),
    })
    .nullable()
    .default(null),
  oktaNext: z.string().nullable().default(null),
  idpRead: z.number().default(0),
  /** What the IdP side is reading now ("Reading Entra assignments"). */
  label: z.string().default(""),
  /** The previous run's IdP count: "of about N". */
  idpAbout: z.number().nullable().default(null),
  trigger: z.enum(["command", "weekly", "cli"]).default("command"),
  requestedBy: z.string().nullable().default(null),
  channel: z.string().nullable().default(null),
  ts: z.string().nullable().default(null),
  startedAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable().default(null),
  counts: countsSchema.nullable().default(null),
  error: z.string().nullable().default(null),
  /** Why the IdP side was not read although the tenant is connected (the answer says it). */
  idpUnread: z.string().nullable().default(null),
  /** How many times a run was taken up again after a stop. */
  resumed: z.number().default(0),
});
export type ReconcileRun = z.infer<typeof runSchema>;
