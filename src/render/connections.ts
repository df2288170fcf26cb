/** Where /scim connect, /scim connections and /scim disconnect answers are drawn. Pure. */
import { notice, type SlackMessage } from "./blocks.js";
import { esc, slackDate } from "./mrkdwn.js";

const iso = (ms: number) => new Date(ms).toISOString();

export const CONNECT_ADMINS_ONLY = notice(
  ":lock: Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can connect or disconnect an IdP.",
  "Only scimwatch admins can connect or disconnect an IdP.",
);

export const ENTRA_NOT_CONFIGURED = notice(
  ":warning: scimwatch has no Entra app yet: its operator registers one (README › IdP connectors) and sets `ENTRA_CLIENT_ID` and `ENTRA_CLIENT_SECRET`.",
  "scimwatch has no Entra app yet: set ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET.",
);

export function needEntraTenantMessage(tenantName: string): SlackMessage {
  return notice(
    `:warning: I could not find ${esc(tenantName)}'s Entra tenant ID in its SSO settings. Add it: \`/scim connect ${esc(tenantName)} entra entra-tenant=&lt;tenant ID&gt; app=&lt;app&gt;\` (Entra admin center › Overview › Tenant ID).`,
    "Give the Entra tenant ID with entra-tenant=<id>.",
  );
}

export function needAppMessage(tenantName: string): SlackMessage {
  return notice(
    `:warning: Which Entra enterprise app provisions ${esc(tenantName)} into Descope? \`/scim connect ${esc(tenantName)} entra app=&lt;app name or appId&gt;\` (Entra admin center › Enterprise apps: the one with Provisioning set up).`,
    "Name the enterprise app with app=<name or appId>.",
  );
}

export interface ConnectOutcome {
  tenantName: string;
  entraTenant: string;
  consentUrl: string;
  app: string;
  /** What was found, each a line; and what is missing, each a line. */
  found: string[];
  missing: string[];
  connected: boolean;
}

export function connectMessage(o: ConnectOutcome): SlackMessage {
  const head = o.connected
    ? `:electric_plug: *${esc(o.tenantName)}* is connected to Entra tenant \`${esc(o.entraTenant)}\` (${esc(o.app)}): \`/scim check\` now shows the IdP's side too.`
    : `:electric_plug: Connecting *${esc(o.tenantName)}* to Entra tenant \`${esc(o.entraTenant)}\` is not complete yet.`;
  const consent = `*Once, by the customer's Entra admin:* grant scimwatch's read-only permissions: <${o.consentUrl}|open the admin-consent page>.`;
  const lines = [
    head,
    consent,
    ...(o.found.length ? [`*Found*\n${o.found.map((f) => `• ${esc(f)}`).join("\n")}`] : []),
    ...(o.missing.length ? [`*Missing*\n${o.missing.map((m) => `• ${esc(m)}`).join("\n")}`] : []),
  ];
  return notice(
    lines.join("\n\n"),
    o.connected
      ? `${o.tenantName} is connected to Entra ID.`
      : `${o.tenantName}: the Entra connection is not complete (${o.missing[0] ?? "see the message"}).`,
  );
}

export function connectionsMessage(
  list: Array<{
    tenantName: string;
    entraTenant: string;
    appName: string;
    lastOkAt: number | null;
    problem: string | null;
  }>,
): SlackMessage {
  if (!list.length)
    return notice(
      "No IdP is connected yet. `/scim connect <tenant> entra app=<app>` (admins).",
      "No IdP is connected yet.",
    );
  const rows = list
    .slice(0, 40)
    .map(
      (c) =>
        `• *${esc(c.tenantName)}* → Entra \`${esc(c.entraTenant)}\`, ${esc(c.appName)} · ${c.problem ? `:warning: ${esc(c.problem)}` : c.lastOkAt ? `last read ${slackDate(iso(c.lastOkAt))}` : "not used yet"}`,
    );
  return notice(
    `*IdP connections* (${list.length})\n${rows.join("\n")}`,
    `${list.length} IdP connection(s).`,
  );
}

export function disconnectedMessage(tenantName: string, had: boolean): SlackMessage {
  return had
    ? notice(
        `:electric_plug: *${esc(tenantName)}* is disconnected from its IdP; checks show Descope's side only.`,
        `${tenantName} is disconnected.`,
      )
    : notice(`${esc(tenantName)} has no IdP connection.`, `${tenantName} has no IdP connection.`);
}
