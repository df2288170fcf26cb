import { failureOf } from "../core/failure.js";

/** What a CLI command may touch; injected so commands can run in-process in tests. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => number;
}

export const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  now: Date.now,
};

/**
 * A command's failure as an answer: bad usage goes to `usage` (exit 2), an
 * expected failure is one line on stderr (and, with `--json`, an error object
 * on stdout) with its exit code; anything else is a bug and is thrown.
 */
export function failureExit(
  e: unknown,
  io: Io,
  usage: (message: string) => number,
  json = false,
): number {
  const f = failureOf(e);
  if (!f.expected) throw e;
  if (f.exitCode === 2) return usage(f.message);
  io.stderr(`scimwatch: ${f.message}\n`);
  if (json) io.stdout(`${JSON.stringify({ error: { code: f.code, message: f.message } })}\n`);
  return f.exitCode;
}

/**
 * A command's bad-usage answer: the reason and the usage on stderr (with
 * `--json`, an error object on stdout too), exit code 2.
 */
export function usageExit(io: Io, usageText: string, json = false): (message: string) => number {
  return (message) => {
    io.stderr(`scimwatch: ${message}\n${usageText}\n`);
    if (json) io.stdout(`${JSON.stringify({ error: { code: "usage", message } })}\n`);
    return 2;
  };
}
