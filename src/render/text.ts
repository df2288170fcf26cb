/** Where a diagnosis is drawn for a terminal. Pure. */

import type { Diagnosis } from "../core/diagnosis/diagnose.js";
import { MATCHED_BY_TEXT, VERDICT_OK, VERDICT_TITLES } from "../core/diagnosis/verdicts.js";
import { answerLinks } from "../core/links.js";

export function renderReport(d: Diagnosis): string {
  const mark = VERDICT_OK[d.verdict] ? "✔" : "✖";
  const tenant = d.tenantId
    ? ` — tenant ${d.tenantName ?? d.tenantId}${d.tenantName && d.tenantName !== d.tenantId ? ` (${d.tenantId})` : ""}`
    : "";
  const lines = [
    `${mark} ${VERDICT_TITLES[d.verdict]} [${d.verdict}] — ${d.loginId}${tenant}`,
    ...(d.matchedBy && d.matchedBy !== "login_id"
      ? [`Found as: ${d.descopeLoginIds.join(", ")} (matched by ${MATCHED_BY_TEXT[d.matchedBy]})`]
      : []),
    `IdP: ${d.idp.name} (${d.idp.reason})`,
    "",
    d.summary,
    "",
    "Evidence",
    ...d.evidence.map((e) => `  ${e.at}  ${e.text}`),
    "",
    ...(d.idpSide
      ? [
          `IdP side (${d.idpSide.idp === "azure" ? "Entra ID" : "Okta"}): ${d.idpSide.cause}`,
          `  ${d.idpSide.summary}`,
          ...d.idpSide.evidence.map((e) => `  - ${e}`),
          "",
        ]
      : []),
    "What to do",
    ...d.remediation.map((r, i) => `  ${i + 1}. ${r}`),
  ];
  const links = answerLinks(d);
  if (links.length) lines.push("", "Open", ...links.map((l) => `  ${l.label}: ${l.url}`));
  if (d.notes.length) lines.push("", "Notes", ...d.notes.map((n) => `  - ${n}`));
  lines.push("", `Checked at ${d.checkedAt}`);
  return `${lines.join("\n")}\n`;
}
