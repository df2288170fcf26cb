/** Environment settings, validated with zod. Errors name the variable, never its value. */
import * as z from "zod";
import { CodedError } from "../core/failure.js";
import { HINTS } from "./hints.js";

export class ConfigError extends CodedError {
  override readonly name = "ConfigError";
  constructor(message: string) {
    super("config", message);
  }
}

const nonEmpty = z.string().trim().min(1);

export const descopeEnvSchema = z.object({
  DESCOPE_PROJECT_ID: nonEmpty,
  DESCOPE_MANAGEMENT_KEY: nonEmpty,
  DESCOPE_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DESCOPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  DESCOPE_MAX_RETRY_WAIT_MS: z.coerce.number().int().min(0).max(600_000).optional(),
});
export type DescopeEnv = z.infer<typeof descopeEnvSchema>;

/** Other names people use for a setting (Descope's SDKs call the base URL DESCOPE_BASE_URI). */
const ALIASES: Record<string, string> = { DESCOPE_BASE_URI: "DESCOPE_BASE_URL" };

/** What a setting should be set to, for any message that names it (start, check, doctor). */
export function settingHint(name: string): string | undefined {
  return HINTS[name];
}

/** A value left as .env.example ships it: "xoxb-...", "xapp-…", "<your key>". */
const PLACEHOLDER = /^(?:[A-Za-z0-9]+-)?(?:\.\.\.|…)$|^<[^>]*>$/;

/** The settings whose value is still a placeholder. Pure. */
export function placeholdersIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([, v]) => typeof v === "string" && PLACEHOLDER.test(v.trim()))
    .map(([k]) => k);
}

/** Parses env with a schema; on failure throws one ConfigError line naming the variable. */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv,
  hints: Record<string, string> = {},
): z.output<S> {
  // Treat empty strings as unset so `FOO=` in a .env file means "not set".
  const cleaned: Record<string, string> = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
  for (const [alias, name] of Object.entries(ALIASES)) {
    const v = cleaned[alias];
    if (v !== undefined && cleaned[name] === undefined) cleaned[name] = v;
  }
  const shape = schema.shape as Record<string, unknown>;
  const left = placeholdersIn(cleaned).find((n) => n in shape);
  if (left) {
    const hint = hints[left] ?? HINTS[left];
    throw new ConfigError(
      `${left} is still .env.example's placeholder${hint ? `: set it to ${hint}` : ""}${left === "SLACK_APP_TOKEN" ? ", or leave it empty for HTTP mode" : ""}`,
    );
  }
  const res = schema.safeParse(cleaned);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  const missing = cleaned[name] === undefined;
  const hint = hints[name] ?? HINTS[name];
  throw new ConfigError(
    `${name} is ${missing ? "not set" : "malformed"}${hint ? `: set it to ${hint}` : ""}`,
  );
}
