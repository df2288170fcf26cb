/** Environment settings, validated with zod. Errors name the variable, never its value. */
import * as z from "zod";
import { CodedError } from "../core/failure.js";

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

const HINTS: Record<string, string> = {
  DESCOPE_PROJECT_ID: "the Descope project ID (Console › Project settings)",
  DESCOPE_MANAGEMENT_KEY: "a Descope management key (Console › Company › Management keys)",
  DESCOPE_BASE_URL: "an http(s) URL, e.g. https://api.descope.com",
  DESCOPE_TIMEOUT_MS: "milliseconds between 100 and 120000",
  DESCOPE_MAX_RETRY_WAIT_MS: "milliseconds between 0 and 600000",
};

/** Other names people use for a setting (Descope's SDKs call the base URL DESCOPE_BASE_URI). */
const ALIASES: Record<string, string> = { DESCOPE_BASE_URI: "DESCOPE_BASE_URL" };

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
