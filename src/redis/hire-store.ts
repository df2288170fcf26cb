/** Expected hires and their checklist batches in Redis. Nothing registered is lost to a restart. */

import {
  type Batch,
  batchSchema,
  type Hire,
  hireSchema,
  type RecentAlert,
  recentAlertSchema,
} from "../core/hires/model.js";
import { type UserCheck, userCheckSchema } from "../core/hires/slice.js";
import { NotDurableError, type RedisClient, replicated } from "./client.js";
import { safeParse } from "./links.js";
import { runScript, script } from "./scripts.js";
import { RedisStore } from "./store.js";

const DONE_KEEP_MS = 7 * 86_400_000;
/** A closed hire stays readable this long, so its checklist line and App Home row still show it. */
const CLOSED_KEEP_MS = 30 * 86_400_000;

/**
 * Stores a hire and opens it, unless one is stored already; a hire closed past
 * its horizon is replaced (registered again: watched afresh, its once-records,
 * KEYS[3…], gone so that it can be alerted again).
 */
const ADD_SCRIPT = script(
  "hire_add",
  `
local cur = redis.call('GET', KEYS[1])
if cur then
  local ok, h = pcall(cjson.decode, cur)
  if not (ok and type(h) == 'table' and type(h['closedAt']) == 'number') then return 0 end
  for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
`,
);

export class HireStore extends RedisStore {
  /** WATCH is per connection: updates use their own connection, one at a time per process. */
  private tx: RedisClient | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  close(): void {
    this.tx?.disconnect();
  }

  async get(id: string): Promise<Hire | null> {
    const raw = await this.redis.get(this.keys.hire(id));
    const parsed = raw ? hireSchema.safeParse(safeParse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  async getMany(ids: string[]): Promise<Array<{ id: string; hire: Hire }>> {
    if (!ids.length) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.keys.hire(id)));
    const out: Array<{ id: string; hire: Hire }> = [];
    raws.forEach((raw, i) => {
      const parsed = raw ? hireSchema.safeParse(safeParse(raw)) : null;
      if (parsed?.success) out.push({ id: ids[i] as string, hire: parsed.data });
    });
    return out;
  }

  /** Adds a hire unless one is already expected for that tenant and login ID. */
  async add(id: string, hire: Hire, dueAt: number): Promise<boolean> {
    // One script: a crash can never leave a hire stored but missing from the open set
    // (a retry would then see it as already expected, and nothing would ever evaluate it).
    const onceKeys = this.onceKeysOf(id);
    const added = await runScript(
      this.redis,
      ADD_SCRIPT,
      [this.keys.hire(id), this.keys.hiresOpen(), ...onceKeys],
      [JSON.stringify(hire), String(dueAt), id],
    );
    if (Number(added) !== 1) return false;
    if (!(await replicated(this.redis))) {
      // Acknowledged by the master alone: undone, so the retry the caller is told to make
      // registers it afresh instead of finding it "already expected".
      await this.redis
        .multi()
        .del(this.keys.hire(id))
        .zrem(this.keys.hiresOpen(), id)
        .exec()
        .catch(() => {});
      throw new NotDurableError("a new hire");
    }
    return true;
  }

  /** Read-modify-write with optimistic locking (buttons and the evaluator may race). */
  update(id: string, fn: (h: Hire) => Hire | null): Promise<Hire | null> {
    const run = this.chain.then(() => this.updateNow(id, fn));
    this.chain = run.catch(() => {});
    return run;
  }

  private async updateNow(id: string, fn: (h: Hire) => Hire | null): Promise<Hire | null> {
    if (!this.tx) {
      this.tx = this.redis.duplicate();
      // Its connection problems are the main connection's: reported once there.
      this.tx.on("error", (e) => this.redis.emit("error", e));
    }
    const tx = this.tx;
    const k = this.keys.hire(id);
    for (let attempt = 0; attempt < 10; attempt++) {
      await tx.watch(k);
      const raw = await tx.get(k);
      const parsed = raw ? hireSchema.safeParse(safeParse(raw)) : null;
      if (!parsed?.success) {
        await tx.unwatch();
        return null;
      }
      const next = fn(parsed.data);
      if (!next) {
        await tx.unwatch();
        return parsed.data;
      }
      const ok = await tx
        .multi()
        .set(k, JSON.stringify(hireSchema.parse(next)), "KEEPTTL")
        .exec();
      if (ok) {
        await replicated(tx);
        return next;
      }
    }
    throw new Error(`hire ${id} kept changing under us`);
  }

  /** Moves a hire out of the open set (complete): kept a week for the App Home. */
  async markDone(id: string, at: number): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.keys.hiresOpen(), id)
      .zadd(this.keys.hiresDone(), at, id)
      .pexpire(this.keys.hire(id), DONE_KEEP_MS)
      .zremrangebyscore(this.keys.hiresDone(), "-inf", at - DONE_KEEP_MS)
      .hdel(this.keys.hiresChecked(), id)
      .exec();
  }

  /** Moves a hire that never completed out of the open set (past its horizon); kept 30 days. */
  async closeUnfinished(id: string): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.keys.hiresOpen(), id)
      .pexpire(this.keys.hire(id), CLOSED_KEEP_MS)
      .hdel(this.keys.hiresChecked(), id)
      .exec();
  }

  /** When each hire's user record was last read, and what the index held then. */
  async userChecks(ids: string[]): Promise<Map<string, UserCheck>> {
    const out = new Map<string, UserCheck>();
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const raws = await this.redis.hmget(this.keys.hiresChecked(), ...chunk);
      raws.forEach((raw, k) => {
        const p = raw ? userCheckSchema.safeParse(safeParse(raw)) : null;
        if (p?.success) out.set(chunk[k] as string, p.data);
      });
    }
    return out;
  }

  async saveUserChecks(checks: Map<string, UserCheck>): Promise<void> {
    if (!checks.size) return;
    const flat = [...checks].flatMap(([id, c]) => [id, JSON.stringify(c)]);
    await this.redis.hset(this.keys.hiresChecked(), ...flat);
  }

  /** Forgets a hire and every record about it, so registering it again starts afresh. */
  async forget(id: string): Promise<boolean> {
    const res = await this.redis
      .multi()
      .del(this.keys.hire(id))
      .zrem(this.keys.hiresOpen(), id)
      .zrem(this.keys.hiresDone(), id)
      .hdel(this.keys.hiresChecked(), id)
      .del(...this.onceKeysOf(id))
      .exec();
    return Number(res?.[0]?.[1] ?? 0) > 0;
  }

  /** The once-records about one hire that registering it afresh must clear. */
  private onceKeysOf(id: string): string[] {
    return [
      this.keys.once(`alert:${id}`),
      this.keys.onceAttempt(`alert:${id}`),
      this.keys.once(`resolve:${id}`),
    ];
  }

  async openIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.hiresOpen(), 0, -1);
  }

  async doneSince(since: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.hiresDone(), since, "+inf");
  }

  async saveBatch(b: Batch): Promise<void> {
    await this.redis.set(
      this.keys.batch(b.id),
      JSON.stringify(batchSchema.parse(b)),
      "PX",
      30 * 86_400_000,
    );
  }

  async deleteBatch(id: string): Promise<void> {
    await this.redis.del(this.keys.batch(id));
  }

  async getBatch(id: string): Promise<Batch | null> {
    const raw = await this.redis.get(this.keys.batch(id));
    const parsed = raw ? batchSchema.safeParse(safeParse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** Failed sign-ins the tail saw, waiting for the notify worker (kept across restarts). */
  async pushSigninCandidates(items: unknown[]): Promise<void> {
    if (!items.length) return;
    const k = this.keys.signinsPending();
    await this.redis
      .multi()
      .rpush(k, ...items.map((i) => JSON.stringify(i)))
      .ltrim(k, -5000, -1)
      .pexpire(k, 2 * 86_400_000)
      .exec();
  }

  /** Reads up to `max` pending sign-ins; `done(n)` removes the first n once handled. */
  async peekSigninCandidates(
    max = 500,
  ): Promise<{ items: unknown[]; done(n: number): Promise<void> }> {
    const k = this.keys.signinsPending();
    const raws = await this.redis.lrange(k, 0, max - 1);
    return {
      items: raws.map((r) => safeParse(r)).filter(Boolean),
      done: async (n) => {
        if (n > 0) await this.redis.ltrim(k, n, -1);
      },
    };
  }

  async pushRecentAlert(a: RecentAlert): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.keys.alertsRecent(), JSON.stringify(a))
      .ltrim(this.keys.alertsRecent(), 0, 49)
      .exec();
  }

  async recentAlerts(): Promise<RecentAlert[]> {
    const raws = await this.redis.lrange(this.keys.alertsRecent(), 0, 49);
    return raws
      .map((r) => recentAlertSchema.safeParse(safeParse(r)))
      .flatMap((p) => (p.success ? [p.data] : []));
  }
}
