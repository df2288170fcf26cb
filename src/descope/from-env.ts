import { type DescopeEnv, descopeEnvSchema, parseEnv } from "../config/env.js";
import { DescopeClient, type DescopeClientOptions } from "./client.js";

/** Builds the Descope client from validated DESCOPE_* settings. */
export function descopeClientFromConfig(
  cfg: DescopeEnv,
  extra: Partial<DescopeClientOptions> = {},
): DescopeClient {
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

/** Builds the Descope client from the environment (throws ConfigError naming the variable). */
export function descopeClientFromEnv(env: NodeJS.ProcessEnv): DescopeClient {
  return descopeClientFromConfig(parseEnv(descopeEnvSchema, env));
}
