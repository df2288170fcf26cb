/** `scimwatch expect --tenant … --file …`: expected hires from a CSV or JSON-lines file. */
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { resolveTenant } from "../descope/tenants.js";
import { onboardingChannelFor } from "../features/hires/alert-channel.js";
import { checkRows, registerIntake } from "../features/hires/intake.js";
import { registerHires } from "../features/hires/register.js";
import { createLogger } from "../log/logger.js";
import { buildServices } from "../services.js";
import { intakeArgs } from "./intake-args.js";
import { failureExit, type Io } from "./io.js";
import { EXPECT_USAGE } from "./usage.js";

export async function runExpect(argv: string[], io: Io): Promise<number> {
  const usage = (m: string) => {
    io.stderr(`scimwatch: ${m}\n${EXPECT_USAGE}\n`);
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
    const intake = checkRows(parsed.rows, io.now());
    const channelId =
      values.channel ??
      (await onboardingChannelFor(s.links, tenant.tenantId, s.settings.alertChannel)) ??
      "";
    const services = s;
    const r = await registerIntake(intake, (emails) =>
      registerHires(
        { ...services, graceMinutes: services.settings.graceMinutes },
        {
          ...tenant,
          emails,
          assignedAt: io.now(),
          channelId,
          userId: "cli",
          details: intake.details,
        },
      ),
    );
    const rejected = [...parsed.bad, ...r.rejected];
    if (values.json)
      io.stdout(
        `${JSON.stringify({ registered: r.registered, rejected, ...(r.postError ? { postError: r.postError } : {}) })}\n`,
      );
    else {
      io.stdout(
        `Registered ${r.registered} expected hire(s) in ${tenant.tenantName}${channelId ? `; checklist in ${channelId}` : ""}.\n`,
      );
      for (const x of rejected)
        io.stdout(
          `  not registered${"row" in x && x.row !== undefined ? ` (line ${x.row})` : ""}: ${x.input} — ${x.reason}\n`,
        );
      if (r.postError)
        io.stdout(
          `  the checklist could not be posted (${r.postError}); it is posted after the next audit read.\n`,
        );
    }
    return 0;
  } catch (e) {
    // Bad usage is 2; any other failure of a registration is 1.
    const code = failureExit(e, io, usage);
    return code === 2 ? code : 1;
  } finally {
    s?.hires.close();
    s?.redis.disconnect();
  }
}
