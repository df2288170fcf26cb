/** `scimwatch expect --tenant … --file …`: expected hires from a CSV or JSON-lines file. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBotConfig, secretsOf } from "../config/bot.js";
import { resolveTenant } from "../descope/tenants.js";
import { onboardingChannelFor } from "../features/hires/alert-channel.js";
import { checkRows, readRows, registerIntake } from "../features/hires/intake.js";
import { registerHires } from "../features/hires/register.js";
import { createLogger } from "../log/logger.js";
import { buildServices } from "../services.js";
import { failureExit, type Io } from "./io.js";
import { EXPECT_USAGE } from "./usage.js";

export async function runExpect(argv: string[], io: Io): Promise<number> {
  const usage = (m: string) => {
    io.stderr(`scimwatch: ${m}\n${EXPECT_USAGE}\n`);
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
  let text: string;
  try {
    text = readFileSync(values.file === "-" ? 0 : values.file, "utf8");
  } catch (e) {
    return usage(
      `cannot read ${values.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let parsed: ReturnType<typeof readRows>;
  try {
    parsed = readRows(text);
  } catch (e) {
    return usage(`${values.file} is not valid CSV: ${(e as Error).message}`);
  }
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
