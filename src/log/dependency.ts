/**
 * A dependency (Redis, …) reported once per change of state: one warning when
 * it goes down, one line when it is back, nothing per retry in between.
 */
import type { Logger } from "pino";

export interface DependencyState {
  readonly name: string;
  /** "up" until the first failure is seen. */
  state(): "up" | "down";
  down(err: unknown): void;
  up(): void;
}

export function dependencyState(
  name: string,
  log: Logger,
  /** Where it is, as it can be shown (credentials masked): named in the lines. */
  at?: string,
): DependencyState {
  const where = at ? { at } : {};
  const label = name === "redis" ? "Redis" : name;
  let current: "up" | "down" = "up";
  let since = 0;
  return {
    name,
    state: () => current,
    down(err) {
      if (current === "down") return;
      current = "down";
      since = Date.now();
      log.error(
        { kind: "dependency", dependency: name, state: "down", ...where, err },
        `${label} unreachable${at ? ` at ${at}` : ""}: commands answer that they cannot work, and scimwatch recovers by itself when ${label} answers`,
      );
    },
    up() {
      if (current === "up") return;
      current = "up";
      log.info(
        { kind: "dependency", dependency: name, state: "up", ...where, downMs: Date.now() - since },
        `${label} reachable again`,
      );
    },
  };
}

/** Follows an ioredis client's events (errors while reconnecting are one state, not many lines). */
export function followRedis(
  client: {
    on(event: "error", fn: (e: unknown) => void): unknown;
    on(event: "ready", fn: () => void): unknown;
  },
  dep: DependencyState,
): void {
  client.on("error", (e) => dep.down(e));
  client.on("ready", () => dep.up());
}
