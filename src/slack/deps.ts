/**
 * What the Slack listeners need, as one shape. services.ts builds it once;
 * each listener reads only its part.
 */
import type { EntraHttp } from "../connectors/entra-http.js";
import type { ExternalPolicy } from "../core/access.js";
import type { DescopeClient } from "../descope/client.js";
import type { ActionDeps } from "../features/actions/run.js";
import type { CheckService } from "../features/check/service.js";
import type { LeaverDeps } from "../features/leavers/evaluate.js";
import type { Outbox } from "../features/notify/outbox.js";
import type { ReconcileDeps } from "../features/reconcile/job.js";
import type { Logger } from "../log/logger.js";
import type { EgressPolicy } from "../net/egress.js";
import type { AnswerStore } from "../redis/answers.js";
import type { AuditIndex } from "../redis/audit-index.js";
import type { ConnectionStore } from "../redis/connections.js";
import type { HireStore } from "../redis/hire-store.js";
import type { LinkStore } from "../redis/links.js";
import type { OnceStore } from "../redis/once-store.js";
import type { ScimKeyStore } from "../redis/scim-key-store.js";
import type { SecretBox } from "../redis/secret-box.js";
import type { TailStateStore } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";
import type { WebhookSecretStore } from "../redis/webhook-secrets.js";

interface SlackSettings {
  supportChannels: ReadonlySet<string>;
  adminUsers: ReadonlySet<string>;
  graceMinutes: number;
  /** SCIMWATCH_ALERT_CHANNEL: where alerts go for tenants without their own. */
  alertChannel?: string | undefined;
  /** Hours before a start date at which a hire that cannot sign in is alerted. */
  startLeadHours?: number | undefined;
  /** Longest a check may take before the person is told to retry. */
  checkDeadlineMs?: number | undefined;
  /** Failed tail runs in a row before scimwatch says it is blind (App Home's banner). */
  blindAfterRuns?: number | undefined;
  /** SCIMWATCH_KEY_WARN_DAYS, largest first (App Home's key section). */
  keyWarnDays?: number[] | undefined;
  /** Slack Connect: what members of another organisation may do (default read). */
  externalMembers?: ExternalPolicy | undefined;
}

export interface SlackDeps {
  log: Logger;
  /** Each request's outcome and duration for /metrics (the middleware reports it). */
  metrics?: { observe(kind: string, outcome: string, ms: number): void };
  descope: DescopeClient;
  checks: CheckService;
  links: LinkStore;
  answers: AnswerStore;
  index: AuditIndex;
  tailState: TailStateStore;
  hires: HireStore;
  connections: ConnectionStore;
  /** Every tenant's SCIM keys as the key watch last read them. */
  scimKeys?: ScimKeyStore;
  /** The Entra connector, when ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are set. */
  entra: EntraHttp | null;
  /** Seals IdP tokens at rest (SCIMWATCH_SECRETS_KEY), or null when the key is not set. */
  secretBox: SecretBox | null;
  /** Per-tenant webhook secrets (/scim webhook <tenant>). */
  webhookKeys: WebhookSecretStore;
  /** Where IdP URLs typed in Slack may lead (net/egress.ts). */
  egress: EgressPolicy;
  tenantHealth: TenantHealthStore;
  outbox: Outbox;
  /** Exactly-once records (what the evaluation a button asks for needs). */
  once: OnceStore;
  now: () => number;
  settings: SlackSettings;
  /** Fix-it actions: requests, approvals, the write calls (absent: actions are off). */
  action?: ActionDeps;
  /** Leavers (/scim leaver, pending, App Home): their store and what decides them. */
  leaver?: LeaverDeps;
  /** Reconciliation (/scim reconcile): its store, connectors and queue. */
  reconcile?: ReconcileDeps;
  /** The workspace the bot is installed in (auth.test, once): who is external is decided against it. */
  homeTeam?: () => Promise<{ teamId: string; enterpriseId?: string | undefined } | null>;
}
