/** `scimwatch start`: runs the bot until SIGTERM/SIGINT. */
import { parseArgs } from "node:util";
import { loadBotConfig } from "../config/bot.js";
import { ConfigError } from "../config/env.js";
import { createRuntime, type Role } from "../runtime.js";
import type { Io } from "./io.js";

import { START_USAGE } from "./usage.js";

export async function runStart(argv: string[], io: Io): Promise<number> {
  let role: string;
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: { role: { type: "string", default: "all" } },
    });
    role = values.role ?? "all";
  } catch (e) {
    io.stderr(`scimwatch: ${(e as Error).message}\n${START_USAGE}\n`);
    return 2;
  }
  if (!["all", "bot", "worker"].includes(role)) {
    io.stderr(`scimwatch: unknown role: ${role}\n${START_USAGE}\n`);
    return 2;
  }
  let runtime: ReturnType<typeof createRuntime>;
  try {
    runtime = createRuntime(loadBotConfig(io.env), { role: role as Role });
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`scimwatch: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    await runtime.start();
  } catch (e) {
    io.stderr(`scimwatch: could not start: ${(e as Error).message}\n`);
    await runtime.stop();
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      runtime.log.info({ signal }, "shutting down");
      void runtime.stop().then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  return 0;
}
