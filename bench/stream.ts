/**
 * Issue 25, measured: (1) from the moment Descope's audit stream pushes the
 * event that provisions an expected hire to the checklist's edit in Slack,
 * over 200 pushes (the anchor: the poll tail, which reads at its interval,
 * 60 s by default); (2) the SCIM key watch over 1,000 tenants: management
 * calls against tenants + tenant pages, and audit searches (none).
 */
import { ENTRA_SAML, scimEvent, user } from "../test/fakes/builders.js";
import { type Harness, startHarness, textsOf } from "../test/helpers.js";
import { pct } from "./scale.js";

const TOKEN = "bench-audit-hook-token-0123456789";

export async function pushToSlack(
  n = 200,
): Promise<{ pushes: number; ticked: number; p50: number; p99: number }> {
  const h: Harness = await startHarness(
    { SCIMWATCH_AUDIT_HOOK_TOKEN: TOKEN, DESCOPE_MGMT_RATE_PER_MIN: "60000" },
    (d) => {
      d.tenants.push({ id: "T-acme", name: "Acme Corp" });
      d.settings["T-acme"] = { JITDisabled: true };
      d.sso["T-acme"] = { saml: ENTRA_SAML };
    },
  );
  try {
    const emails = Array.from({ length: n }, (_, i) => `hire${i}@acme.com`);
    for (let b = 0; b < n; b += 50) {
      const r = await h.command(`expect ${emails.slice(b, b + 50).join(" ")} Acme Corp at=-20m`, {
        user: "UADMIN",
      });
      await h.slack.waitFor(() => h.slack.respondedTo(r.rid)[0], 30_000);
    }
    await h.runtime.tailOnce();
    // When each hire's line first shows them provisioned.
    const tickedAt = new Map<string, number>();
    h.slack.listeners.push((e) => {
      if (e.kind !== "api" || e.call.method !== "chat.update") return;
      const text = textsOf(e.call.args.blocks).join("\n");
      for (const m of text.matchAll(
        /\*(hire\d+@acme\.com)\*\n☑ Assigned in the IdP · ☑ Provisioned/g,
      ))
        if (!tickedAt.has(m[1] as string)) tickedAt.set(m[1] as string, e.call.at);
    });
    const pushedAt = new Map<string, number>();
    for (const email of emails) {
      h.descope.users.push(
        user({ loginId: email, tenantId: "T-acme", tenantName: "Acme Corp", roles: ["member"] }),
      );
      pushedAt.set(email, Date.now());
      const res = await fetch(`${h.url}/hooks/descope-audit`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify([
          scimEvent({ at: Date.now() - 500, loginId: email, tenant: "T-acme" }),
        ]),
      });
      if (res.status !== 200) throw new Error(`push answered ${res.status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const until = Date.now() + 60_000;
    while (tickedAt.size < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const lat = emails
      .filter((e) => tickedAt.has(e))
      .map((e) => (tickedAt.get(e) as number) - (pushedAt.get(e) as number));
    return { pushes: n, ticked: lat.length, p50: pct(lat, 50), p99: pct(lat, 99) };
  } finally {
    await h.stop();
  }
}

export async function keyWatchAtScale(tenants = 1000): Promise<{
  tenants: number;
  managementCalls: number;
  auditSearches: number;
  warnings: number;
  ms: number;
}> {
  const now = Date.now();
  const h = await startHarness(
    { DESCOPE_MGMT_RATE_PER_MIN: "60000", SCIMWATCH_ALERT_CHANNEL: "CALERTS" },
    (d) => {
      for (let i = 0; i < tenants; i++) {
        d.tenants.push({ id: `T${i}`, name: `Tenant ${i}` });
        d.sso[`T${i}`] = { saml: ENTRA_SAML };
        // One in ten expires within the first threshold.
        d.scimKeys[`T${i}`] = [
          {
            key: {
              id: `K${i}`,
              name: `scim-${i}`,
              status: "active",
              expireTime: Math.floor((now + (i % 10 === 0 ? 5 : 200) * 86_400_000) / 1000),
            },
          },
        ];
      }
    },
  );
  try {
    const before = h.descope.calls.length;
    const audits = h.descope.count("audit");
    const t = performance.now();
    const r = await h.runtime.keyWatchOnce();
    const ms = performance.now() - t;
    return {
      tenants,
      managementCalls: h.descope.calls.slice(before).filter((c) => c.route !== "audit").length,
      auditSearches: h.descope.count("audit") - audits,
      warnings: r?.sent ?? 0,
      ms,
    };
  } finally {
    await h.stop();
  }
}
