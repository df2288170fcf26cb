/**
 * The shared audit index in Redis: each event stored once (by its ID) for 30
 * days, indexed by login ID (lower-case), user ID and tenant.
 *
 * Memory is what limits how much a small Redis can hold, so the layout keeps
 * Redis's compact encodings (small hashes and sorted sets are stored as
 * listpacks, a few bytes per entry): events live as short delimited strings
 * in hashes, one per day and bucket of their ID (about 256 per day), which
 * expire as a whole 30 days after their day; the tenant index is one sorted
 * set per tenant and day. An index entry's score is the event's time, which
 * names its day, and its ID names its bucket. Successful
 * sign-ins keep only the latest time per login ID, so memory stays bounded.
 */

import type { AuditEvent } from "../core/diagnosis/facts.js";
import { AUDIT_HORIZON_MS } from "../descope/client.js";
import type { Keyer } from "./client.js";
import { type RedisClient, scanKeys } from "./client.js";
import { bucketOf, DAY_MS, decodeEvent, encodeEvent } from "./event-codec.js";
import { runScript, script } from "./scripts.js";
import { RedisStore } from "./store.js";

/** Bumped whenever the stored layout changes: see ensureLayout. */
const INDEX_LAYOUT = "2";

/**
 * KEYS[1]: the last-sign-in hash, declared so Redis Cluster routes the script
 * to the prefix's slot; the other keys are built from ARGV[1], the prefix, and
 * share that slot when the prefix is braced. ARGV: prefix, now, horizonMs,
 * the five key names of INDEX_KEYS, then per event a JSON header {id, action, at, loginIds, userId, tenants,
 * bucket} followed by its stored value. Returns how many were newly stored.
 */
const STORE_SCRIPT = script(
  "index_store",
  `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local K_LAST = prefix .. ':' .. ARGV[4]
local K_EV = prefix .. ':' .. ARGV[5] .. ':'
local K_LOGIN = prefix .. ':' .. ARGV[6] .. ':'
local K_USER = prefix .. ':' .. ARGV[7] .. ':'
local K_TENANT = prefix .. ':' .. ARGV[8] .. ':'
local ttl = horizon
local stored = 0
local touched = {}
local buckets = {}
for i = 9, #ARGV, 2 do
  local ev = cjson.decode(ARGV[i])
  local at = tonumber(ev['at'])
  if at > now - horizon then
    if ev['action'] == 'LoginSucceed' then
      for _, l in ipairs(ev['loginIds']) do
        local k = K_LAST
        local cur = tonumber(redis.call('HGET', k, string.lower(l)) or '0')
        if at > cur then redis.call('HSET', k, string.lower(l), at) end
      end
    else
      local day = math.floor(at / ${DAY_MS})
      local key = K_EV .. ev['bucket']
      if redis.call('HSETNX', key, ev['id'], ARGV[i + 1]) == 1 then
        stored = stored + 1
        buckets[key] = (day + 1) * ${DAY_MS} + horizon - now
        local idx = {}
        for _, l in ipairs(ev['loginIds']) do idx[#idx + 1] = K_LOGIN .. string.lower(l) end
        if ev['userId'] and ev['userId'] ~= '' then idx[#idx + 1] = K_USER .. ev['userId'] end
        for _, t in ipairs(ev['tenants']) do idx[#idx + 1] = K_TENANT .. t .. ':' .. day end
        for _, k in ipairs(idx) do
          redis.call('ZADD', k, at, ev['id'])
          touched[k] = true
        end
      end
    end
  end
end
for k, keep in pairs(buckets) do redis.call('PEXPIRE', k, math.max(1000, math.floor(keep))) end
for k, _ in pairs(touched) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - horizon)
  redis.call('PEXPIRE', k, ttl)
end
redis.call('PEXPIRE', K_LAST, ttl)
return stored
`,
);

/**
 * The index's key names, in one place: TypeScript builds keys from these, and
 * the store script receives them (ARGV 4–8) rather than spelling them again.
 */
const INDEX_KEYS = {
  lastLogin: "lastlogin",
  events: "ev",
  byLogin: "idx:login",
  byUser: "idx:user",
  byTenant: "idx:tenant",
} as const;
const KEY_ARGS = [
  INDEX_KEYS.lastLogin,
  INDEX_KEYS.events,
  INDEX_KEYS.byLogin,
  INDEX_KEYS.byUser,
  INDEX_KEYS.byTenant,
];

/** Index entries: [id, at] pairs from ZRANGEBYSCORE … WITHSCORES. */
function pairs(flat: string[]): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, Number(flat[i + 1])]);
  return out;
}

export class AuditIndex extends RedisStore {
  constructor(
    redis: RedisClient,
    key: Keyer,
    private readonly prefix: string,
  ) {
    super(redis, key);
  }

  /**
   * The index's layout changes now and then (as it did to save memory). When
   * Redis holds an older layout, the tail must read again into the new one:
   * returns true when it reset the tail's cursor for that (the old keys expire
   * by themselves within 30 days).
   */
  async ensureLayout(resetTail: () => Promise<void>): Promise<boolean> {
    const k = this.keys.indexLayout();
    const current = await this.redis.get(k);
    if (current === INDEX_LAYOUT) return false;
    const hadData = current !== null || (await this.redis.exists(this.keys.tailState())) > 0;
    if (hadData) await resetTail();
    await this.redis.set(k, INDEX_LAYOUT);
    return hadData;
  }

  /** Stores events once each; returns how many were new. */
  async store(events: AuditEvent[], now: number): Promise<number> {
    let stored = 0;
    for (let i = 0; i < events.length; i += 500) {
      const chunk = events.slice(i, i + 500).flatMap((e) => [
        JSON.stringify({
          id: e.id,
          action: e.action,
          at: e.at,
          loginIds: e.loginIds,
          userId: e.userId ?? "",
          tenants: e.tenants,
          bucket: bucketOf(e.id, e.at),
        }),
        encodeEvent(e),
      ]);
      stored += Number(
        await runScript(
          this.redis,
          STORE_SCRIPT,
          [this.keys.indexFamily(INDEX_KEYS.lastLogin)],
          [this.prefix, String(now), String(AUDIT_HORIZON_MS), ...KEY_ARGS, ...chunk],
        ),
      );
    }
    return stored;
  }

  /**
   * Events for a login ID (and, when known, the user's ID: rows written by an
   * admin may not carry the login ID) in the last 30 days, plus the latest
   * successful sign-in.
   */
  async eventsFor(loginId: string, now: number, userId?: string): Promise<AuditEvent[]> {
    const login = loginId.toLowerCase();
    const from = now - AUDIT_HORIZON_MS;
    const [byLogin, byUser, last] = await Promise.all([
      this.redis.zrangebyscore(
        this.keys.indexFamily(INDEX_KEYS.byLogin, login),
        from,
        "+inf",
        "WITHSCORES",
      ),
      userId
        ? this.redis.zrangebyscore(
            this.keys.indexFamily(INDEX_KEYS.byUser, userId),
            from,
            "+inf",
            "WITHSCORES",
          )
        : Promise.resolve([]),
      this.redis.hget(this.keys.indexFamily(INDEX_KEYS.lastLogin), login),
    ]);
    const events = await this.load([...pairs(byLogin), ...pairs(byUser)]);
    if (last) {
      events.push({
        id: `lastlogin:${login}`,
        action: "LoginSucceed",
        at: Number(last),
        loginIds: [loginId],
        tenants: [],
      });
    }
    return events;
  }

  /** The last successful sign-in of each login ID (lower-cased keys), where one is known. */
  async lastSignIns(loginIds: string[]): Promise<Map<string, number>> {
    const ids = [...new Set(loginIds.map((l) => l.toLowerCase()))];
    const out = new Map<string, number>();
    if (!ids.length) return out;
    const at = await this.redis.hmget(this.keys.indexFamily(INDEX_KEYS.lastLogin), ...ids);
    for (const [i, v] of at.entries()) if (v) out.set(ids[i] as string, Number(v));
    return out;
  }

  /** Events of a tenant between two times (oldest first): one small sorted set per day. */
  async eventsForTenant(
    tenantId: string,
    from: number,
    to: number,
    limit = 50_000,
  ): Promise<AuditEvent[]> {
    const days: number[] = [];
    const lo = Math.max(from, to - AUDIT_HORIZON_MS - DAY_MS);
    for (let d = Math.floor(lo / DAY_MS); d <= Math.floor(to / DAY_MS); d++) days.push(d);
    const m = this.redis.multi();
    for (const d of days)
      m.zrangebyscore(
        this.keys.indexFamily(INDEX_KEYS.byTenant, tenantId, String(d)),
        from,
        to,
        "WITHSCORES",
      );
    const res = (await m.exec()) ?? [];
    const entries = res
      .flatMap(([, v]) => (Array.isArray(v) ? pairs(v as string[]) : []))
      .slice(0, limit);
    return this.load(entries);
  }

  /** IDs of every stored event (a SCAN: for tests, the benchmark and operators, not hot paths). */
  async ids(): Promise<string[]> {
    const out: string[] = [];
    for (const k of await scanKeys(
      this.redis,
      `${this.keys.indexFamily(INDEX_KEYS.events, "")}*`,
    )) {
      // Keys of an older layout (one string per event) are skipped until they expire.
      if ((await this.redis.type(k)) === "hash") out.push(...(await this.redis.hkeys(k)));
    }
    return out;
  }

  async count(): Promise<number> {
    return (await this.ids()).length;
  }

  /** Loads events by [id, at], one HMGET per bucket, pipelined. */
  private async load(entries: Array<[string, number]>): Promise<AuditEvent[]> {
    const byBucket = new Map<string, string[]>();
    for (const [id, at] of entries) {
      const b = bucketOf(id, at);
      const list = byBucket.get(b) ?? [];
      if (!list.includes(id)) list.push(id);
      byBucket.set(b, list);
    }
    if (!byBucket.size) return [];
    const m = this.redis.multi();
    const order = [...byBucket];
    for (const [b, ids] of order) m.hmget(this.keys.indexFamily(INDEX_KEYS.events, b), ...ids);
    const res = (await m.exec()) ?? [];
    const out: AuditEvent[] = [];
    order.forEach(([, ids], i) => {
      const raws = (res[i]?.[1] ?? []) as Array<string | null>;
      raws.forEach((raw, k) => {
        const e = raw ? decodeEvent(ids[k] as string, raw) : null;
        if (e) out.push(e);
      });
    });
    return out;
  }
}
