/** Leavers in Redis: one record each (validated on read) and the set of those still watched. */
import { type Leaver, leaverSchema } from "../core/leavers/model.js";
import { safeParse } from "./links.js";
import { RedisStore } from "./store.js";

/** A closed leaver's record is kept this long (for its checklist and the App Home). */
const CLOSED_TTL_SEC = 30 * 86_400;

export class LeaverStore extends RedisStore {
  async get(id: string): Promise<Leaver | null> {
    const raw = await this.redis.get(this.keys.leaver(id));
    const p = raw ? leaverSchema.safeParse(safeParse(raw)) : null;
    return p?.success ? p.data : null;
  }

  async getMany(ids: string[]): Promise<Array<{ id: string; leaver: Leaver }>> {
    if (!ids.length) return [];
    const raw = await this.redis.mget(...ids.map((i) => this.keys.leaver(i)));
    return raw.flatMap((v, i) => {
      const p = v ? leaverSchema.safeParse(safeParse(v)) : null;
      return p?.success ? [{ id: ids[i] as string, leaver: p.data }] : [];
    });
  }

  /** Registers a leaver; false when one is already watched (it is kept, not replaced). */
  async add(id: string, l: Leaver): Promise<boolean> {
    const ok = await this.redis.set(this.keys.leaver(id), JSON.stringify(l), "NX");
    if (ok !== "OK") {
      const prev = await this.get(id);
      if (prev && prev.closedAt === null) return false;
      await this.redis.set(this.keys.leaver(id), JSON.stringify(l));
    }
    await this.redis.sadd(this.keys.leaversOpen(), id);
    return true;
  }

  async save(id: string, l: Leaver): Promise<void> {
    const m = this.redis.multi().set(this.keys.leaver(id), JSON.stringify(l));
    if (l.closedAt !== null) {
      m.expire(this.keys.leaver(id), CLOSED_TTL_SEC);
      m.srem(this.keys.leaversOpen(), id);
    }
    await m.exec();
  }

  async openIds(): Promise<string[]> {
    return this.redis.smembers(this.keys.leaversOpen());
  }

  async forget(id: string): Promise<boolean> {
    const n = await this.redis.srem(this.keys.leaversOpen(), id);
    await this.redis.del(this.keys.leaver(id));
    return n > 0;
  }
}
