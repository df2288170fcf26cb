/** `scimwatch start`: runs the bot until SIGTERM/SIGINT. */
import { parseArgs } from "node:util";
import { loadBotConfig } from "../config/bot.js";
import { ConfigError } from "../config/env.js";
import { installFatalHandlers } from "../log/fatal.js";
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
  let cfg: ReturnType<typeof loadBotConfig>;
  try {
    cfg = loadBotConfig(io.env);
    runtime = createRuntime(cfg, { role: role as Role });
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`scimwatch: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  installFatalHandlers(runtime.log);
  try {
    await runtime.start();
  } catch (e) {
    io.stderr(`scimwatch: could not start: ${(e as Error).message}${startHint(e, cfg)}\n`);
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

/** What to do about the usual start-up failures. */
export function startHint(
  e: unknown,
  cfg: { mode: string; PORT: number; HOST?: string | undefined },
): string {
  const err = e as {
    code?: string;
    data?: { error?: string };
    message?: string;
    hostname?: string;
  };
  const slackError = err.data?.error ?? "";
  if (
    cfg.mode === "socket" &&
    /invalid_auth|not_authed|not_allowed_token_type|token_revoked/.test(slackError)
  ) {
    return " — Slack refused SLACK_APP_TOKEN: create an app-level token with connections:write (Basic Information › App-Level Tokens), or unset it to run in HTTP mode";
  }
  if (err.code === "EADDRINUSE") return ` — port ${cfg.PORT} is in use: set PORT to a free one`;
  // Listening on a HOST that is not this machine's: the address to fix is HOST's, not Redis's.
  if (
    cfg.HOST &&
    (err.code === "EADDRNOTAVAIL" || (err.code === "ENOTFOUND" && err.hostname === cfg.HOST))
  )
    return " — HOST is not an address of this machine: set it to 0.0.0.0 (all interfaces) or 127.0.0.1";
  if (/ECONNREFUSED|ENOTFOUND/.test(String(err.message)))
    return " — check REDIS_URL and SLACK_API_URL";
  return "";
}
