import { z } from "zod";
import { descopeEnvSchema, parseEnv } from "../config/env.js";
import { DescopeClient, type DescopeClientOptions } from "./client.js";

const descopeTuningSchema = descopeEnvSchema.extend({
  DESCOPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  DESCOPE_MAX_RETRY_WAIT_MS: z.coerce.number().int().min(0).max(600_000).optional(),
});

/** Builds the Descope client from DESCOPE_* variables (throws ConfigError naming the variable). */
export function descopeClientFromEnv(
  env: NodeJS.ProcessEnv,
  extra: Partial<DescopeClientOptions> = {},
): DescopeClient {
  const cfg = parseEnv(descopeTuningSchema, env, {
    DESCOPE_TIMEOUT_MS: "milliseconds between 100 and 120000",
    DESCOPE_MAX_RETRY_WAIT_MS: "milliseconds between 0 and 600000",
  });
  return new DescopeClient({
    projectId: cfg.DESCOPE_PROJECT_ID,
    managementKey: cfg.DESCOPE_MANAGEMENT_KEY,
    baseUrl: cfg.DESCOPE_BASE_URL,
    ...(cfg.DESCOPE_TIMEOUT_MS ? { timeoutMs: cfg.DESCOPE_TIMEOUT_MS } : {}),
    ...(cfg.DESCOPE_MAX_RETRY_WAIT_MS !== undefined
      ? { maxRetryWaitMs: cfg.DESCOPE_MAX_RETRY_WAIT_MS }
      : {}),
    ...extra,
  });
}
