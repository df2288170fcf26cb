/** `scimwatch expect --tenant … --file …`: expected hires from a CSV or JSON-lines file. */
import { checkRows, registerIntake } from "../features/hires/intake.js";
import { registerHires } from "../features/hires/register.js";
import { runIntake } from "./intake-args.js";
import type { Io } from "./io.js";
import { EXPECT_USAGE } from "./usage.js";

export function runExpect(argv: string[], io: Io): Promise<number> {
  return runIntake(argv, io, EXPECT_USAGE, async ({ args, s, tenant, channelId }) => {
    const { parsed } = args;
    const intake = checkRows(parsed.rows, io.now());
    const r = await registerIntake(intake, (emails) =>
      registerHires(
        { ...s, graceMinutes: s.settings.graceMinutes },
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
    if (args.json)
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
  });
}
