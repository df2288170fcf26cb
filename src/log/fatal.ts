/**
 * A crash is one JSON line, then exit: an uncaught exception or an unhandled
 * rejection is logged at fatal through the logger (so secrets are scrubbed
 * and the stack stays one field), never Node's multi-line stack on stderr.
 */
import type { Logger } from "./logger.js";

type Kind = "uncaughtException" | "unhandledRejection";

export function onFatal(log: Logger, exit: (code: number) => void) {
  return (kind: Kind) => (reason: unknown) => {
    const err = reason instanceof Error ? reason : new Error(String(reason));
    log.fatal({ kind, err }, "scimwatch crashed");
    log.flush?.();
    exit(1);
  };
}

/** Installs the handlers for this process (`scimwatch start`). */
export function installFatalHandlers(log: Logger, exit = (code: number) => process.exit(code)) {
  const handle = onFatal(log, exit);
  process.on("uncaughtException", handle("uncaughtException"));
  process.on("unhandledRejection", handle("unhandledRejection"));
}
