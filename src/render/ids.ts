/**
 * Every ID that Slack sends back to scimwatch, in one place: action IDs of
 * buttons and menus, block IDs, view callback IDs, and the codecs of the
 * values they carry. Renderers draw with them; listeners register and read
 * with them; a value is decoded with zod, never trusted. Pure.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { ACTION_KINDS, type ActionKind } from "../core/actions/model.js";

/** Buttons on a check's answer and on /scim unlink's prompt. */
export const ACTIONS = {
  recheck: "scim_recheck",
  howto: "scim_howto",
  share: "scim_share",
  unlink: "scim_unlink",
} as const;

/** Buttons and menus on checklists and alerts. */
export const HIRE_ACTIONS = {
  markAllAssigned: "hire_mark_all_assigned",
  markAssigned: "hire_mark_assigned",
  recheck: "hire_recheck",
  snooze: "hire_snooze",
  dismiss: "hire_dismiss",
  forget: "hire_forget",
} as const;

/** Buttons on a tenant's provisioning alert. */
export const TENANT_ACTIONS = {
  snoozeHour: "tenant_snooze_1h",
  snoozeDay: "tenant_snooze_1d",
  dismiss: "tenant_dismiss",
} as const;

/** A tenant alert's buttons carry the tenant and the episode they were drawn for. */
export function encodeTenantAlert(tenantId: string, episode: string): string {
  return JSON.stringify({ t: tenantId, e: episode }).slice(0, 2000);
}

const tenantAlertSchema = z.object({ t: z.string().min(1), e: z.string().min(1) });

export function decodeTenantAlert(raw: string): { tenantId: string; episode: string } | null {
  try {
    const parsed = tenantAlertSchema.safeParse(JSON.parse(raw));
    return parsed.success ? { tenantId: parsed.data.t, episode: parsed.data.e } : null;
  } catch {
    return null;
  }
}

/** Fix-it actions: ask from an answer; approve or decline on the request. */
export const FIX_ACTIONS = {
  request: "scim_fix_request",
  approve: "scim_fix_approve",
  decline: "scim_fix_decline",
} as const;

const fixRequestSchema = z.object({
  k: z.enum(ACTION_KINDS),
  t: z.string().min(1),
  l: z.string().min(1).max(320),
});

/** What a "fix it" button asks for: the action, the tenant, the person. */
export function encodeFixRequest(kind: ActionKind, tenantId: string, loginId: string): string {
  return JSON.stringify({ k: kind, t: tenantId, l: loginId });
}

export function decodeFixRequest(
  raw: string,
): { kind: ActionKind; tenantId: string; loginId: string } | null {
  try {
    const p = fixRequestSchema.safeParse(JSON.parse(raw));
    return p.success ? { kind: p.data.k, tenantId: p.data.t, loginId: p.data.l } : null;
  } catch {
    return null;
  }
}

/** The button on a SCIM key alert: send the customer's IT admin an SSO Setup Suite link. */
export const KEY_ACTIONS = { setupLink: "scim_key_setup_link" } as const;

const setupLinkSchema = z.object({ t: z.string().min(1), s: z.string().nullable() });

/** The tenant (and SSO configuration) a setup link is for, in a button's value or a form's metadata. */
export function encodeSetupLink(tenantId: string, ssoId: string | null): string {
  return JSON.stringify({ t: tenantId, s: ssoId });
}

export function decodeSetupLink(
  raw: string | undefined,
): { tenantId: string; ssoId: string | null } | null {
  try {
    const p = setupLinkSchema.safeParse(JSON.parse(raw ?? ""));
    return p.success ? { tenantId: p.data.t, ssoId: p.data.s } : null;
  } catch {
    return null;
  }
}

/** Buttons on the App Home. */
export const HOME_ACTIONS = {
  recheck: "home_hire_recheck",
  forget: "home_hire_forget",
  check: "home_check_user",
  expect: "home_expect_hires",
  help: "home_help",
} as const;

/** View callback IDs, and the expect form's block and element IDs. */
export const VIEWS = {
  expect: "scim_expect_modal",
  expectResult: "scim_expect_result",
  connectOkta: "scim_connect_okta",
  connectResult: "scim_connect_result",
  check: "scim_check_modal",
  setupLink: "scim_setup_link_modal",
  oktaWrite: "scim_okta_write_modal",
} as const;
export const OKTA_BLOCKS = {
  url: "okta_url",
  app: "okta_app",
  token: "okta_token",
  clientId: "okta_client_id",
  privateKey: "okta_private_key",
} as const;

const connectMetaSchema = z.object({
  tenantId: z.string().min(1),
  tenantName: z.string(),
  channelId: z.string(),
});
type ConnectMeta = z.infer<typeof connectMetaSchema>;

/** The Okta form remembers which tenant it connects, and where it was opened. */
export function encodeConnectMeta(m: ConnectMeta): string {
  return JSON.stringify(m);
}

export function decodeConnectMeta(raw: string | undefined): ConnectMeta | null {
  try {
    const p = connectMetaSchema.safeParse(JSON.parse(raw || "{}"));
    return p.success ? p.data : null;
  } catch {
    return null;
  }
}
export const EXPECT_BLOCKS = {
  emails: "emails",
  tenant: "tenant",
  idp: "idp",
  at: "at",
  start: "start",
} as const;
/** Every input of the expect form uses this action ID inside its block. */
export const INPUT_ACTION = "value";

/** What a check answer's buttons carry (answer ID, login ID, tenant, IdP), in short keys: a value is at most 2,000 chars. */
const checkButtonValueSchema = z.object({
  a: z.string(),
  l: z.string().min(1).max(320),
  t: z.string().nullable(),
  i: z.string(),
});
type CheckButtonValue = z.infer<typeof checkButtonValueSchema>;

export function encodeCheckButton(v: CheckButtonValue): string {
  return JSON.stringify(v);
}

export function decodeCheckButton(raw: string): CheckButtonValue | null {
  try {
    const parsed = checkButtonValueSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The checklist's actions block names its batch, so type-ahead knows whose hires to offer. */
export function checklistBlockId(batchId: string): string {
  return `hire_checklist|${batchId}`.slice(0, 255);
}

export function batchOfBlockId(blockId: string): string | null {
  return blockId.startsWith("hire_checklist|") ? blockId.slice("hire_checklist|".length) : null;
}

/** A login ID in a few characters: option values are capped at 150, login IDs are not. */
const loginDigest = (loginId: string) =>
  createHash("sha256").update(loginId.toLowerCase()).digest("base64url").slice(0, 16);

/** "Mark assigned" menu options: the batch and a digest of the login ID (any length fits). */
export function encodeMarkAssigned(batchId: string, loginId: string): string {
  return `${batchId}|#${loginDigest(loginId)}`;
}

export function decodeMarkAssigned(raw: string): {
  batchId: string;
  matches: (loginId: string) => boolean;
} {
  const [batchId = "", ...rest] = raw.split("|");
  const v = rest.join("|");
  return {
    batchId,
    // Options drawn before the digest named the login ID itself.
    matches: (l) =>
      v.startsWith("#") ? loginDigest(l) === v.slice(1) : l.toLowerCase() === v.toLowerCase(),
  };
}

const expectMetaSchema = z.object({ channelId: z.string() });

/** The expect form remembers the channel it was opened from. */
export function encodeExpectMeta(channelId: string): string {
  return JSON.stringify({ channelId });
}

export function decodeExpectMeta(raw: string | undefined): { channelId: string } | null {
  try {
    const parsed = expectMetaSchema.safeParse(JSON.parse(raw || "{}"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
