/**
 * Key families used outside the stores that own them, named once here (the
 * stores in this folder name their own). Every key is under the deployment's
 * prefix, braced for Redis Cluster.
 */
import type { Keyer } from "./client.js";

export function redisKeys(key: Keyer) {
  return {
    /** The audit tail's run lock (redis/lock.ts). */
    tailLock: () => key("tail", "lock"),
    /** scimwatch's own-health episode record (features/own-health.ts). */
    ownHealth: () => key("own-health"),
    /** Graph's reports budget, per Entra tenant (5 requests per 10 s). */
    graphReportsBudget: (tenant: string) => key("budget", "graph-reports", tenant),
    /** A Slack channel's next free post slot, and the pause Slack asked for (redis/channel-pace.ts). */
    pace: (channel: string) => key("pace", channel),
    pacePaused: (channel: string) => key("pace", channel, "paused"),
  };
}
