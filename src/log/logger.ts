/**
 * Structured JSON-line logs (pino), with secrets redacted: known secret
 * values are scrubbed from every message, and secret-named fields are censored.
 * Bolt's logger goes through the same logger.
 */
import type { Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { type Logger, pino } from "pino";

export type { Logger };

const SECRET_FIELDS = [
  "token",
  "botToken",
  "appToken",
  "signingSecret",
  "managementKey",
  "authorization",
  "password",
  "secret",
];

/** Replaces secret values and token-shaped strings in free text. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join("[redacted]");
  return (
    out
      .replace(/xox[abposr]-[A-Za-z0-9-]{6,}/g, "xox?-[redacted]")
      .replace(/xapp-[A-Za-z0-9-]{6,}/g, "xapp-[redacted]")
      .replace(/((?:Bearer|DPoP|SSWS)\s+)[^\s"',]+/gi, "$1[redacted]")
      .replace(
        /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
        "[redacted private key]",
      )
      // A JWK's private part, plain or inside escaped JSON.
      .replace(/(\\?"(?:d|p|q|dp|dq|qi)\\?"\s*:\s*\\?")[A-Za-z0-9_-]{16,}/g, "$1[redacted]")
  );
}

export function createLogger(opts: {
  level?: string;
  secrets?: readonly string[];
  destination?: NodeJS.WritableStream;
}): Logger {
  const secrets = (opts.secrets ?? []).filter(Boolean);
  const paths = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino(
    {
      level: opts.level ?? "info",
      base: { app: "scimwatch" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((a) => (typeof a === "string" ? scrub(a, secrets) : a));
          method.apply(this, clean as Parameters<typeof method>);
        },
      },
      serializers: {
        // Stack traces are kept (one JSON field, never multi-line output), scrubbed like messages.
        err: (e: Error) => ({
          type: e?.name,
          message: scrub(String(e?.message ?? e), secrets),
          ...(typeof e?.stack === "string" ? { stack: scrub(e.stack, secrets) } : {}),
          ...(typeof (e as { code?: unknown })?.code === "string"
            ? { code: (e as unknown as { code: string }).code }
            : {}),
        }),
      },
    },
    opts.destination ?? process.stdout,
  );
}

/** Adapts pino to Bolt's Logger interface. */
export function boltLogger(log: Logger, secrets: readonly string[] = []): BoltLogger {
  let level = log.level as LogLevel;
  const child = log.child({ component: "bolt" });
  const fmt = (msg: unknown[]) =>
    scrub(
      msg
        .map((m) => (typeof m === "string" ? m : m instanceof Error ? m.message : safeJson(m)))
        .join(" "),
      secrets,
    );
  return {
    debug: (...m: unknown[]) => child.debug(fmt(m)),
    info: (...m: unknown[]) => child.info(fmt(m)),
    warn: (...m: unknown[]) => child.warn(fmt(m)),
    error: (...m: unknown[]) => child.error(fmt(m)),
    setLevel: (l: LogLevel) => {
      level = l;
      child.level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
