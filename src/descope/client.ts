/**
 * Descope's management API by resource: the audit search, users, tenants,
 * tenant and SSO settings, groups. Every request goes through http.ts (one
 * transport: auth, license, timeouts, retries, budgets, validation).
 */

import * as z from "zod";
import {
  type DescopeClientOptions,
  DescopeHttp,
  isNotFound,
  type ManagementPriority,
} from "./http.js";
import {
  type AuditRecord,
  adminLinkResponseSchema,
  auditSearchResponseSchema,
  type DescopeGroup,
  type DescopeTenant,
  type DescopeUser,
  groupSchema,
  type SsoSettings,
  scimKeysResponseSchema,
  ssoSettingsAllResponseSchema,
  ssoSettingsSchema,
  type TenantScimKey,
  tenantListResponseSchema,
  tenantSchema,
  tenantScimKeySchema,
  tenantSettingsSchema,
  userResponseSchema,
  userSearchResponseSchema,
} from "./schemas.js";
import { scimConfiguration } from "./sso-choice.js";

export type { DescopeClientOptions, ManagementPriority, SharedCache } from "./http.js";
export { descopeBaseUrl } from "./http.js";

export const SCIM_AUDIT_ACTIONS = [
  "SCIMEvent",
  "LoginFailed",
  "LoginSucceed",
  "UserCreated",
  "UserModified",
  "UserDeleted",
] as const;

/** Descope keeps 30 days of audit events searchable. */
export const AUDIT_HORIZON_MS = 30 * 24 * 60 * 60 * 1000;
export const AUDIT_PAGE_SIZE = 1000;

interface AuditSearchParams {
  from?: number;
  to?: number;
  actions?: readonly string[];
  /** Login-ID filter (the wire name is `externalIds`). */
  loginIds?: readonly string[];
  /** Free text: matches wherever it appears in a row (externalIds, data, …). */
  text?: string;
  userIds?: readonly string[];
  tenants?: readonly string[];
  size?: number;
  page?: number;
  oldestFirst?: boolean;
}

/** How long every replica reuses a read of rarely changing settings (the shared cache). */
const SHARED_TENANTS_MS = 60_000;
const SHARED_SETTINGS_MS = 10 * 60_000;

export class DescopeClient {
  readonly baseUrl: string;
  private readonly http: DescopeHttp;
  /** Before every attempt of a management call other than the audit search: its budget. */
  private readonly gate: () => Promise<void> | undefined;

  /** The project (named beside console links: console URLs carry no project ID). */
  get projectId(): string {
    return this.opts.projectId;
  }

  constructor(
    private readonly opts: DescopeClientOptions,
    readonly priority: ManagementPriority = "interactive",
    http?: DescopeHttp,
  ) {
    this.http = http ?? new DescopeHttp(opts);
    this.baseUrl = this.http.baseUrl;
    this.gate = () => this.opts.beforeManagementCall?.(this.priority);
  }

  /**
   * The same client for work nobody waits on (the evaluation of open hires):
   * its management calls leave a reserve of the budget to checks and
   * registrations, and give up quickly instead of queueing behind them.
   */
  background(): DescopeClient {
    return new DescopeClient(this.opts, "background", this.http);
  }

  /** One audit search request (one page). Costs one unit of the 10-per-minute audit budget. */
  async searchAudit(
    params: AuditSearchParams,
    opts: { budgetWaitMs?: number; priority?: "tail" | "check" } = {},
  ): Promise<{ audits: AuditRecord[]; total: number | null }> {
    const body: Record<string, unknown> = {};
    if (params.from !== undefined) body.from = Math.trunc(params.from);
    if (params.to !== undefined) body.to = Math.trunc(params.to);
    if (params.actions?.length) body.actions = params.actions;
    if (params.loginIds?.length) body.externalIds = params.loginIds;
    if (params.userIds?.length) body.userIds = params.userIds;
    if (params.tenants?.length) body.tenants = params.tenants;
    if (params.text) body.text = params.text;
    body.size = params.size ?? AUDIT_PAGE_SIZE;
    body.page = params.page ?? 0;
    if (params.oldestFirst) body.oldestFirst = true;
    const ans = await this.http.call(
      "Descope audit search",
      "POST",
      "/v1/mgmt/audit/search",
      body,
      () => this.opts.beforeAuditSearch?.(opts.budgetWaitMs, opts.priority ?? "tail"),
    );
    const parsed = this.http.parse("Descope audit search", ans, auditSearchResponseSchema);
    // `total` is not always sent: null then, and callers page until a short page.
    return { audits: parsed.audits, total: parsed.total ?? null };
  }

  /** Loads a user by login ID; null when Descope says there is no such user. */
  loadUser(loginId: string): Promise<DescopeUser | null> {
    return this.loadUserBy("loginId", loginId);
  }

  /** Loads a user by Descope user ID; null when there is no such user. */
  loadUserById(userId: string): Promise<DescopeUser | null> {
    return this.loadUserBy("userId", userId);
  }

  private async loadUserBy(by: "loginId" | "userId", value: string) {
    const op = "Descope user load";
    const path = `/v1/mgmt/user?${by}=${encodeURIComponent(value)}`;
    const ans = await this.http.call(op, "GET", path, undefined, this.gate);
    if (isNotFound(ans, "E112102")) return null;
    return this.http.parse(op, ans, userResponseSchema).user;
  }

  /** User search (POST /v2/mgmt/user/search): by login IDs, e-mails and/or tenant, optionally SCIM-managed only. */
  async searchUsers(params: {
    loginIds?: string[];
    emails?: string[];
    tenantIds?: string[];
    scimOnly?: boolean;
    limit?: number;
    page?: number;
  }): Promise<{ users: DescopeUser[]; total: number }> {
    const op = "Descope user search";
    const body: Record<string, unknown> = { limit: params.limit ?? 100, page: params.page ?? 0 };
    if (params.loginIds?.length) body.loginIds = params.loginIds;
    if (params.emails?.length) body.emails = params.emails;
    if (params.tenantIds?.length) body.tenantIds = params.tenantIds;
    if (params.scimOnly) body.scimOnly = true;
    const ans = await this.http.call(op, "POST", "/v2/mgmt/user/search", body, this.gate);
    const parsed = this.http.parse(op, ans, userSearchResponseSchema);
    return { users: parsed.users, total: parsed.total ?? parsed.users.length };
  }

  listTenants(): Promise<DescopeTenant[]> {
    return this.http.cached(
      "tenants",
      async () => {
        const op = "Descope tenant list";
        const ans = await this.http.call(op, "GET", "/v1/mgmt/tenant/all", undefined, this.gate);
        return this.http.parse(op, ans, tenantListResponseSchema).tenants;
      },
      { ttlMs: SHARED_TENANTS_MS, schema: tenantSchema.array() },
    );
  }

  async loadTenant(tenantId: string): Promise<DescopeTenant | null> {
    const op = "Descope tenant load";
    const ans = await this.http.call(
      op,
      "GET",
      `/v1/mgmt/tenant?id=${encodeURIComponent(tenantId)}`,
      undefined,
      this.gate,
    );
    if (isNotFound(ans)) return null;
    this.http.ensureOk(op, ans);
    const json = ans.json as Record<string, unknown> | null;
    const inner = json && typeof json === "object" && "tenant" in json ? json.tenant : json;
    return this.http.parse(op, { status: ans.status, json: inner }, tenantSchema);
  }

  /** JIT disabled for the tenant? null when the settings could not be found. */
  loadJitDisabled(tenantId: string): Promise<boolean | null> {
    return this.http.cached(`settings:${tenantId}`, () => this.loadJitDisabledNow(tenantId), {
      ttlMs: SHARED_SETTINGS_MS,
      schema: z.boolean().nullable(),
    });
  }

  private async loadJitDisabledNow(tenantId: string): Promise<boolean | null> {
    const op = "Descope tenant settings";
    const ans = await this.http.call(
      op,
      "GET",
      `/v1/mgmt/tenant/settings?id=${encodeURIComponent(tenantId)}`,
      undefined,
      this.gate,
    );
    if (isNotFound(ans)) return null;
    return this.http.parse(op, ans, tenantSettingsSchema).JITDisabled ?? false;
  }

  /**
   * The tenant's SSO configuration that SCIM uses, null when none is
   * configured: the only one, else the one its SCIM key names (see
   * sso-choice.ts; `chosenBecause` says why).
   */
  async loadSsoSettings(tenantId: string): Promise<SsoSettings | null> {
    const all = await this.loadSsoConfigurations(tenantId);
    if (all.length <= 1) return all[0] ?? null;
    const keys = await this.loadScimKeys(tenantId).catch(() => null);
    return scimConfiguration(all, keys);
  }

  /** Every SSO configuration of the tenant (`/v2/mgmt/sso/settings/all`), shared for 10 minutes. */
  loadSsoConfigurations(tenantId: string): Promise<SsoSettings[]> {
    return this.http.cached(`sso-all:${tenantId}`, () => this.loadSsoConfigurationsNow(tenantId), {
      ttlMs: SHARED_SETTINGS_MS,
      schema: ssoSettingsSchema.array(),
    });
  }

  private async loadSsoConfigurationsNow(tenantId: string): Promise<SsoSettings[]> {
    const op = "Descope SSO settings";
    const q = `tenantId=${encodeURIComponent(tenantId)}`;
    const ans = await this.http.call(
      op,
      "GET",
      `/v2/mgmt/sso/settings/all?${q}`,
      undefined,
      this.gate,
    );
    if (!isNotFound(ans)) return this.http.parse(op, ans, ssoSettingsAllResponseSchema).SSOSettings;
    // A Descope without the list answers for the default configuration only.
    const one = await this.http.call(op, "GET", `/v2/mgmt/sso/settings?${q}`, undefined, this.gate);
    return isNotFound(one) ? [] : [this.http.parse(op, one, ssoSettingsSchema)];
  }

  /** The tenant's SCIM access keys, across every SSO configuration (metadata only). */
  loadScimKeys(tenantId: string): Promise<TenantScimKey[]> {
    return this.http.cached(`scim-keys:${tenantId}`, () => this.loadScimKeysNow(tenantId), {
      ttlMs: SHARED_SETTINGS_MS,
      schema: tenantScimKeySchema.array(),
    });
  }

  /**
   * An SSO Setup Suite link for the tenant's IT admin (includes SCIM setup):
   * `POST /v2/mgmt/tenant/adminlinks/sso/generate`, `expireTime` a duration in
   * seconds (as Descope's node and go SDKs pass it); with `email`, Descope
   * e-mails the link itself.
   */
  async generateSsoSetupLink(
    tenantId: string,
    o: { expireSec: number; email?: string | undefined; ssoId?: string | undefined },
  ): Promise<string> {
    const op = "Descope SSO setup link";
    const ans = await this.http.call(
      op,
      "POST",
      "/v2/mgmt/tenant/adminlinks/sso/generate",
      {
        tenantId,
        expireTime: o.expireSec,
        ...(o.email ? { email: o.email } : {}),
        ...(o.ssoId ? { ssoId: o.ssoId } : {}),
      },
      this.gate,
    );
    return this.http.parse(op, ans, adminLinkResponseSchema).adminSSOConfigurationLink;
  }

  /** The tenant's SCIM keys as Descope has them now (the key watch: never a cached copy). */
  async loadScimKeysNow(tenantId: string): Promise<TenantScimKey[]> {
    const op = "Descope SCIM key list";
    const path = `/v1/mgmt/scim/key?tenantId=${encodeURIComponent(tenantId)}`;
    const ans = await this.http.call(op, "GET", path, undefined, this.gate);
    return this.http.parse(op, ans, scimKeysResponseSchema).keys;
  }

  /** The tenant's groups with their members (SCIM-pushed and JIT). */
  async listGroups(tenantId: string): Promise<DescopeGroup[]> {
    const op = "Descope group list";
    const ans = await this.http.call(op, "POST", "/v1/mgmt/group/all", { tenantId }, this.gate);
    if (isNotFound(ans)) return [];
    this.http.ensureOk(op, ans);
    const json = ans.json as unknown;
    const list = Array.isArray(json) ? json : ((json as { groups?: unknown } | null)?.groups ?? []);
    return this.http.parse(op, { status: ans.status, json: list }, groupSchema.array());
  }

  /** One management call through the one transport (auth, budget, retries), its answer checked with `schema`. */
  async managementCall<T>(
    op: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    return this.http.parse(op, await this.http.call(op, "POST", path, body, this.gate), schema);
  }

  /** The project's rate-limit tier from the license handshake (done once), or null. */
  rateLimitTier(): Promise<string | null> {
    return this.http.rateLimitTier();
  }
}
