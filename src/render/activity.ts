/** Where the /scim activity answer is drawn. Pure. */
import type { ActivitySummary } from "../core/activity.js";
import { sparkline } from "../core/activity.js";
import { IDPS, type IdpId } from "../core/idp/catalog.js";
import { context, header, type SlackMessage, section } from "./blocks.js";
import { esc, iso, slackDate, untrusted } from "./mrkdwn.js";

export function statusLine(s: ActivitySummary, idpId: IdpId): string {
  const idp = IDPS[idpId];
  switch (s.status) {
    case "active":
      return `:large_green_circle: ${idp.name} is pushing: last push ${slackDate(iso(s.lastPush as number))}.`;
    case "failing":
      return `:red_circle: ${idp.name} keeps pushing but every recent call fails. ${idpId === "azure" ? "Entra ID puts a job whose calls mostly fail in quarantine (one try a day). " : ""}Most often the Descope access key in the IdP expired or was revoked: rotate it${idpId === "azure" ? ", then Restart provisioning" : ""}.`;
    case "stopped":
      return `:large_orange_circle: ${idp.name} pushed until ${slackDate(iso(s.lastPush as number))}, then stopped. Check the provisioning job in the IdP (${esc(idp.logs)})${idpId === "azure" ? ": quarantine after an expired Descope access key looks exactly like this" : ""}.`;
    case "mass_deactivation":
      return `:red_circle: ${idp.name} deactivated or deleted ${s.totals.deactivated} users in this period, many within an hour. Removing people from the group assigned to the app deprovisions them; removing them from a role-mapped group only changes their roles.`;
    case "silent":
      return `:black_circle: No SCIM push from ${idp.name} in this period. Is provisioning turned on for the app, and is its Descope access key valid?`;
  }
}

export function activityMessage(
  s: ActivitySummary,
  o: {
    tenantName: string;
    idp: IdpId;
    asOf: number | null;
    oneByOne?: string | null;
    /** When the tenant's SCIM key runs out (render/scim-keys.ts keyExpiryLine), when read. */
    keyLine?: string | null;
  },
): SlackMessage {
  const rows = s.days.map(
    (d) =>
      `${d.day.slice(5)}  +${String(d.created).padStart(3)} ~${String(d.updated).padStart(3)} −${String(d.deactivated).padStart(3)} ✖${String(d.errors).padStart(3)}`,
  );
  const spark = sparkline(s.days.map((d) => d.created + d.updated + d.deactivated + d.errors));
  const chart = `\`\`\`day    created updated deactivated errors\n${rows.join("\n")}\nactivity ${spark}\`\`\``;
  const blocks = [
    header(`SCIM activity · ${o.tenantName}`),
    section(statusLine(s, o.idp)),
    section(chart),
    section(
      `*Totals:* ${s.totals.created} created · ${s.totals.updated} updated · ${s.totals.deactivated} deactivated · ${s.totals.errors} ${s.totals.errors === 1 ? "error" : "errors"}\n*Last push from the IdP:* ${s.lastPush ? slackDate(iso(s.lastPush)) : "none in this period"}${s.lastSuccessfulPush && s.lastSuccessfulPush !== s.lastPush ? ` (last successful: ${slackDate(iso(s.lastSuccessfulPush))})` : ""}`,
    ),
  ];
  if (o.keyLine) blocks.push(context(`:key: ${esc(o.keyLine)}`));
  if (s.topErrors.length) {
    blocks.push(
      section(
        `*Most frequent SCIM errors*\n${s.topErrors.map((e) => `• ${e.count}× ${untrusted(e.error)} (last ${slackDate(iso(e.last))})`).join("\n")}`,
      ),
    );
  }
  if (s.neverProvisioned.length) {
    blocks.push(
      section(
        `*Tried to sign in, never provisioned*\n${s.neverProvisioned.map((n) => `• ${esc(n.loginId)} — ${n.attempts} attempt${n.attempts > 1 ? "s" : ""}, last ${slackDate(iso(n.last))}`).join("\n")}\nAssign them (through a group) to the SCIM app, not only the SSO app.`,
      ),
    );
  }
  if (s.jitRewrites.length) {
    blocks.push(
      section(
        `*JIT rewrites what SCIM set*\n${s.jitRewrites.map((j) => `• ${esc(j.loginId)} — modified right after an SSO sign-in, ${slackDate(iso(j.at))}`).join("\n")}\nJIT and SCIM are both on for this tenant: each SSO sign-in overwrites the roles SCIM set. Descope advises turning JIT off when SCIM is the source of truth (the tenant's SSO settings › JIT provisioning).`,
      ),
    );
  }
  if (o.oneByOne) blocks.push(section(`:warning: ${esc(o.oneByOne)}`));
  blocks.push(
    context(
      `From the shared audit index${o.asOf ? `, events as of ${slackDate(iso(o.asOf))}` : ""} · legend: + created, ~ updated, − deactivated, ✖ errors`,
    ),
  );
  const text = `SCIM activity for ${o.tenantName}: ${s.totals.created} created, ${s.totals.updated} updated, ${s.totals.deactivated} deactivated, ${s.totals.errors} ${s.totals.errors === 1 ? "error" : "errors"}; status ${s.status}.`;
  return { text: esc(text), blocks };
}
