/** Where /scim connect, /scim connections and /scim disconnect answers are drawn. Pure. */
import type { ModalView } from "@slack/types";
import { notice, resultModal, type SlackMessage, section } from "./blocks.js";
import { INPUT_ACTION, OKTA_BLOCKS, VIEWS } from "./ids.js";
import { esc, iso, slackDate } from "./mrkdwn.js";

export const CONNECT_ADMINS_ONLY = notice(
  ":lock: Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can connect or disconnect an IdP.",
  "Only scimwatch admins can connect or disconnect an IdP.",
);

export const ENTRA_NOT_CONFIGURED = notice(
  ":warning: scimwatch has no Entra app yet: its operator registers one (docs/connectors.md) and sets `ENTRA_CLIENT_ID` and `ENTRA_CLIENT_SECRET`.",
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

interface ConnectOutcome {
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
    /** "Entra <tenant id>" or "Okta <org URL>". */
    where: string;
    appName: string;
    lastOkAt: number | null;
    problem: string | null;
    /** Fix-it actions: which are possible, or why none is. */
    actions?: string;
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
        `• *${esc(c.tenantName)}* → ${esc(c.where)}, ${esc(c.appName)} · ${c.problem ? `:warning: ${esc(c.problem)}` : c.lastOkAt ? `last read ${slackDate(iso(c.lastOkAt))}` : "not used yet"}${c.actions ? `\n    _Actions:_ ${esc(c.actions)}` : ""}`,
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

export const SECRETS_KEY_MISSING = notice(
  ":warning: scimwatch stores the Okta API token encrypted, and has no key for it: its operator sets `SCIMWATCH_SECRETS_KEY` (32 random bytes, base64: `openssl rand -base64 32`). Nothing was stored.",
  "Set SCIMWATCH_SECRETS_KEY first: nothing was stored.",
);

/** The Okta connection form: org URL, app, a read-only API token (never shown back). */
export function oktaConnectModal(meta: string, tenantName: string): ModalView {
  const input = (
    block: string,
    label: string,
    placeholder: string,
    hint?: string,
    o: { optional?: boolean; multiline?: boolean } = {},
  ) => ({
    type: "input" as const,
    block_id: block,
    label: { type: "plain_text" as const, text: label },
    ...(hint ? { hint: { type: "plain_text" as const, text: hint } } : {}),
    ...(o.optional ? { optional: true } : {}),
    element: {
      type: "plain_text_input" as const,
      action_id: INPUT_ACTION,
      placeholder: { type: "plain_text" as const, text: placeholder },
      ...(o.multiline ? { multiline: true } : {}),
    },
  });
  return {
    type: "modal",
    callback_id: VIEWS.connectOkta,
    private_metadata: meta,
    title: { type: "plain_text", text: "Connect Okta" },
    submit: { type: "plain_text", text: "Connect" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      section(
        `Read-only: scimwatch reads *${esc(tenantName)}*'s Okta to show, in each check, whether the user is assigned to the app and what Okta pushed. Give *either* an API token *or* a service app's client ID and private key; either is stored encrypted and never shown again.`,
      ),
      input(OKTA_BLOCKS.url, "Okta org URL", "https://acme.okta.com"),
      input(OKTA_BLOCKS.app, "The app that provisions Descope (label or ID)", "Descope"),
      input(
        OKTA_BLOCKS.token,
        "API token",
        "00a…",
        "Security › API › Tokens: created by a read-only admin (apps, users, groups, logs)",
        { optional: true },
      ),
      input(
        OKTA_BLOCKS.clientId,
        "Or: a service app's client ID",
        "0oa…",
        "Applications › API Services app, client authentication 'Public key / Private key', scopes okta.apps.read okta.users.read okta.groups.read okta.logs.read granted, a read-only admin role",
        { optional: true },
      ),
      input(
        OKTA_BLOCKS.privateKey,
        "…and its private key",
        "-----BEGIN PRIVATE KEY----- … (or the JWK)",
        "The key whose public half is registered on the app. DPoP is followed if the app requires it.",
        { optional: true, multiline: true },
      ),
    ],
  };
}

export function connectResultModal(msg: SlackMessage): ModalView {
  return resultModal(VIEWS.connectResult, "Connect Okta", msg);
}

export function oktaConnectedMessage(o: {
  tenantName: string;
  oktaUrl: string;
  app: string | null;
  problem: string | null;
}): SlackMessage {
  return o.app && !o.problem
    ? notice(
        `:electric_plug: *${esc(o.tenantName)}* is connected to Okta (${esc(o.oktaUrl)}, app *${esc(o.app)}*): \`/scim check\` now shows Okta's side too. The token is stored encrypted.`,
        `${o.tenantName} is connected to Okta.`,
      )
    : notice(
        `:warning: *${esc(o.tenantName)}* is not connected: ${esc(o.problem ?? "the app was not found")}. Nothing was stored.`,
        `${o.tenantName} is not connected: ${o.problem ?? "the app was not found"}.`,
      );
}

export function autoExpectMessage(
  tenantName: string,
  on: boolean,
  /** The tenant's connected IdP, or null when it has none. */
  idp: "azure" | "okta" | null,
): SlackMessage {
  if (!idp)
    return notice(
      `:warning: *${esc(tenantName)}* has no IdP connection: \`/scim connect ${esc(tenantName)} entra app=…\` (or \`okta\`) first.`,
      `${tenantName} has no IdP connection.`,
    );
  const source =
    idp === "azure"
      ? "Entra ID's directory audits"
      : "Okta's System Log (group.user_membership.add)";
  return notice(
    on
      ? `:inbox_tray: New members of the groups assigned to *${esc(tenantName)}*'s SCIM app now become expected hires automatically (read from ${source} after each audit read). People added to a role-mapped group that is not assigned to the app are alerted.`
      : `Auto-expect is off for *${esc(tenantName)}*.`,
    on ? `Auto-expect is on for ${tenantName}.` : `Auto-expect is off for ${tenantName}.`,
  );
}
