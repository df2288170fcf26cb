/** Runs one check end to end: gather facts, narrow them to what the asker may see, diagnose. */
import type { Access } from "../../core/access.js";
import { scopeFacts } from "../../core/access.js";
import { type Diagnosis, diagnose, UNPROVEN_WHY } from "../../core/diagnosis/diagnose.js";
import type { IdpSide } from "../../core/idp-side/model.js";
import type { DescopeClient } from "../../descope/client.js";
import { type CheckRequest, type EventsSource, gatherFacts, liveEvents } from "./gather.js";

interface CheckServiceDeps {
  descope: DescopeClient;
  /** Where audit events come from (default: one live search per check). */
  events?: EventsSource;
  now?: () => number;
  /**
   * When the person was registered as an expected hire (`/scim expect`), their
   * assignment time: a check then knows whether the IdP's window has passed.
   */
  expectedAssignment?: (tenantId: string, loginId: string) => Promise<number | null>;
  /** SCIMWATCH_GRACE_MINUTES: the same window the checklist and the alerts use. */
  graceMinutes?: number;
  /** The IdP's side, when the tenant has a read-only connector (features/idp-side.ts). */
  idpSide?: (
    tenantId: string,
    loginId: string,
  ) => Promise<{ side: IdpSide | null; note?: string } | null>;
}

export class CheckService {
  private readonly events: EventsSource;
  private readonly now: () => number;

  constructor(private readonly deps: CheckServiceDeps) {
    this.events = deps.events ?? liveEvents(deps.descope);
    this.now = deps.now ?? Date.now;
  }

  /** With a tenant-scoped access, the check is pinned to that tenant and sees nothing else. */
  async check(
    req: CheckRequest,
    access: Access = { kind: "any", why: "admin" },
  ): Promise<Diagnosis> {
    const scoped = access.kind === "tenant";
    const request = scoped ? { ...req, tenant: access.tenantId } : req;
    const now = this.now();
    const facts = await gatherFacts(this.deps.descope, request, now, this.events);
    facts.graceMinutes = this.deps.graceMinutes;
    if (facts.assignedAt === null && facts.tenant && this.deps.expectedAssignment) {
      facts.assignedAt = await this.deps.expectedAssignment(facts.tenant.id, req.loginId);
    }
    const d = diagnose(scoped ? scopeFacts(facts, access.tenantId) : facts, this.now());
    return d.tenantId && this.deps.idpSide
      ? withIdpSide(d, await this.deps.idpSide(d.tenantId, req.loginId))
      : d;
  }
}

/** Adds the IdP's side: its cause and evidence, its fix first, and what it could not read. */
export function withIdpSide(
  d: Diagnosis,
  a: { side: IdpSide | null; note?: string } | null,
): Diagnosis {
  if (!a) return d;
  const notes = [
    ...d.notes,
    ...(a.note ? [a.note] : []),
    ...(a.side?.unread ?? []).map((u) => `${a.side?.idp === "okta" ? "Okta" : "Entra ID"}: ${u}`),
  ];
  if (!a.side) return { ...d, notes };
  const s = a.side;
  return {
    ...d,
    cause: s.cause,
    idpSide: s,
    // When the IdP side decided, Descope's guess ("not assigned, or the cycle has not run
    // yet") gives way to what it proved; when it could not read, the guess stays.
    summary:
      d.verdict === "provisioned"
        ? d.summary
        : `${s.cause === "idp_unreadable" ? d.summary : d.summary.replace(UNPROVEN_WHY, "")} ${s.summary}`,
    // A user Descope has (under another identifier included) is decided on Descope's side:
    // the IdP's fix for an absent user does not come first.
    remediation:
      s.fix && d.verdict !== "provisioned" && d.verdict !== "identifier_mismatch"
        ? [s.fix, ...d.remediation.filter((r) => r !== s.fix)]
        : d.remediation,
    notes,
  };
}
