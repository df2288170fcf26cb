/** What the /metrics gauges read when scraped: the tail's state, the budget, hires and tenants by state, BullMQ's queues. */
import type { Queue } from "bullmq";
import { hireState } from "../core/hires/state.js";
import { keyActive } from "../core/scim-keys.js";
import { type MetricSources, mergeFamilies } from "../log/metrics.js";
import type { HireStore } from "../redis/hire-store.js";
import type { ScimKeyStore } from "../redis/scim-key-store.js";
import type { SlidingWindowBudget } from "../redis/sliding-window.js";
import type { TailStateStore } from "../redis/tail-state.js";
import type { TenantHealthStore } from "../redis/tenant-health-store.js";

export function metricSources(
  deps: {
    tailState: TailStateStore;
    auditBudget: SlidingWindowBudget;
    hires: HireStore;
    tenantHealth: TenantHealthStore;
    scimKeys: ScimKeyStore;
    now: () => number;
    settings: { graceMinutes: number; keyWarnDays: number[] };
  },
  queues: () => Queue[],
): MetricSources {
  const count = (states: string[]) => {
    const out: Record<string, number> = {};
    for (const s of states) out[s] = (out[s] ?? 0) + 1;
    return out;
  };
  return {
    async tail() {
      const st = await deps.tailState.get();
      const t = deps.now();
      return {
        lagSeconds: st.lastTo !== undefined ? Math.max(0, (t - st.lastTo) / 1000) : null,
        lastSuccessSeconds: st.lastSuccessAt !== undefined ? st.lastSuccessAt / 1000 : null,
        readToSeconds: st.lastTo !== undefined ? st.lastTo / 1000 : null,
      };
    },
    auditBudgetLeft: () => deps.auditBudget.remaining(),
    async hires() {
      const open = await deps.hires.getMany(await deps.hires.openIds());
      return count(
        open.map(({ hire }) => hireState(hire, deps.now(), deps.settings.graceMinutes).status),
      );
    },
    async scimKeysExpiring() {
      const within = deps.settings.keyWarnDays[0];
      if (within === undefined) return null;
      const now = deps.now();
      const until = now + within * 86_400_000;
      const snaps = await deps.scimKeys.all();
      return snaps
        .flatMap((s) => s.keys)
        .filter((k) => keyActive(k) && k.expiresAt !== null && k.expiresAt <= until).length;
    },
    async tenants() {
      return count((await deps.tenantHealth.all()).map((r) => r.state));
    },
    async queues() {
      return mergeFamilies(await Promise.all(queues().map((q) => q.exportPrometheusMetrics())));
    },
  };
}
