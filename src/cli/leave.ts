/** `scimwatch leave --tenant … --file …`: leavers from a CSV (email, name, last_day) or JSON-lines file. */
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { checkLeaverRows } from "../core/leavers/intake.js";
import { resolveTenant } from "../descope/tenants.js";
import { onboardingChannelFor } from "../features/hires/alert-channel.js";
import { registerLeavers } from "../features/leavers/register.js";
import { createLogger } from "../log/logger.js";
import { buildServices } from "../services.js";
import { intakeArgs } from "./intake-args.js";
import { failureExit, type Io } from "./io.js";
import { LEAVE_USAGE } from "./usage.js";

export async function runLeave(argv: string[], io: Io): Promise<number> {
  const usage = (m: string) => {
    io.stderr(`scimwatch: ${m}\n${LEAVE_USAGE}\n`);
    return 2;
  };
  const args = intakeArgs(argv, usage);
  if (typeof args === "number") return args;
  const { parsed } = args;
  const values = args;
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
    // Stored, then evaluated here (checklists posted, as `expect` does); what fails is caught up
    // by the bot's next evaluation.
    const r = intake.leavers.length
      ? await registerLeavers(s.leaver, {
          ...tenant,
          leavers: intake.leavers,
          channelId,
          registeredBy: "cli",
          source: "file",
        })
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
