/**
 * `scimwatch act <action> --tenant … [--login …]`: a fix-it action from a
 * terminal, for an operator who holds the credentials (no approval: the
 * operator is the second pair of eyes). With `--tenant` alone, the bot's
 * settings (.env) and the tenant's stored connection and write access say
 * what to call, as in Slack; `--entra-tenant`/`--entra-app` name an Entra app
 * directly (ENTRA_CLIENT_* to read, ENTRA_WRITE_CLIENT_* to write), without
 * the bot's settings. `--dry-run` prints the call and sends nothing; without
 * `--yes` nothing is sent either. Exit 0 done, 1 the call failed or could not
 * be made, 2 bad usage.
 */
import { parseArgs } from "node:util";
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { findJob, findServicePrincipal } from "../connectors/entra-facts.js";
import {
  type Action,
  type ActionKind,
  callOf,
  DESCOPE_KINDS,
  keySubject,
} from "../core/actions/model.js";
import { VERDICT_TITLES } from "../core/diagnosis/verdicts.js";
import { resolveTenant } from "../descope/tenants.js";
import { targetOf } from "../features/actions/access.js";
import { makeCall, type Outcome, quarantineOf } from "../features/actions/calls.js";
import { clientsFor, counted } from "../features/actions/run.js";
import { createLogger } from "../log/logger.js";
import { buildServices, type Services } from "../services.js";
import { entraHttpFromEnv } from "./idp-side.js";
import { failureExit, type Io, usageExit } from "./io.js";
import { ACT_USAGE } from "./usage.js";

const KINDS: Record<string, ActionKind> = {
  "push-now": "push_now",
  restart: "restart_job",
  assign: "assign",
  "rotate-key": "rotate_key",
  "revoke-old-keys": "revoke_old_key",
};

interface ActArgs {
  kind: ActionKind;
  tenant?: string | undefined;
  login: string;
  entraTenant?: string | undefined;
  entraApp?: string | undefined;
  sso?: string | undefined;
  keep?: string | undefined;
  dryRun: boolean;
  yes: boolean;
  json: boolean;
}

function actArgs(argv: string[], usage: (m: string) => number): ActArgs | number {
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
        sso: { type: "string" },
        keep: { type: "string" },
        "dry-run": { type: "boolean" },
        yes: { type: "boolean" },
        json: { type: "boolean" },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  const kind = KINDS[positionals[0] ?? ""];
  if (!kind) return usage(`which action? ${Object.keys(KINDS).join(", ")}`);
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string).trim() : "");
  const a: ActArgs = {
    kind,
    tenant: str("tenant") || undefined,
    login: str("login"),
    entraTenant: str("entra-tenant") || undefined,
    entraApp: str("entra-app") || undefined,
    sso: str("sso") || undefined,
    keep: str("keep") || undefined,
    dryRun: values["dry-run"] === true,
    yes: values.yes === true,
    json: values.json === true,
  };
  if (Boolean(a.entraTenant) !== Boolean(a.entraApp))
    return usage("--entra-tenant and --entra-app go together");
  if (a.entraTenant && kind !== "push_now" && kind !== "restart_job")
    return usage(`${positionals[0]} works through the tenant's stored connection: give --tenant`);
  if (!a.entraTenant && !a.tenant) return usage("--tenant: the Descope tenant (ID or name)");
  if ((kind === "push_now" || kind === "assign") && !a.login)
    return usage("--login: who to provision");
  if (kind === "revoke_old_key" && !a.keep)
    return usage("--keep <keyId>: the new key that stays active");
  return a;
}

/** Prints the call (dry run or no --yes) and says whether to go on: null to go on, else the exit code. */
function confirm(a: ActArgs, io: Io, call: string): number | null {
  if (a.dryRun || !a.yes) {
    io.stdout(a.json ? `${JSON.stringify({ dryRun: true, call })}\n` : `Would call: ${call}\n`);
    if (!a.dryRun) io.stderr("scimwatch: nothing sent: add --yes to make the call\n");
    return a.dryRun ? 0 : 2;
  }
  return null;
}

function report(a: ActArgs, io: Io, call: string, r: Outcome, verdictAfter: string | null) {
  const { secret, ...rest } = r;
  if (a.json)
    io.stdout(
      `${JSON.stringify({ call, ...rest, verdictAfter, ...(secret ? { token: secret } : {}) })}\n`,
    );
  else {
    io.stdout(`Sent: ${call}\nAnswer: ${r.state}: ${r.outcome}\n`);
    for (const s of r.steps ?? [])
      io.stdout(
        `  ${s.type || s.name}: ${s.status}${s.description ? ` — ${s.description}` : ""}\n`,
      );
    if (verdictAfter) io.stdout(`Verdict after: ${verdictAfter}\n`);
    // The operator holds the credentials: the new key's token is theirs, here, once.
    if (secret) io.stdout(`New SCIM key token (shown once, not stored): ${secret}\n`);
  }
  return r.state === "done" ? 0 : 1;
}

export async function runAct(argv: string[], io: Io): Promise<number> {
  const json = argv.includes("--json");
  const usage = usageExit(io, ACT_USAGE, json);
  const a = actArgs(argv, usage);
  if (typeof a === "number") return a;
  return a.entraTenant ? actOnEntraApp(a, io, usage) : actOnTenant(a, io, usage);
}

/** `--entra-tenant`/`--entra-app`: Entra's push now or restart, without the bot's settings. */
async function actOnEntraApp(a: ActArgs, io: Io, usage: (m: string) => number): Promise<number> {
  const entraTenant = a.entraTenant as string;
  const app = a.entraApp as string;
  if (!io.env.ENTRA_CLIENT_ID || !io.env.ENTRA_CLIENT_SECRET)
    return usage("ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET (the read app) are needed");
  if (!a.dryRun && (!io.env.ENTRA_WRITE_CLIENT_ID || !io.env.ENTRA_WRITE_CLIENT_SECRET))
    return usage("ENTRA_WRITE_CLIENT_ID and ENTRA_WRITE_CLIENT_SECRET (the write app) are needed");
  try {
    const read = entraHttpFromEnv(io.env);
    const sp = await findServicePrincipal(read, entraTenant, app);
    if (!sp) return usage(`no enterprise app ${app} in Entra tenant ${entraTenant}`);
    const job = await findJob(read, entraTenant, sp.id);
    if (!job) return usage(`${sp.displayName} has no provisioning job`);
    const target: Action["target"] = {
      idp: "azure",
      entraTenant,
      spId: sp.id,
      jobId: job.id,
      appName: sp.displayName || app,
    };
    const call = callOf(a.kind, target, a.login);
    const stop = confirm(a, io, call);
    if (stop !== null) return stop;
    const write = entraHttpFromEnv(io.env, "write");
    const r = await makeCall({ entraRead: read, entraWrite: write }, a.kind, target, a.login);
    return report(a, io, call, r, null);
  } catch (e) {
    return failureExit(e, io, usage, a.json);
  }
}

/** `--tenant`: the bot's settings and the tenant's stored connection decide, as in Slack. */
async function actOnTenant(a: ActArgs, io: Io, usage: (m: string) => number): Promise<number> {
  let s: Services | undefined;
  try {
    const cfg = loadBotConfig(io.env);
    s = buildServices(cfg, {
      log: createLogger({ level: "info", destination: process.stderr, secrets: secretsOf(cfg) }),
    });
    const tenant = await resolveTenant(s.descope, a.tenant as string);
    const subject = DESCOPE_KINDS.has(a.kind) ? keySubject(a.sso ?? null, a.keep) : a.login;
    const t = await targetOf(s.action, a.kind, tenant.tenantId, subject, "operator");
    if (!t.ok) {
      const message = `${a.kind} is not possible for ${tenant.tenantName}: ${t.why}`;
      io.stderr(`scimwatch: ${message}\n`);
      if (a.json) io.stdout(`${JSON.stringify({ error: { code: "not_possible", message } })}\n`);
      return 1;
    }
    const call = `${callOf(a.kind, t.target, subject)}${await quarantineOf(s.entra, a.kind, t.target)}`;
    const stop = confirm(a, io, call);
    if (stop !== null) return stop;
    const r = await makeCall(clientsFor(s.action, tenant.tenantId), a.kind, t.target, subject);
    // One structured line and count per action, as from Slack (never the token).
    counted(s.action, { kind: a.kind, tenantId: tenant.tenantId }, r.state, "cli");
    const after = DESCOPE_KINDS.has(a.kind)
      ? null
      : await s.checks
          .check({ loginId: a.login, tenant: tenant.tenantId })
          .then((d) => VERDICT_TITLES[d.verdict])
          .catch(() => null);
    return report(a, io, call, r, after);
  } catch (e) {
    const code = failureExit(e, io, usage, a.json);
    return code === 2 ? code : 1;
  } finally {
    s?.hires.close();
    s?.redis.disconnect();
  }
}
