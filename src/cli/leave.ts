/** `scimwatch leave --tenant … --file …`: leavers from a CSV (email, name, last_day) or JSON-lines file. */
import { checkLeaverRows } from "../core/leavers/intake.js";
import { registerLeavers } from "../features/leavers/register.js";
import { runIntake } from "./intake-args.js";
import type { Io } from "./io.js";
import { LEAVE_USAGE } from "./usage.js";

export function runLeave(argv: string[], io: Io): Promise<number> {
  return runIntake(argv, io, LEAVE_USAGE, async ({ args, s, tenant, channelId }) => {
    const intake = checkLeaverRows(args.parsed.rows, io.now());
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
    const rejected = [...args.parsed.bad, ...intake.rejected];
    if (args.json)
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
  });
}
