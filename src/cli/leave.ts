/** `scimwatch leave --tenant … --file …`: leavers from a CSV (email, name, last_day) or JSON-lines file. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { checkLeaverRows } from "../core/leavers/intake.js";
import { resolveTenant } from "../descope/tenants.js";
import { onboardingChannelFor } from "../features/hires/alert-channel.js";
import { readRows } from "../features/hires/intake.js";
import { registerLeavers } from "../features/leavers/register.js";
import { createLogger } from "../log/logger.js";
import { buildServices } from "../services.js";
import { failureExit, type Io } from "./io.js";
import { LEAVE_USAGE } from "./usage.js";

export async function runLeave(argv: string[], io: Io): Promise<number> {
  const usage = (m: string) => {
    io.stderr(`scimwatch: ${m}\n${LEAVE_USAGE}\n`);
    return 2;
  };
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
  let parsed: ReturnType<typeof readRows>;
  try {
    parsed = readRows(readFileSync(values.file === "-" ? 0 : values.file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return usage(
      code
        ? `cannot read ${values.file}: ${code}`
        : `${values.file} is not valid CSV: ${(e as Error).message}`,
    );
  }
  let s: ReturnType<typeof buildServices> | undefined;
  try {
    const cfg = loadBotConfig(io.env);
    s = buildServices(cfg, {
      log: createLogger({ level: "error", destination: process.stderr, secrets: secretsOf(cfg) }),
    });
    const tenant = await resolveTenant(s.descope, values.tenant);
    const intake = checkLeaverRows(parsed.rows, io.now());
    const channelId =
      values.channel ??
      (await onboardingChannelFor(s.links, tenant.tenantId, s.settings.alertChannel)) ??
      "";
    // Stored here; the bot's next evaluation (after its next audit read) posts each checklist.
    const r = intake.leavers.length
      ? await registerLeavers(
          s.leaver,
          { ...tenant, leavers: intake.leavers, channelId, registeredBy: "cli", source: "file" },
          { background: true },
        )
      : { registered: [], already: [] };
    const rejected = [...parsed.bad, ...intake.rejected];
    if (values.json)
      io.stdout(
        `${JSON.stringify({ registered: r.registered.length, already: r.already.length, rejected })}\n`,
      );
    else {
      io.stdout(
        `Registered ${r.registered.length} leaver(s) in ${tenant.tenantName}${channelId ? `; checklists in ${channelId}` : ""}${r.already.length ? ` (${r.already.length} already watched)` : ""}.\n`,
      );
      for (const x of rejected)
        io.stdout(
          `  not registered${"row" in x && x.row !== undefined ? ` (line ${x.row})` : ""}: ${x.input} — ${x.reason}\n`,
        );
    }
    return 0;
  } catch (e) {
    const code = failureExit(e, io, usage);
    return code === 2 ? code : 1;
  } finally {
    s?.hires.close();
    s?.redis.disconnect();
  }
}
