/**
 * Where a tenant's provisioning alert is drawn (failing, stopped, mass
 * deactivation), its recovery, and its snoozed/dismissed/resolved forms. Pure.
 */
import { IDPS, type IdpId } from "../core/idp/catalog.js";
import type { ErrorCause, TenantHealth } from "../core/tenant-health.js";
import { type Block, button, context, header, type SlackMessage, section } from "./blocks.js";
import { encodeTenantAlert, TENANT_ACTIONS } from "./ids.js";
import { clip, esc, iso, slackDate, untrusted } from "./mrkdwn.js";

const minutes = (ms: number) =>
  ms >= 2 * 3_600_000
    ? `${Math.round(ms / 3_600_000)} hours`
    : `${Math.round(ms / 60_000)} minutes`;

const CAUSE_FIX: Record<ErrorCause, string> = {
  auth: "401/403: the Descope access key the IdP uses expired or was revoked. Create a new one in the Descope Console (the tenant's SSO/SCIM settings › access key), paste it into the IdP's provisioning credentials, test the connection, save, then restart provisioning.",
  conflict:
    "409: the user already exists in Descope (created by JIT sign-in or by hand). Delete the duplicate or let SCIM adopt it by matching userName, then push again.",
  mapping:
    "400: Descope refused an attribute. Check the IdP's attribute mapping (userName, emails, required attributes).",
  other: "Descope rejected these calls: read the error below, fix it in the IdP, then push again.",
};

/** What to check in the IdP when pushes stop: quarantine first for Entra. */
function stoppedAdvice(idp: IdpId): string {
  if (idp === "azure")
    return "Entra ID may be in *quarantine* (it backs off to one cycle a day when most calls fail, e.g. after the Descope access key expired). Confirm it: Entra ID › Enterprise apps › [the Descope app] › Provisioning: the status shows Quarantine and why. Fix: rotate the Descope access key in Provisioning › Admin credentials, Test connection, Save, then *Restart provisioning*.";
  const p = IDPS[idp];
  return `Check that provisioning is still enabled in ${esc(p.name)} and that its credentials (the Descope access key) are still valid; its logs: ${esc(p.logs)}.`;
}

function buttons(tenantId: string, episode: string): Block {
  const v = encodeTenantAlert(tenantId, episode);
  return {
    type: "actions",
    block_id: "tenant_alert",
    elements: [
      button("Snooze 1 h", TENANT_ACTIONS.snoozeHour, v),
      button("Snooze 1 day", TENANT_ACTIONS.snoozeDay, v),
      button("Dismiss", TENANT_ACTIONS.dismiss, v, "danger", {
        title: "Dismiss this alert?",
        text: "It stays in the channel as dismissed; scimwatch still posts the recovery in its thread.",
        confirm: "Dismiss",
      }),
    ],
  };
}

export function tenantAlertMessage(
  h: TenantHealth,
  o: { tenantId: string; tenantName: string; idp: IdpId; proof?: string | null },
): SlackMessage {
  const p = IDPS[o.idp];
  const name = esc(o.tenantName);
  let title: string;
  let body: string[];
  let plain: string;
  if (h.state === "failing") {
    title = `SCIM pushes failing: ${o.tenantName}`;
    plain = `${o.tenantName}: ${h.window.errors} of ${h.window.calls} SCIM calls from ${p.name} failed in the last hour.`;
    const causes = [...new Set(h.errors.map((e) => e.cause))];
    body = [
      `*${h.window.errors} of ${h.window.calls}* SCIM calls from ${esc(p.name)} to *${name}* failed in the last hour${h.since ? `, failing since ${slackDate(iso(h.since))}` : ""}. New hires are not arriving and leavers are not removed.`,
      `*Errors seen*\n${h.errors.map((e) => `• ${e.count}× ${untrusted(clip(e.error, 300))}`).join("\n") || "• (no error text recorded)"}`,
      `*What to do*\n${causes.map((c) => `• ${esc(CAUSE_FIX[c])}`).join("\n")}\n*Where ${esc(p.name)} logs it:* ${esc(p.logs)}`,
    ];
  } else if (h.state === "stopped") {
    title = `SCIM pushes stopped: ${o.tenantName}`;
    const silent = h.silentForMs ?? 0;
    plain = `${o.tenantName}: no SCIM call from ${p.name} for ${minutes(silent)}.`;
    body = [
      `No SCIM call from ${esc(p.name)} to *${name}* since ${slackDate(iso(h.lastPushAt ?? 0))} (${minutes(silent)}), although it pushed on ${h.pushDays} of the last 7 days${h.normalGapMs ? ` and is never silent for more than ${minutes(h.normalGapMs)}` : ""}.${h.overdueHires ? ` ${h.overdueHires} expected hire${h.overdueHires > 1 ? "s are" : " is"} overdue with nothing pushed since.` : ""}`,
      stoppedAdvice(o.idp),
    ];
  } else {
    title = `Mass deactivation: ${o.tenantName}`;
    const d = h.deactivated;
    plain = `${o.tenantName}: ${d.count} users deactivated or deleted by ${p.name} within an hour.`;
    body = [
      `*${d.count}* users${d.ofManaged ? ` (of about ${d.ofManaged} SCIM-managed)` : ""} in *${name}* were deactivated or deleted by ${esc(p.name)} within an hour, e.g. ${d.examples.map((x) => `*${esc(x)}*`).join(", ")}.`,
      "If this was not planned: *removing people from the group assigned to the app deprovisions them* (they lose access), while removing them from a *role-mapped* group only changes their roles. Check recent group changes in the IdP and restore the assignment; the next cycle re-activates them.",
    ];
  }
  return {
    text: esc(plain),
    blocks: [
      header(`:rotating_light: ${title}`),
      ...body.map((b) => section(b)),
      ...(o.proof ? [section(`:mag: ${untrusted(o.proof)}`)] : []),
      context(
        `Tenant \`${esc(o.tenantId)}\` · from the shared audit index · one alert per episode`,
      ),
      ...(h.episode ? [buttons(o.tenantId, h.episode)] : []),
    ],
  };
}

/** Posted once in the alert's thread when the tenant pushes successfully again. */
export function tenantRecoveredMessage(o: {
  tenantName: string;
  idp: IdpId;
  at: number;
}): SlackMessage {
  const p = IDPS[o.idp];
  return {
    text: esc(`${o.tenantName}: SCIM pushes from ${p.name} succeed again.`),
    blocks: [
      section(
        `:white_check_mark: Recovered — ${esc(p.name)} pushes to *${esc(o.tenantName)}* succeed again (${slackDate(iso(o.at))}). Expected hires that were waiting should arrive with the next cycles.`,
      ),
    ],
  };
}

/** The alert itself once the episode is over, snoozed or dismissed. */
export function tenantAlertClosed(
  o: { tenantName: string; state: string },
  how: { resolvedAt?: number; snoozedUntil?: number; dismissedBy?: string },
): SlackMessage {
  const kind = o.state.replace("_", " ");
  const what = `${kind} alert for *${esc(o.tenantName)}*`;
  if (how.dismissedBy)
    return {
      text: esc(`The ${kind} alert for ${o.tenantName} was dismissed.`),
      blocks: [section(`:no_bell: The ${what} was dismissed by <@${esc(how.dismissedBy)}>.`)],
    };
  if (how.snoozedUntil)
    return {
      text: esc(`The ${kind} alert for ${o.tenantName} is snoozed until ${iso(how.snoozedUntil)}.`),
      blocks: [
        section(
          `:zzz: The ${what} is snoozed until ${slackDate(iso(how.snoozedUntil))}: no new alert for this tenant until then.`,
        ),
      ],
    };
  return {
    text: esc(`Resolved: the ${kind} alert for ${o.tenantName} is over.`),
    blocks: [
      section(
        `:white_check_mark: Resolved — the ${what} is over (${slackDate(iso(how.resolvedAt ?? 0))}).`,
      ),
    ],
  };
}
