/** `scimwatch check`: the diagnosis from a terminal. Exit 0 verdict, 1 Descope failed, 2 bad usage. */

import { parseArgs } from "node:util";
import { ConfigError } from "../config/env.js";
import { diagnose } from "../core/diagnosis/diagnose.js";
import { IDP_IDS, type IdpId, parseIdp } from "../core/idp/catalog.js";
import { answerLinks } from "../core/links.js";
import { loginIdProblem } from "../core/login-id.js";
import { parseWhen, whenProblem } from "../core/when.js";
import { DEFAULT_GRACE_MINUTES } from "../core/window.js";
import { descopeClientFromEnv } from "../descope/from-env.js";
import { gatherFacts } from "../features/check/gather.js";
import { renderReport } from "../render/text.js";
import { CONNECTOR_OPTIONS, connectorChoice } from "./connector-args.js";
import { failureExit, type Io, usageExit } from "./io.js";

export const CHECK_USAGE = `usage: scimwatch check <loginId> [--tenant <id-or-name>] [--idp ${IDP_IDS.join("|")}] [--assigned-at <ISO-8601>] [--entra-tenant <id> --entra-app <name|appId> | --okta-url <url> --okta-app <label|id>] [--json]`;

export const CHECK_HELP = `${CHECK_USAGE}

Was <loginId> provisioned over SCIM into Descope, and if not, why? Prints the
verdict, the evidence and what to do; with --json one object on stdout.
  --tenant <id-or-name>   the Descope tenant (default: the user's tenant)
  --idp <idp>             the customer's IdP when it cannot be inferred
  --assigned-at <time>    when IT assigned the user in the IdP (ISO-8601 with Z
                          or an offset, e.g. 2026-11-28T09:30:00Z, or -20m)
  --entra-tenant <id> --entra-app <name|appId>
                          also read Entra ID's side (assignment, provisioning
                          logs, job) with ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET
  --okta-url <url> --okta-app <label|id>
                          also read Okta's side (assignment, push events) with
                          OKTA_API_TOKEN (a read-only API token), or a service
                          app's OKTA_CLIENT_ID and OKTA_PRIVATE_KEY (the PEM or
                          JWK, or a path to the file)
Environment: DESCOPE_PROJECT_ID, DESCOPE_MANAGEMENT_KEY [, DESCOPE_BASE_URL],
read from ./.env too. Exit 0 a verdict, 1 Descope failed, 2 bad usage.
`;

/** SCIMWATCH_GRACE_MINUTES, as the bot reads it (the same window as the checklist). */
export function graceOf(env: NodeJS.ProcessEnv): number {
  const raw = env.SCIMWATCH_GRACE_MINUTES;
  if (raw === undefined || raw === "") return DEFAULT_GRACE_MINUTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 1440)
    throw new ConfigError(
      "SCIMWATCH_GRACE_MINUTES is malformed: set it to minutes between 0 and 1440",
    );
  return n;
}

export async function runCheck(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const usage = usageExit(io, CHECK_USAGE, json);

  let values: {
    tenant?: string;
    idp?: string;
    "assigned-at"?: string;
    "entra-tenant"?: string;
    "entra-app"?: string;
    "okta-url"?: string;
    "okta-app"?: string;
    json?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: "string" },
        idp: { type: "string" },
        "assigned-at": { type: "string" },
        ...CONNECTOR_OPTIONS,
        json: { type: "boolean" },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (positionals.length === 0) return usage("missing <loginId>");
  if (positionals.length > 1) return usage(`unexpected argument: ${positionals[1]}`);
  const loginId = (positionals[0] as string).trim();
  const problem = loginIdProblem(loginId);
  if (problem) return usage(`that is not a login ID: ${problem}`);

  let idp: IdpId | undefined;
  if (values.idp !== undefined) {
    idp = parseIdp(values.idp);
    if (!idp) return usage(`unknown IdP: ${values.idp} (one of ${IDP_IDS.join(", ")})`);
  }
  const choice = connectorChoice(values, io.env);
  if ("problem" in choice) return usage(choice.problem as string);
  const now = io.now();
  let assignedAt: number | undefined;
  if (values["assigned-at"] !== undefined) {
    assignedAt = parseWhen(values["assigned-at"], now);
    if (assignedAt === undefined) {
      return usage(`malformed --assigned-at: ${whenProblem(values["assigned-at"])}`);
    }
  }

  try {
    const client = descopeClientFromEnv(io.env);
    const facts = await gatherFacts(
      client,
      { loginId, tenant: values.tenant, idp, assignedAt },
      now,
    );
    facts.graceMinutes = graceOf(io.env);
    let d = diagnose(facts, io.now());
    if ("entra" in choice) {
      // Loaded only when asked: a plain check stays fast to start.
      const { entraSideForCli } = await import("./idp-side.js");
      d = await entraSideForCli(d, io.env, choice.entra.tenant, choice.entra.app);
    }
    if ("okta" in choice) {
      const { oktaSideForCli } = await import("./idp-side.js");
      d = await oktaSideForCli(d, io.env, choice.okta.url, choice.okta.app, now);
    }
    if (json) {
      const { verdict, tenantId, summary, evidence, remediation, checkedAt } = d;
      io.stdout(
        `${JSON.stringify({
          verdict,
          loginId: d.loginId,
          tenantId,
          summary,
          evidence,
          remediation,
          checkedAt,
          tenantName: d.tenantName,
          idp: d.idp,
          notes: d.notes,
          cause: d.cause,
          idpSide: d.idpSide,
          tenantSource: d.tenantSource,
          matchedBy: d.matchedBy,
          descopeLoginIds: d.descopeLoginIds,
          links: answerLinks(d),
        })}\n`,
      );
    } else {
      io.stdout(renderReport(d));
    }
    return 0;
  } catch (e) {
    return failureExit(e, io, usage, json);
  }
}
