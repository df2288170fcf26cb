/**
 * Once-records: the right to do something exactly once across every process
 * (send an alert, post a checklist, answer an idempotent webhook request).
 * A claim is "sending" until confirmed ("sent", kept for the kind's time) or
 * released; a claim left by a crash expires. An attempt record marks a send
 * whose outcome is not known yet (see features/notify/outbox.ts).
 */

import { mustReplicate, replicated } from "./client.js";
import { RedisStore } from "./store.js";

export class OnceStore extends RedisStore {
  /**
   * Claims `name`, holding `value` (default "sending") for `sendingMs`. A claim
   * only the master holds could be lost in a failover, and the work done twice:
   * not a claim (released; the next run tries again).
   */
  async claim(name: string, sendingMs = 5 * 60_000, value = "sending"): Promise<boolean> {
    const won = (await this.redis.set(this.keys.once(name), value, "PX", sendingMs, "NX")) === "OK";
    if (!won) return false;
    if (await replicated(this.redis)) return true;
    await this.release(name).catch(() => {});
    return false;
  }

  /** What the record holds ("sending", "sent", or a caller's value), null when there is none. */
  get(name: string): Promise<string | null> {
    return this.redis.get(this.keys.once(name));
  }

  /** Done, for `ttlMs`; `value` replaces "sent" (an answer to replay, for instance). */
  async confirm(name: string, ttlMs: number, value = "sent"): Promise<void> {
    await this.redis.set(this.keys.once(name), value, "PX", ttlMs);
    await replicated(this.redis);
  }

  /** Keeps a claim alive while its work runs. */
  async extend(name: string, ms: number): Promise<void> {
    await this.redis.pexpire(this.keys.once(name), ms);
  }

  async release(name: string): Promise<void> {
    await this.redis.del(this.keys.once(name));
  }

  /** Whether each of these is confirmed (a producer may skip deciding what is done already). */
  async sent(names: string[]): Promise<Set<string>> {
    if (!names.length) return new Set();
    const vals = await this.redis.mget(...names.map((n) => this.keys.once(n)));
    return new Set(names.filter((_, i) => vals[i] === "sent"));
  }

  /**
   * A send whose outcome is not known yet: set when it starts, cleared when
   * it is confirmed or failed for sure. Still there at the next claim means
   * Slack may hold the message already (a crash or a timeout after it
   * accepted it): look for it before sending again.
   */
  async markAttempt(name: string, at: number): Promise<void> {
    await this.redis.set(this.keys.onceAttempt(name), String(at), "PX", 2 * 86_400_000);
    await mustReplicate(this.redis, "the record of a send in progress");
  }

  async attemptOf(name: string): Promise<number | null> {
    const raw = await this.redis.get(this.keys.onceAttempt(name));
    return raw && Number.isFinite(Number(raw)) ? Number(raw) : null;
  }

  async clearAttempt(name: string): Promise<void> {
    await this.redis.del(this.keys.onceAttempt(name));
  }

  /** Forgets these records (a hire forgotten or registered again may be alerted again). */
  async forget(names: string[]): Promise<void> {
    if (names.length) await this.redis.del(...names.map((n) => this.keys.once(n)));
  }
}
