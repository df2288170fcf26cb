/**
 * scimwatch's own health after each read: when it goes blind (its key
 * refused, or its reads failing), say so once in SCIMWATCH_ALERT_CHANNEL and
 * in the log at error, and once more when it sees again.
 */

import { DEFAULT_DEBOUNCE, type Debounce, episodeStep } from "../core/episodes.js";
import { blindness } from "../core/own-health.js";
import type { Logger } from "../log/logger.js";
import type { Keyer, RedisClient } from "../redis/client.js";
import { redisKeys } from "../redis/keys.js";
import type { TailStateStore } from "../redis/tail-state.js";
import { blindMessage, sightRestoredMessage } from "../render/own-health.js";
import type { Outbox } from "./notify/outbox.js";

interface OwnHealthDeps {
  redis: RedisClient;
  key: Keyer;
  tailState: TailStateStore;
  outbox: Outbox;
  log: Logger;
  now: () => number;
  settings: {
    alertChannel?: string | undefined;
    blindAfterRuns: number;
    /** Settle time and cool-down of a flapping blindness (core/episodes.ts). */
    debounce?: Debounce;
  };
}

const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : null);

/** Returns whether scimwatch is blind now. */
export async function watchOwnHealth(deps: OwnHealthDeps): Promise<boolean> {
  const state = await deps.tailState.get();
  const b = blindness(state, deps.settings.blindAfterRuns);
  const recordKey = redisKeys(deps.key).ownHealth();
  const rec = await deps.redis.hgetall(recordKey);
  const channel = deps.settings.alertChannel;
  const now = deps.now();
  // A key refused every other read is one episode, not an alert per refusal (core/episodes.ts).
  const step = episodeStep(
    { open: Boolean(rec.episode), goodSince: num(rec.goodSince), closedAt: num(rec.closedAt) },
    b.blind,
    now,
    deps.settings.debounce ?? DEFAULT_DEBOUNCE,
  );
  if (b.blind) {
    if (step === "continue") {
      if (rec.goodSince) await deps.redis.hdel(recordKey, "goodSince");
      return true;
    }
    if (step === "reopen" && rec.closedEpisode) {
      await deps.redis
        .multi()
        .hset(recordKey, {
          episode: rec.closedEpisode,
          channel: rec.closedChannel ?? "",
          ts: rec.closedTs ?? "",
        })
        .hdel(recordKey, "closedAt", "closedEpisode", "closedChannel", "closedTs", "goodSince")
        .exec();
      deps.log.error(
        { kind: "blind", reason: b.reason, failedRuns: b.failedRuns, relapse: true },
        "scimwatch is blind again (the same episode as the alert it recovered from just before)",
      );
      return true;
    }
    const episode = String(b.since ?? state.lastErrorAt ?? 0);
    if (rec.episode === episode) return true;
    const [sent] = await deps.outbox.send([
      {
        key: `blind:${episode}`,
        kind: "blind",
        to: { channel: channel ?? "" },
        message: channel ? blindMessage(b, state.lastError ?? null) : null,
      },
    ]);
    // Another process holds or sent this episode's alert; a failed send is tried next read.
    if (sent?.status === "done" || sent?.status === "failed") return true;
    deps.log.error(
      { kind: "blind", reason: b.reason, failedRuns: b.failedRuns, since: b.since },
      b.reason === "key_refused"
        ? "scimwatch is blind: Descope refused the management key; create a new one and set DESCOPE_MANAGEMENT_KEY"
        : "scimwatch is blind: its audit reads keep failing",
    );
    const ts = sent?.status === "sent" || sent?.status === "found" ? sent.ts : "";
    await deps.redis.hset(recordKey, { episode, channel: channel ?? "", ts });
    return true;
  }
  if (step === "settling") {
    if (!rec.goodSince) await deps.redis.hset(recordKey, { goodSince: String(now) });
    return false;
  }
  if (step === "recover" && rec.episode) {
    const [sent] = await deps.outbox.send([
      {
        key: `sight:${rec.episode}`,
        kind: "sight_restored",
        to: { channel: rec.channel ?? "" },
        thread: rec.ts,
        message: rec.channel && rec.ts ? sightRestoredMessage(now) : null,
      },
    ]);
    if (sent?.status === "done" || sent?.status === "failed") return false;
    deps.log.info({ kind: "blind", recovered: true }, "scimwatch reads the audit log again");
    await deps.redis
      .multi()
      .del(recordKey)
      .hset(recordKey, {
        closedAt: String(now),
        closedEpisode: rec.episode,
        closedChannel: rec.channel ?? "",
        closedTs: rec.ts ?? "",
      })
      .exec();
  }
  return false;
}
