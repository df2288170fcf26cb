/** What `expect` and `leave` share: --tenant, --file (CSV or JSON lines, "-" for stdin), --channel, --json, read and parsed once. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readRows } from "../features/hires/intake.js";

export interface IntakeArgs {
  tenant: string;
  file: string;
  channel?: string | undefined;
  json: boolean;
  parsed: ReturnType<typeof readRows>;
}

/** The arguments and the file's rows, or the usage exit code (after `usage` said why). */
export function intakeArgs(argv: string[], usage: (m: string) => number): IntakeArgs | number {
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
  try {
    return {
      tenant: values.tenant,
      file: values.file,
      channel: values.channel,
      json: values.json === true,
      parsed: readRows(text),
    };
  } catch (e) {
    return usage(`${values.file} is not valid CSV: ${(e as Error).message}`);
  }
}
