#!/usr/bin/env node
/** scimwatch command line: check, start, doctor, expect, leave, reconcile, act. */
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { CHECK_HELP, CHECK_USAGE, runCheck } from "./cli/check.js";
import { type Io, processIo } from "./cli/io.js";
import { runManifest } from "./cli/manifest.js";
import {
  ACT_HELP,
  ACT_USAGE,
  DOCTOR_HELP,
  DOCTOR_USAGE,
  EXPECT_HELP,
  EXPECT_USAGE,
  LEAVE_HELP,
  LEAVE_USAGE,
  MANIFEST_HELP,
  MANIFEST_USAGE,
  RECONCILE_HELP,
  RECONCILE_USAGE,
  START_HELP,
  START_USAGE,
} from "./cli/usage.js";
import { VERSION } from "./config/version.js";

// start and doctor load Bolt, BullMQ and Redis: they are imported only when asked, so `check` starts fast.

export const USAGE = `scimwatch — is this user provisioned over SCIM, and if not, why?

${CHECK_USAGE}
${START_USAGE}
${DOCTOR_USAGE}
${MANIFEST_USAGE}
${EXPECT_USAGE}
${RECONCILE_USAGE}
${LEAVE_USAGE}
${ACT_USAGE}

Every command reads ./.env (variables already set in the environment win).
\`scimwatch <command> --help\` for more; \`scimwatch --version\`.
`;

const HELP: Record<string, string> = {
  check: CHECK_HELP,
  start: START_HELP,
  doctor: DOCTOR_HELP,
  manifest: MANIFEST_HELP,
  expect: EXPECT_HELP,
  reconcile: RECONCILE_HELP,
  leave: LEAVE_HELP,
  act: ACT_HELP,
};

/** Reads ./.env into the environment, without overriding what is already set. */
function loadDotEnv(env: NodeJS.ProcessEnv): void {
  if (!existsSync(".env")) return;
  for (const [k, v] of Object.entries(parseEnv(readFileSync(".env", "utf8")))) {
    if (env[k] === undefined) env[k] = v;
  }
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command && HELP[command] && (rest.includes("--help") || rest.includes("-h"))) {
    io.stdout(HELP[command]);
    return 0;
  }
  loadDotEnv(io.env);
  switch (command) {
    case "--version":
    case "-v":
    case "version":
      io.stdout(`scimwatch ${VERSION}\n`);
      return 0;
    case "manifest":
      return runManifest(rest, io);
    case "check":
      return runCheck(rest, io);
    case "start":
      // dist/ is a bundle (scripts/build.mjs): the bot's stack traces point at src/ through its maps.
      process.setSourceMapsEnabled(true);
      return (await import("./cli/start.js")).runStart(rest, io);
    case "doctor":
      return (await import("./cli/doctor.js")).runDoctor(rest, io);
    case "expect":
      return (await import("./cli/expect.js")).runExpect(rest, io);
    case "act":
      return (await import("./cli/act.js")).runAct(rest, io);
    case "leave":
      return (await import("./cli/leave.js")).runLeave(rest, io);
    case "reconcile":
      return (await import("./cli/reconcile.js")).runReconcile(rest, io);
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
