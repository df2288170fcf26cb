/**
 * `scimwatch act push-now|restart --tenant … --login … --entra-tenant … --entra-app …`:
 * a fix-it action from a terminal, for an operator who holds the credentials
 * (ENTRA_CLIENT_* to read, ENTRA_WRITE_CLIENT_* to write). `--dry-run` prints
 * the call and sends nothing; without `--yes` nothing is sent either.
 * Exit 0 done, 1 the call failed or could not be made, 2 bad usage.
 */
import { parseArgs } from "node:util";
import { findJob, findServicePrincipal } from "../connectors/entra-facts.js";
import { EntraHttp } from "../connectors/entra-http.js";
import { type ActionKind, callOf } from "../core/actions/model.js";
import { makeCall } from "../features/actions/calls.js";
import { entraHttpFromEnv } from "./idp-side.js";
import { failureExit, type Io, usageExit } from "./io.js";
import { ACT_USAGE } from "./usage.js";

const KINDS: Record<string, Exclude<ActionKind, "assign">> = {
  "push-now": "push_now",
  restart: "restart_job",
};

export async function runAct(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const usage = usageExit(io, ACT_USAGE, json);
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        tenant: { type: "string" },
        login: { type: "string" },
        "entra-tenant": { type: "string" },
        "entra-app": { type: "string" },
        "dry-run": { type: "boolean" },
        yes: { type: "boolean" },
        json: { type: "boolean" },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  const kind = KINDS[positionals[0] ?? ""];
  if (!kind) return usage(`which action? ${Object.keys(KINDS).join(" or ")}`);
  const entraTenant = values["entra-tenant"];
  const app = values["entra-app"];
  const login = typeof values.login === "string" ? values.login.trim() : "";
  if (typeof entraTenant !== "string" || typeof app !== "string")
    return usage("--entra-tenant and --entra-app name the Entra tenant and the enterprise app");
  if (kind === "push_now" && !login) return usage("--login: who to provision");
  if (!io.env.ENTRA_CLIENT_ID || !io.env.ENTRA_CLIENT_SECRET)
    return usage("ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET (the read app) are needed");
  if (!values["dry-run"] && (!io.env.ENTRA_WRITE_CLIENT_ID || !io.env.ENTRA_WRITE_CLIENT_SECRET))
    return usage("ENTRA_WRITE_CLIENT_ID and ENTRA_WRITE_CLIENT_SECRET (the write app) are needed");
  try {
    const read = entraHttpFromEnv(io.env);
    const sp = await findServicePrincipal(read, entraTenant, app);
    if (!sp) return usage(`no enterprise app ${app} in Entra tenant ${entraTenant}`);
    const job = await findJob(read, entraTenant, sp.id);
    if (!job) return usage(`${sp.displayName} has no provisioning job`);
    const target = {
      idp: "azure" as const,
      entraTenant,
      spId: sp.id,
      jobId: job.id,
      appName: sp.displayName || app,
    };
    const call = callOf(kind, target, login);
    if (values["dry-run"] || !values.yes) {
      io.stdout(json ? `${JSON.stringify({ dryRun: true, call })}\n` : `Would call: ${call}\n`);
      if (!values["dry-run"]) io.stderr("scimwatch: nothing sent: add --yes to make the call\n");
      return values["dry-run"] ? 0 : 2;
    }
    const write = new EntraHttp({
      clientId: io.env.ENTRA_WRITE_CLIENT_ID as string,
      clientSecret: io.env.ENTRA_WRITE_CLIENT_SECRET as string,
      loginUrl: io.env.ENTRA_LOGIN_URL,
      graphUrl: io.env.GRAPH_API_URL,
    });
    const r = await makeCall({ entraRead: read, entraWrite: write }, kind, target, login);
    if (json) io.stdout(`${JSON.stringify({ call, ...r })}\n`);
    else {
      io.stdout(`Sent: ${call}\nAnswer: ${r.state}: ${r.outcome}\n`);
      for (const s of r.steps ?? [])
        io.stdout(
          `  ${s.type || s.name}: ${s.status}${s.description ? ` — ${s.description}` : ""}\n`,
        );
    }
    return r.state === "done" ? 0 : 1;
  } catch (e) {
    return failureExit(e, io, usage, json);
  }
}
