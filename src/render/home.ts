/** The App Home: overdue, pending and recently provisioned hires, leavers, recent alerts. Pure. */

import type { HomeView } from "@slack/types";
import type { RecentAlert } from "../core/hires/model.js";
import type { HireView } from "../core/hires/state.js";
import type { Leaver } from "../core/leavers/model.js";
import { type Block, button, capBlocks, context, header, LIMITS, section } from "./blocks.js";
import { statusLine, whoLine } from "./hire-status.js";
import { HOME_ACTIONS } from "./ids.js";
import { leaverLine } from "./leavers.js";
import { esc, iso, slackDate } from "./mrkdwn.js";

export interface HomeData {
  overdue: Array<{ id: string; view: HireView }>;
  pending: Array<{ id: string; view: HireView }>;
  provisioned24h: Array<{ id: string; view: HireView }>;
  alerts: RecentAlert[];
  tenants: string[];
  /** Admins: every tenant in Descope (null: Descope could not be read just now). */
  descopeTenants?: string[] | null;
  /** Admins: tenants whose SCIM key runs out soon, or who have no usable key. */
  keyWarnings?: Array<{ tenantName: string; line: string }>;
  /** scimwatch cannot read Descope's audit log: said first, since every list below is stale. */
  blind?: {
    reason: "key_refused" | "reads_failing" | null;
    since: number | null;
    lastError: string | null;
  };
  /** Open leavers this person may see. */
  leavers?: Leaver[];
  /** For the getting-started section: where alerts go when a tenant has no channel of its own. */
  alertChannel?: string | undefined;
  admin?: boolean;
  /** Tenants whose provisioning is failing, stopped or deactivating en masse (the one tenant-health decision). */
  tenantProblems?: Array<{ tenantName: string; state: string; since: number | null }>;
}

/** What someone with nothing here yet needs: what to type, and where alerts go. */
function gettingStarted(d: HomeData): Block[] {
  const alerts = d.alertChannel
    ? `Alerts go to <#${esc(d.alertChannel)}> unless a tenant's linked channel chose another (\`/scim alerts #channel\`, admins).`
    : "No alert channel is set yet (`SCIMWATCH_ALERT_CHANNEL`): until one is, alerts reach only tenants whose linked channel chose one with `/scim alerts #channel` (admins).";
  return [
    { type: "divider" },
    section(
      [
        "*Getting started*",
        "• `/scim check jane@acme.com` — was this person provisioned over SCIM? The verdict, the evidence and the next click.",
        "• `/scim expect jane@acme.com Acme Corp` — a new hire IT just assigned: a checklist that ticks itself, and an alert if they do not arrive in time. `/scim expect` alone opens a form.",
        "• `/scim explain` — how SCIM provisioning works, and why group assignment beats one-by-one.",
        `• ${alerts}`,
        d.admin
          ? "• As an admin, `/scim link <tenant>` in a customer's channel scopes that channel to its tenant."
          : "• Commands work in your support team's channels, or in a channel an admin linked to a tenant (`/scim link`).",
      ].join("\n"),
    ),
  ];
}

/** Which tenants this person sees here, and why. */
function tenantsLine(d: HomeData): string {
  if (d.admin) {
    if (d.descopeTenants === null)
      return "You see every tenant as an admin (Descope's tenant list could not be read just now).";
    const all = d.descopeTenants ?? d.tenants;
    if (!all.length) return "You see every tenant as an admin; Descope has none yet.";
    const shown = all.slice(0, 20).map(esc).join(", ");
    return `You see every tenant as an admin: ${all.length} in Descope (${shown}${all.length > 20 ? ", …" : ""}).`;
  }
  return d.tenants.length
    ? `Tenants of the hires you registered: ${d.tenants.map(esc).join(", ")}`
    : "You have not registered any hires yet: the lists below show the ones you register.";
}

/** What can be done from here: check someone and expect hires (admins), help (everyone). */
function homeButtons(admin: boolean): Block {
  return {
    type: "actions",
    block_id: "home_tools",
    elements: [
      ...(admin
        ? [
            button("Check a user", HOME_ACTIONS.check, "check", "primary"),
            button("Expect hires", HOME_ACTIONS.expect, "expect"),
          ]
        : []),
      button("Help", HOME_ACTIONS.help, "help"),
    ],
  };
}

export function homeView(d: HomeData): HomeView {
  const blocks: Block[] = [header("scimwatch — new hires")];
  const empty =
    !(d.descopeTenants ?? []).length &&
    !d.tenants.length &&
    !d.overdue.length &&
    !d.pending.length &&
    !d.provisioned24h.length &&
    !d.alerts.length;
  if (d.blind)
    blocks.push(
      section(
        `:rotating_light: *scimwatch cannot read Descope's audit log*${d.blind.since ? ` since ${slackDate(iso(d.blind.since))}` : ""}: ${
          d.blind.reason === "key_refused"
            ? "Descope refuses the management key (DESCOPE_MANAGEMENT_KEY: expired, revoked or without permission)."
            : `its reads keep failing${d.blind.lastError ? ` (${esc(d.blind.lastError)})` : ""}.`
        } Checklists, alerts and the lists below are not up to date until it can; \`scimwatch doctor\` says what to fix.`,
      ),
    );
  blocks.push(context(tenantsLine(d)));
  blocks.push(homeButtons(d.admin === true));
  if (empty) blocks.push(...gettingStarted(d));
  if (d.keyWarnings?.length)
    blocks.push(
      { type: "divider" },
      section(
        `*:key: SCIM keys* (${d.keyWarnings.length})\n${d.keyWarnings
          .slice(0, 20)
          .map((k) => `• *${esc(k.tenantName)}* — ${esc(k.line)}`)
          .join("\n")}`,
      ),
    );
  if (d.tenantProblems?.length) {
    blocks.push(
      { type: "divider" },
      section(
        `*Provisioning problems* (${d.tenantProblems.length})\n${d.tenantProblems
          .slice(0, 20)
          .map(
            (p) =>
              `:rotating_light: *${esc(p.tenantName)}* — ${p.state.replace("_", " ")}${p.since ? ` since ${slackDate(iso(p.since))}` : ""}`,
          )
          .join("\n")}`,
      ),
    );
  }
  const hireRows = (
    title: string,
    rows: Array<{ id: string; view: HireView }>,
    max: number,
    withButtons: boolean,
  ) => {
    blocks.push({ type: "divider" }, section(`*${title}* (${rows.length})`));
    if (!rows.length) {
      blocks.push(context("None."));
      return;
    }
    for (const r of rows.slice(0, max)) {
      const s = section(
        `${whoLine(r.view.hire)} · ${esc(r.view.hire.tenantName)}\n${statusLine(r.view)}`,
      );
      blocks.push(s);
      if (withButtons) {
        blocks.push({
          type: "actions",
          block_id: `home_${r.id}`.slice(0, 255),
          elements: [
            button("Re-check", HOME_ACTIONS.recheck, r.id),
            button("Forget", HOME_ACTIONS.forget, r.id, "danger", {
              title: "Forget this hire?",
              text: `scimwatch stops tracking ${r.view.hire.loginId} (${r.view.hire.tenantName}): no checklist updates, no alerts.`,
              confirm: "Forget",
            }),
          ],
        });
      }
    }
    if (rows.length > max)
      blocks.push(context(`…and ${rows.length - max} more: \`/scim pending\``));
  };
  hireRows(":warning: Overdue", d.overdue, 12, true);
  hireRows(":hourglass_flowing_sand: Pending", d.pending, 12, true);
  hireRows(":inbox_tray: Provisioned in the last 24 h", d.provisioned24h, 10, false);
  if (d.leavers?.length)
    blocks.push(
      { type: "divider" },
      section(
        `*:wave: Leavers* (${d.leavers.length})\n${d.leavers.slice(0, 15).map(leaverLine).join("\n")}`,
      ),
    );
  blocks.push({ type: "divider" }, section(`*Recent alerts* (${d.alerts.length})`));
  blocks.push(
    d.alerts.length
      ? section(
          d.alerts
            .slice(0, 10)
            .map((a) => `• ${slackDate(iso(a.at))} ${esc(a.text)}`)
            .join("\n"),
        )
      : context("None."),
  );
  return { type: "home", blocks: capBlocks(blocks, LIMITS.surfaceBlocks) };
}
