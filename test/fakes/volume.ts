/** Generates audit traffic in bulk: many users across many tenants. */
import { auditEvent, scimEvent } from "./builders.js";
import type { FakeDescope, WireAudit } from "./descope.js";

export function generateEvents(opts: {
  users: number;
  tenants: number;
  now: number;
  /** Spread events over this many ms before now. */
  spanMs: number;
  /** Events per user (SCIM create, updates, sign-ins). */
  perUser?: number;
}): WireAudit[] {
  const out: WireAudit[] = [];
  const per = opts.perUser ?? 3;
  for (let u = 0; u < opts.users; u++) {
    const tenant = `T${u % opts.tenants}`;
    const loginId = `user${u}@tenant${u % opts.tenants}.example`;
    for (let k = 0; k < per; k++) {
      const at = opts.now - Math.floor(((u * per + k) / (opts.users * per)) * opts.spanMs) - 1000;
      if (k === 0) out.push(scimEvent({ at, loginId, tenant, scimAction: "CreateUser" }));
      else if (k % 3 === 1) out.push(scimEvent({ at, loginId, tenant, scimAction: "PatchUser" }));
      else if (k % 3 === 2) out.push(auditEvent("LoginSucceed", { at, loginId, tenant }));
      else out.push(auditEvent("LoginFailed", { at, loginId, tenant, errorMessage: "bad" }));
    }
  }
  return out;
}

export function seedVolume(fake: FakeDescope, events: WireAudit[]): void {
  // In chunks: a spread of 100,000+ arguments overflows the stack.
  for (let i = 0; i < events.length; i += 10_000) fake.audits.push(...events.slice(i, i + 10_000));
  const tenants = new Set(events.flatMap((e) => e.tenants));
  for (const t of tenants)
    if (!fake.tenants.some((x) => x.id === t)) fake.tenants.push({ id: t, name: `Tenant ${t}` });
}
