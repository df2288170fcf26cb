/** Answers about the hires webhook's per-tenant secrets. Pure. */
import { notice, type SlackMessage, section } from "./blocks.js";
import { esc } from "./mrkdwn.js";

export const webhookAdminsOnly = () =>
  notice(
    ":lock: Only scimwatch admins (SCIMWATCH_ADMIN_USERS) can issue a tenant's webhook secret.",
    "Only scimwatch admins can issue a tenant's webhook secret.",
  );

export const webhookNeedsKey = () =>
  notice(
    ":warning: Per-tenant webhook secrets are stored encrypted, and scimwatch has no `SCIMWATCH_SECRETS_KEY` to encrypt them with: its operator sets one (32 random bytes, base64: `openssl rand -base64 32`).",
    "scimwatch needs SCIMWATCH_SECRETS_KEY to keep per-tenant webhook secrets.",
  );

/** The secret, shown once (the reply is ephemeral: only the admin who asked sees it). */
export function webhookSecretMessage(
  tenantName: string,
  o: { kid: string; secret: string; replaced: boolean },
): SlackMessage {
  const t = esc(tenantName);
  const lines = [
    `:key: Webhook secret for *${t}* — shown this once, copy it now:`,
    `Key ID: \`${o.kid}\`\nSecret: \`${o.secret}\``,
    `Give both to ${t}'s HR system or automation. Each request to \`POST /hooks/hires\` sends \`X-Scimwatch-Key-Id: ${o.kid}\`, \`X-Scimwatch-Timestamp\` (Unix seconds) and \`X-Scimwatch-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>\`. It registers hires for *${t}* only: a body naming another tenant is refused.`,
    o.replaced
      ? ":warning: The previous secret of this tenant stopped working just now."
      : "Running `/scim webhook` again issues a new secret and revokes this one.",
  ];
  return {
    text: `Webhook secret for ${tenantName} (key ID ${o.kid}), shown once.`,
    blocks: lines.map((l) => section(l)),
  };
}
