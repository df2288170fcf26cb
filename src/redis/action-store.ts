/**
 * Fix-it actions in Redis: one record each, changed only by an atomic
 * transition (a Lua script checks the state it starts from), so that one
 * click wins however many people click or replicas run, and an approved
 * action is claimed for its call exactly once.
 */
import { type Action, type ActionState, actionSchema } from "../core/actions/model.js";
import { safeParse } from "./links.js";
import { runScript, script } from "./scripts.js";
import { RedisStore } from "./store.js";

/** Finished records are kept this long (their thread is the lasting record). */
const KEEP_SEC = 30 * 86_400;
const FINISHED = ["declined", "expired", "done", "failed", "interrupted"];

/**
 * KEYS[1] the record, KEYS[2] the open set; ARGV[1] the states it may start
 * from (comma-separated), ARGV[2] the patch (JSON), ARGV[3] 1 when the new
 * state is final, ARGV[4] the id, ARGV[5] seconds to keep a final record.
 * Returns the new record, or an empty string when the state did not match.
 */
const TRANSITION = script(
  "action_transition",
  `
local raw = redis.call('GET', KEYS[1])
if not raw then return '' end
local a = cjson.decode(raw)
local ok = false
for s in string.gmatch(ARGV[1], '[^,]+') do if a.state == s then ok = true end end
if not ok then return '' end
for k, v in pairs(cjson.decode(ARGV[2])) do a[k] = v end
local out = cjson.encode(a)
redis.call('SET', KEYS[1], out)
if ARGV[3] == '1' then
  redis.call('SREM', KEYS[2], ARGV[4])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
end
return out`,
);

export class ActionStore extends RedisStore {
  async create(a: Action): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.action(a.id), JSON.stringify(a))
      .sadd(this.keys.actionsOpen(), a.id)
      .exec();
  }

  async get(id: string): Promise<Action | null> {
    const raw = await this.redis.get(this.keys.action(id));
    const p = raw ? actionSchema.safeParse(safeParse(raw)) : null;
    return p?.success ? p.data : null;
  }

  /** Moves the action from one of `from` to the patch's state; null when another click or process got there first. */
  async transition(
    id: string,
    from: ActionState[],
    patch: Partial<Action> & { state?: ActionState },
  ): Promise<Action | null> {
    const final = patch.state !== undefined && FINISHED.includes(patch.state);
    const out = (await runScript(
      this.redis,
      TRANSITION,
      [this.keys.action(id), this.keys.actionsOpen()],
      [from.join(","), JSON.stringify(patch), final ? "1" : "0", id, KEEP_SEC],
    )) as string;
    if (!out) return null;
    const p = actionSchema.safeParse(safeParse(out));
    return p.success ? p.data : null;
  }

  async open(): Promise<Action[]> {
    const ids = await this.redis.smembers(this.keys.actionsOpen());
    const all = await Promise.all(ids.map((i) => this.get(i)));
    return all.filter((a): a is Action => a !== null);
  }
}
