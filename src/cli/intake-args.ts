/** What `expect` and `leave` share: --tenant, --file (CSV or JSON lines, "-" for stdin), --channel, --json, read and parsed once. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { resolveTenant } from "../descope/tenants.js";
import { onboardingChannelFor } from "../features/hires/alert-channel.js";
import { readRows } from "../features/hires/intake.js";
import { createLogger } from "../log/logger.js";
import { buildServices, type Services } from "../services.js";
import { failureExit, type Io, usageExit } from "./io.js";

export interface IntakeArgs {
  tenant: string;
  file: string;
  channel?: string | undefined;
  json: boolean;
  parsed: ReturnType<typeof readRows>;
}

/** The arguments and the file's rows, or the usage exit code (after `usage` said why). */
export function intakeArgs(argv: string[], usage: (m: string) => number): IntakeArgs | number {
  let values: { tenant?: string; file?: string; channel?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        tenant: { type: "string" },
        file: { type: "string" },
        channel: { type: "string" },
        json: { type: "boolean" },
      },
    }));
  } catch (e) {
    return usage((e as Error).message);
  }
  if (!values.tenant) return usage("missing --tenant");
  if (!values.file) return usage("missing --file");
  if (values.channel && !/^[CG][A-Z0-9]{2,}$/.test(values.channel))
    return usage("--channel takes a channel ID (C…)");
  let text: string;
  try {
    text = readFileSync(values.file === "-" ? 0 : values.file, "utf8");
  } catch (e) {
    return usage(
      `cannot read ${values.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return {
      tenant: values.tenant,
      file: values.file,
      channel: values.channel,
      json: values.json === true,
      parsed: readRows(text),
    };
  } catch (e) {
    return usage(`${values.file} is not valid CSV: ${(e as Error).message}`);
  }
}

/**
 * A file command's whole frame: its arguments and rows, the bot's services,
 * the tenant, the channel for its checklists (--channel, else the tenant's
 * onboarding channel, its linked channel, the alert channel); exit 2 for bad
 * usage, 1 for any other failure; the connections closed after.
 */
export async function runIntake(
  argv: string[],
  io: Io,
  usageText: string,
  work: (c: {
    args: IntakeArgs;
    s: Services;
    tenant: { tenantId: string; tenantName: string };
    channelId: string;
  }) => Promise<number>,
): Promise<number> {
  const usage = usageExit(io, usageText);
  const args = intakeArgs(argv, usage);
  if (typeof args === "number") return args;
  let s: Services | undefined;
  try {
    const cfg = loadBotConfig(io.env);
    s = buildServices(cfg, {
      log: createLogger({ level: "error", destination: process.stderr, secrets: secretsOf(cfg) }),
    });
    const tenant = await resolveTenant(s.descope, args.tenant);
    const channelId =
      args.channel ??
      (await onboardingChannelFor(s.links, tenant.tenantId, s.settings.alertChannel)) ??
      "";
    return await work({ args, s, tenant, channelId });
  } catch (e) {
    const code = failureExit(e, io, usage);
    return code === 2 ? code : 1;
  } finally {
    s?.hires.close();
    s?.redis.disconnect();
  }
}
