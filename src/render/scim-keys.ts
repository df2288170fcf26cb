/**
 * SCIM key warnings and the key lines of `/scim activity`, App Home and
 * `doctor`. Pure.
 */

import type { ModalView } from "@slack/types";
import { keySubject } from "../core/actions/model.js";
import type { IdpId } from "../core/idp/catalog.js";
import { IDPS } from "../core/idp/catalog.js";
import { type KeyFinding, type KeySnapshot, lastUsableExpiry } from "../core/scim-keys.js";
import { button, context, type SlackMessage, section } from "./blocks.js";
import {
  encodeFixRequest,
  encodeSetupLink,
  FIX_ACTIONS,
  INPUT_ACTION,
  KEY_ACTIONS,
  VIEWS,
} from "./ids.js";
import { esc, iso, slackDate } from "./mrkdwn.js";

/** Where the new token goes in each IdP (the menu path: no deep link is reliable for it). */
const PASTE: Partial<Record<IdpId, string>> = {
  azure:
    "Entra ID › Enterprise apps › [the Descope app] › Provisioning › Admin Credentials › Secret Token, then Test Connection and Save",
  okta: "Okta › Applications › [the Descope app] › Provisioning › Integration › Edit › API token, then Test API Credentials and Save",
  google:
    "Google Admin › Apps › Web and mobile apps › [the Descope app] › Auto-provisioning › the access token",
  onelogin:
    "OneLogin › Applications › [the Descope app] › Configuration › SCIM Bearer Token, then Enable",
  jumpcloud:
    "JumpCloud › SSO Applications › [the Descope app] › Identity Management › Token Key, then Test Connection",
  pingone:
    "PingOne › Integrations › Provisioning › [the Descope connection] › Configuration › the OAuth/Bearer token",
};

const keyLabel = (k: { name: string; id: string }) => esc(k.name || k.id);

function steps(snap: KeySnapshot, idp: IdpId): string {
  const where = PASTE[idp] ?? "the IdP's SCIM provisioning settings (the bearer token)";
  return [
    `1. Create a new SCIM key for *${esc(snap.tenantName)}*: <https://app.descope.com/tenants|Descope console › Tenants> › open *${esc(snap.tenantName)}* › SSO Configuration › SCIM (or \`POST /v1/mgmt/scim/key/create\`). The old key stays valid meanwhile.`,
    `2. Paste it into ${esc(where)}.`,
    "3. Once the IdP provisions with it, revoke (deactivate) the old key.",
  ].join("\n");
}

/** The alert for one finding. */
export function keyAlertMessage(
  f: KeyFinding,
  snap: KeySnapshot,
  idp: IdpId,
  o: { rotate?: boolean } = {},
): SlackMessage {
  const p = IDPS[idp];
  const tenant = esc(snap.tenantName);
  const head =
    f.kind === "expiring"
      ? `:hourglass_flowing_sand: *${tenant}*'s SCIM key *${keyLabel(f.key)}* expires on ${slackDate(iso(f.key.expiresAt as number), "{date_short_pretty}")} (in ${f.daysLeft} day${f.daysLeft === 1 ? "" : "s"}): ${esc(p.name)} will stop provisioning then.`
      : f.kind === "expired"
        ? `:rotating_light: *${tenant}*'s SCIM key *${keyLabel(f.key)}* expired on ${slackDate(iso(f.key.expiresAt as number), "{date_short_pretty}")}: ${esc(p.name)} cannot provision this tenant until it has a new key.`
        : f.kind === "none_active"
          ? `:rotating_light: Every SCIM key of *${tenant}* (${f.keys}) is deactivated, deleted or expired while it has SCIM users: ${esc(p.name)} cannot provision, update or deprovision anyone.`
          : `:grey_question: *${tenant}* has a SCIM key, *${keyLabel(f.key)}* (created ${slackDate(iso(f.key.createdAt as number), "{date_short_pretty}")}), but its IdP has never called Descope with it (no SCIM request in 30 days): ${esc(p.name)}'s provisioning is not set up with this key, or not turned on.`;
  const plain =
    f.kind === "expiring"
      ? `${snap.tenantName}'s SCIM key ${f.key.name || f.key.id} expires in ${f.daysLeft} days: ${p.name} will stop provisioning then.`
      : f.kind === "expired"
        ? `${snap.tenantName}'s SCIM key ${f.key.name || f.key.id} has expired: ${p.name} cannot provision.`
        : f.kind === "none_active"
          ? `Every SCIM key of ${snap.tenantName} is unusable: ${p.name} cannot provision.`
          : `${snap.tenantName} has a SCIM key its IdP has never used: ${p.name}'s provisioning is not set up with it.`;
  return {
    text: esc(plain),
    blocks: [
      section(head),
      section(
        f.kind === "never_called"
          ? `*What to do*\nIn ${esc(p.name)}, set up provisioning to Descope with this tenant's SCIM URL and key (${esc(PASTE[idp] ?? "the IdP's SCIM provisioning settings")}), turn it on, and check \`/scim activity\` for its first calls.`
          : `*What to do*\n${steps(snap, idp)}`,
      ),
      context(
        `Console links carry no project ID: open the Descope project that serves this tenant. Keys read ${slackDate(iso(snap.readAt))}, checked daily.`,
      ),
      {
        type: "actions",
        block_id: "scim_key_alert",
        elements: [
          button(
            "Send the customer's IT a setup link",
            KEY_ACTIONS.setupLink,
            encodeSetupLink(snap.tenantId, "key" in f ? f.key.ssoId : null),
          ),
          // A new key without an outage, approved by an approver (fix-it actions on).
          ...(o.rotate && f.kind !== "never_called"
            ? [
                button(
                  "Rotate the SCIM key (needs approval)",
                  FIX_ACTIONS.request,
                  encodeFixRequest(
                    "rotate_key",
                    snap.tenantId,
                    keySubject("key" in f ? f.key.ssoId : null),
                  ),
                ),
              ]
            : []),
        ],
      },
    ],
  };
}

/** The form an admin fills to have Descope e-mail the customer's IT admin an SSO Setup Suite link. */
export function setupLinkModal(tenantName: string, meta: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.setupLink,
    private_metadata: meta,
    title: { type: "plain_text", text: "Send a setup link" },
    submit: { type: "plain_text", text: "Send" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      section(
        `Descope e-mails *${esc(tenantName)}*'s IT admin a link to its SSO Setup Suite (SSO and SCIM settings, the SCIM key included), valid 24 hours. Only scimwatch admins can send it.`,
      ),
      {
        type: "input",
        block_id: SETUP_LINK_BLOCK,
        label: { type: "plain_text", text: "The customer IT admin's e-mail" },
        element: { type: "email_text_input", action_id: INPUT_ACTION },
      },
    ],
  };
}

export const SETUP_LINK_BLOCK = "setup_link_email";

/** Said once in the warning's thread when the key is renewed. */
export function keyRenewedMessage(snap: KeySnapshot, keyName: string, now: number): SlackMessage {
  const until = lastUsableExpiry(snap, now);
  const tail =
    until === null
      ? "a key that never expires"
      : until === "none"
        ? "a usable key"
        : `a key valid until ${slackDate(iso(until), "{date_short_pretty}")}`;
  return {
    text: esc(`${snap.tenantName}'s SCIM key ${keyName} was renewed.`),
    blocks: [
      section(
        `:white_check_mark: Renewed — *${esc(snap.tenantName)}* has ${tail} now (was *${esc(keyName)}*): provisioning goes on.`,
      ),
    ],
  };
}

/** One line per tenant for `/scim activity`, App Home and `doctor`: when its provisioning key runs out. Plain text. */
export function keyExpiryLine(snap: KeySnapshot, now: number): string {
  if (!snap.keys.length) return "no SCIM key";
  const until = lastUsableExpiry(snap, now);
  if (until === "none") return `no usable SCIM key (${snap.keys.length} deactivated or expired)`;
  if (until === null) return "SCIM key never expires";
  const days = Math.ceil((until - now) / 86_400_000);
  return `SCIM key expires ${new Date(until).toISOString().slice(0, 10)} (in ${days} day${days === 1 ? "" : "s"})`;
}
