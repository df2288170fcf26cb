#!/usr/bin/env node
/** scimwatch command line: check, start, doctor. */
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { CHECK_USAGE, runCheck } from "./cli/check.js";
import { type Io, processIo } from "./cli/io.js";

import { DOCTOR_USAGE, START_USAGE } from "./cli/usage.js";

// start and doctor load Bolt, BullMQ and Redis: they are imported only when asked, so `check` starts fast.

export const USAGE = `scimwatch — is this user provisioned over SCIM, and if not, why?

${CHECK_USAGE}
${START_USAGE}
${DOCTOR_USAGE}
`;

/** Reads ./.env into the environment for start and doctor, without overriding what is already set. */
function loadDotEnv(env: NodeJS.ProcessEnv): void {
  if (!existsSync(".env")) return;
  for (const [k, v] of Object.entries(parseEnv(readFileSync(".env", "utf8")))) {
    if (env[k] === undefined) env[k] = v;
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "start" || command === "doctor") loadDotEnv(io.env);
  switch (command) {
    case "check":
      return runCheck(rest, io);
    case "start":
      return (await import("./cli/start.js")).runStart(rest, io);
    case "doctor":
      return (await import("./cli/doctor.js")).runDoctor(rest, io);
    case "help":
    case "--help":
    case "-h":
      io.stdout(USAGE);
      return 0;
    default:
      io.stderr(`${command ? `scimwatch: unknown command: ${command}\n` : ""}${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`scimwatch: unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
