/**
 * Reads that change rarely and that every check and every replica repeats
 * (the tenant list, tenant and SSO settings): kept in memory for a short
 * while, and optionally in a cache every replica shares (Redis), so a
 * thousand checks across three replicas cost Descope one call per period.
 * Failures are never kept; a broken shared cache is only a miss; what comes
 * back from it is validated again (zod) before use.
 */
import type * as z from "zod";

export interface SharedCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** How long every replica may reuse a value, and its schema for reading it back. */
export interface Shared<T> {
  ttlMs: number;
  schema: z.ZodType<T>;
}

export class ReadCache {
  private readonly local = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(
    /** In this process (0: no caching at all). */
    private readonly ttlMs: number,
    private readonly shared?: SharedCache,
  ) {}

  get<T>(key: string, load: () => Promise<T>, share?: Shared<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.local.get(key);
    if (hit && hit.until > Date.now()) return hit.value as Promise<T>;
    const value = share && this.shared ? this.throughShared(this.shared, key, load, share) : load();
    this.local.set(key, { until: Date.now() + this.ttlMs, value });
    value.catch(() => this.local.delete(key));
    return value;
  }

  /** A shared hit, or the load (stored for the other replicas). */
  private async throughShared<T>(
    shared: SharedCache,
    key: string,
    load: () => Promise<T>,
    share: Shared<T>,
  ): Promise<T> {
    const raw = await shared.get(key).catch(() => null);
    if (raw !== null) {
      try {
        const hit = share.schema.safeParse((JSON.parse(raw) as { v?: unknown }).v);
        if (hit.success) return hit.data;
      } catch {
        // not a value of ours: load it again
      }
    }
    const value = await load();
    await shared.set(key, JSON.stringify({ v: value }), share.ttlMs).catch(() => {});
    return value;
  }
}
