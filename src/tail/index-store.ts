/**
 * The shared audit index in Redis: each event stored once (by its ID) for 30
 * days, indexed by login ID (lower-case), user ID and tenant. Successful
 * sign-ins keep only the latest time per login ID, so memory stays bounded.
 */
import type { Redis } from "ioredis";
import { z } from "zod";
import { AUDIT_HORIZON_MS } from "../descope/client.js";
import type { AuditEvent } from "../diagnosis/facts.js";
import type { Keyer } from "../store/redis.js";

const storedEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  at: z.number(),
  loginIds: z.array(z.string()),
  userId: z.string().optional(),
  tenants: z.array(z.string()),
  method: z.string().optional(),
  scimAction: z.string().optional(),
  error: z.string().optional(),
  active: z.boolean().optional(),
});

/**
 * KEYS[1]: the last-sign-in hash, declared so Redis Cluster routes the script
 * to the prefix's slot; the other keys are built from ARGV[1], the prefix, and
 * share that slot when the prefix is braced. ARGV: prefix, now, horizonMs,
 * then one JSON per event. Returns the number of events newly stored.
 */
const STORE_SCRIPT = `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local ttl = horizon
local stored = 0
local touched = {}
for i = 4, #ARGV do
  local ev = cjson.decode(ARGV[i])
  local at = tonumber(ev['at'])
  if at > now - horizon then
    if ev['action'] == 'LoginSucceed' then
      for _, l in ipairs(ev['loginIds']) do
        local k = prefix .. ':lastlogin'
        local cur = tonumber(redis.call('HGET', k, string.lower(l)) or '0')
        if at > cur then redis.call('HSET', k, string.lower(l), at) end
      end
    else
      local key = prefix .. ':ev:' .. ev['id']
      if redis.call('SET', key, ARGV[i], 'NX', 'PX', math.max(1000, math.floor(at + ttl - now))) then
        stored = stored + 1
        local idx = {}
        for _, l in ipairs(ev['loginIds']) do idx[#idx + 1] = prefix .. ':idx:login:' .. string.lower(l) end
        if ev['userId'] and ev['userId'] ~= '' then idx[#idx + 1] = prefix .. ':idx:user:' .. ev['userId'] end
        for _, t in ipairs(ev['tenants']) do idx[#idx + 1] = prefix .. ':idx:tenant:' .. t end
        for _, k in ipairs(idx) do
          redis.call('ZADD', k, at, ev['id'])
          touched[k] = true
        end
      end
    end
  end
end
for k, _ in pairs(touched) do
  redis.call('ZREMRANGEBYSCORE', k, '-inf', now - horizon)
  redis.call('PEXPIRE', k, ttl)
end
redis.call('PEXPIRE', prefix .. ':lastlogin', ttl)
return stored
`;

export class AuditIndex {
  constructor(
    private readonly redis: Redis,
    private readonly key: Keyer,
    private readonly prefix: string,
  ) {}

  /** Stores events once each; returns how many were new. */
  async store(events: AuditEvent[], now: number): Promise<number> {
    let stored = 0;
    for (let i = 0; i < events.length; i += 500) {
      const chunk = events.slice(i, i + 500).map((e) => JSON.stringify(stripUndefined(e)));
      stored += Number(
        await this.redis.eval(
          STORE_SCRIPT,
          1,
          this.key("lastlogin"),
          this.prefix,
          String(now),
          String(AUDIT_HORIZON_MS),
          ...chunk,
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
      this.redis.zrangebyscore(this.key("idx", "login", login), from, "+inf"),
      userId
        ? this.redis.zrangebyscore(this.key("idx", "user", userId), from, "+inf")
        : Promise.resolve([]),
      this.redis.hget(this.key("lastlogin"), login),
    ]);
    const events = await this.load([...new Set([...byLogin, ...byUser])]);
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

  /** Events of a tenant between two times (oldest first). */
  async eventsForTenant(
    tenantId: string,
    from: number,
    to: number,
    limit = 50_000,
  ): Promise<AuditEvent[]> {
    const ids = await this.redis.zrangebyscore(
      this.key("idx", "tenant", tenantId),
      from,
      to,
      "LIMIT",
      0,
      limit,
    );
    return this.load(ids);
  }

  /** IDs of every stored event (a SCAN: for tests, the benchmark and operators, not hot paths). */
  async ids(): Promise<string[]> {
    const out: string[] = [];
    const prefix = this.key("ev", "");
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      for (const k of keys) out.push(k.slice(prefix.length));
    } while (cursor !== "0");
    return out;
  }

  async count(): Promise<number> {
    return (await this.ids()).length;
  }

  private async load(ids: string[]): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      if (!chunk.length) continue;
      const raws = await this.redis.mget(...chunk.map((id) => this.key("ev", id)));
      for (const raw of raws) {
        if (!raw) continue;
        const parsed = storedEventSchema.safeParse(JSON.parse(raw));
        if (parsed.success) out.push(parsed.data);
      }
    }
    return out;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
