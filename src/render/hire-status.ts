/** One hire's lines, drawn the same on the checklist, App Home and /scim pending: who, the items, the status. Pure. */

import type { Hire } from "../core/hires/model.js";
import type { HireView } from "../core/hires/state.js";
import { IDPS } from "../core/idp/catalog.js";
import { clip, esc, iso, slackDate, untrusted } from "./mrkdwn.js";

const box = (on: boolean) => (on ? "☑" : "☐");

/** A blocking IdP cause in a checklist line: what is wrong, and the fix, short. */
const BLOCKED_WHY: Record<string, [string, string]> = {
  not_assigned: ["not assigned to the app", "add them to the group assigned to the app"],
  nested_group_only: [
    "in the assigned group only through a nested group",
    "add them to the assigned group directly",
  ],
  group_not_security_enabled: [
    "their assigned group is not security-enabled",
    "assign a security group",
  ],
  user_disabled_in_idp: ["the account is disabled", "enable it"],
  not_in_idp: ["no such user", "check the login ID, or create the user"],
  job_quarantined: ["the provisioning job is in quarantine", "fix its credential, then restart it"],
  job_paused: ["provisioning is paused or off", "start provisioning"],
  app_not_found: ["the connected app no longer exists", "reconnect with /scim connect"],
};

/** Days watched before a hire was closed (from its own record). */
function watchedDays(h: Hire): number {
  const from = Math.max(h.assignedAt, h.registeredAt, h.startDate ?? 0);
  return Math.max(1, Math.round(((h.closedAt ?? from) - from) / 86_400_000));
}

/** The person: login ID, their name and start date when known. */
export function whoLine(h: Hire): string {
  // A name comes from HR: inert (no live link, nothing invisible).
  const name = h.displayName ? ` (${untrusted(h.displayName)})` : "";
  const start = h.startDate ? ` · starts ${slackDate(iso(h.startDate))}` : "";
  return `*${esc(h.loginId)}*${name}${start}`;
}

export function itemsLine(h: Hire): string {
  const i = h.items;
  return `${box(Boolean(i.assigned.at))} Assigned in the IdP · ${box(Boolean(i.provisioned.at))} Provisioned to Descope · ${box(Boolean(i.roles.at))} Roles mapped · ${box(Boolean(i.signedIn.at))} First sign-in`;
}

export function statusLine(v: HireView): string {
  const line = baseLine(v);
  const as = v.hire.descopeLoginId;
  const open = v.status === "will_not_arrive" || v.status === "overdue" || v.status === "waiting";
  // While they are not in Descope: the IdP page to open (the app's users and groups).
  const link = open ? v.hire.idpLinks[0] : undefined;
  const withLink = link ? `${line} · <${link.url}|${esc(link.label).replace(/\|/g, "/")}>` : line;
  return as && !open ? `${withLink} · in Descope as *${esc(as)}*` : withLink;
}

function baseLine(v: HireView): string {
  const idp = IDPS[v.hire.idp];
  const h = v.hire;
  switch (v.status) {
    case "waiting":
      return h.idpNextCycle?.kind === "initial"
        ? `:hourglass_flowing_sand: Waiting for ${idp.name}'s initial cycle (it reads everyone in scope once: hours for a new job) — expected by ${slackDate(iso(v.dueAt))}`
        : `:hourglass_flowing_sand: Waiting for ${idp.name}'s next cycle — expected by ${slackDate(iso(v.dueAt))}`;
    case "overdue":
      return `:warning: Overdue since ${slackDate(iso(v.dueAt))}: ${idp.name} has not pushed them`;
    case "scim_error":
      return `:x: ${idp.name}'s push failed: ${untrusted(clip(h.scimError ?? "error", 300))}`;
    case "provisioned": {
      const late = v.lateMinutes ? `, ${v.lateMinutes} min late` : "";
      const next = !h.items.roles.at
        ? "waiting for a role (group mapping)"
        : "waiting for the first sign-in";
      return `:inbox_tray: Provisioned ${slackDate(iso(h.items.provisioned.at as number))}${late} — ${next}`;
    }
    case "complete":
      return `:white_check_mark: All set — first sign-in ${slackDate(iso(h.items.signedIn.at as number))}`;
    case "deprovisioned":
      return ":no_entry: Deactivated by the IdP (removed from the assigned group?)";
    case "will_not_arrive": {
      const why = BLOCKED_WHY[h.idpCause ?? ""] ?? ["cannot be provisioned", "see the alert"];
      return `:x: Will not arrive: ${why[0]} in ${idp.name} — ${why[1]} (proven by ${idp.name}${h.idpCheckedAt ? ` ${slackDate(iso(h.idpCheckedAt))}` : ""})`;
    }
    case "closed":
      return `:file_cabinet: Closed ${slackDate(iso(h.closedAt as number))}: ${h.items.provisioned.at ? "not finished" : `${idp.name} never pushed them`} in ${watchedDays(h)} days, so scimwatch stopped watching — \`/scim check ${esc(h.loginId)}\` for today's answer, \`/scim expect\` them again to watch again`;
    case "not_scim_managed":
      return `:warning: In Descope, but not through SCIM (created by hand or by a JIT sign-in): ${idp.name} does not manage them — assign them to the app through a group so it does`;
  }
}
