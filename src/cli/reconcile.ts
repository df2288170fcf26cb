/**
 * `scimwatch reconcile --tenant <id|name> [--json] [--csv <file>]`: a
 * tenant's whole reconciliation from a terminal, with the same connector
 * options as `check`. Exit 0 an answer, 1 Descope or the IdP failed, 2 bad usage.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { findServicePrincipal } from "../connectors/entra-facts.js";
import { ConnectorError } from "../connectors/entra-http.js";
import { findOktaApp } from "../connectors/okta-facts.js";
import { descopeClientFromEnv } from "../descope/from-env.js";
import { resolveTenant } from "../descope/tenants.js";
import { memoryStaging, newRun, runToEnd, type ScopeSource } from "../features/reconcile/run.js";
import { csvOf, progressLine, reconcileReport, reconcileText } from "../render/reconcile.js";
import { graceOf } from "./check.js";
import { CONNECTOR_OPTIONS, type ConnectorChoice, connectorChoice } from "./connector-args.js";
import { entraHttpFromEnv, oktaHttpFromEnv } from "./idp-side.js";
import { failureExit, type Io, usageExit } from "./io.js";
import { RECONCILE_USAGE } from "./usage.js";

async function sourceOf(choice: ConnectorChoice, env: NodeJS.ProcessEnv): Promise<ScopeSource> {
  if ("entra" in choice) {
    const http = entraHttpFromEnv(env);
    const sp = await findServicePrincipal(http, choice.entra.tenant, choice.entra.app);
    if (!sp)
      throw new ConnectorError(
        "bad_response",
        `no enterprise app ${choice.entra.app} in Entra tenant ${choice.entra.tenant}`,
      );
    return {
      kind: "azure",
      http,
      entraTenant: choice.entra.tenant,
      spId: sp.id,
      appName: sp.displayName || choice.entra.app,
    };
  }
  if ("okta" in choice) {
    const http = oktaHttpFromEnv(env, choice.okta.url);
    const app = await findOktaApp(http, choice.okta.app);
    if (!app)
      throw new ConnectorError(
        "bad_response",
        `no Okta app ${choice.okta.app} at ${choice.okta.url}`,
      );
    return { kind: "okta", http, appId: app.id, appName: app.label || choice.okta.app };
  }
  return null;
}

export async function runReconcile(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const usage = usageExit(io, RECONCILE_USAGE, json);
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: "string" },
        ...CONNECTOR_OPTIONS,
        "sync-all": { type: "boolean" },
        json: { type: "boolean" },
        csv: { type: "string" },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (positionals.length) return usage(`unexpected argument: ${positionals[0]}`);
  const tenantArg = typeof values.tenant === "string" ? values.tenant.trim() : "";
  if (!tenantArg) return usage("missing --tenant <id-or-name>");
  const choice = connectorChoice(values as Record<string, string | undefined>, io.env);
  if ("problem" in choice) return usage(choice.problem as string);
  if (values["sync-all"] && !("entra" in choice))
    return usage("--sync-all goes with --entra-tenant and --entra-app");
  if (values.csv === "") return usage("--csv needs a file name");

  try {
    const grace = graceOf(io.env);
    const descope = descopeClientFromEnv(io.env);
    const tenant = await resolveTenant(descope, tenantArg);
    const source = await sourceOf(choice, io.env);
    let last = "Reading Descope users";
    io.stderr(`${last}…\n`);
    const { run, result } = await runToEnd(
      { descope, staging: memoryStaging(), now: io.now, graceMinutes: grace },
      newRun({
        runId: randomUUID(),
        tenantId: tenant.tenantId,
        tenantName: tenant.tenantName,
        source,
        syncAll: values["sync-all"] === true,
        now: io.now(),
        trigger: "cli",
      }),
      source,
      async (r) => {
        const line = progressLine(r);
        if (line.split(":")[0] !== last) io.stderr(`${line}\n`);
        last = line.split(":")[0] ?? "";
      },
    );
    if (typeof values.csv === "string") writeFileSync(values.csv, csvOf(result.rows));
    io.stdout(
      json
        ? `${JSON.stringify(reconcileReport(run, result))}\n`
        : `${reconcileText(run, result)}\n`,
    );
    return 0;
  } catch (e) {
    return failureExit(e, io, usage, json);
  }
}
