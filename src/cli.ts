#!/usr/bin/env node
/** scimwatch command line: check, start, doctor. */
import { CHECK_USAGE, runCheck } from "./cli/check.js";
import { type Io, processIo } from "./cli/io.js";

export const USAGE = `scimwatch — is this user provisioned over SCIM, and if not, why?

${CHECK_USAGE}
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "check":
      return runCheck(rest, io);
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
