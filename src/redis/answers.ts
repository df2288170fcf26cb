/** Answers given in Slack, kept a day so "Share in channel" can post the same answer. */

import { randomUUID } from "node:crypto";
import * as z from "zod";
import { type Diagnosis, diagnosisSchema } from "../core/diagnosis/diagnose.js";
import { safeParse } from "./links.js";
import { RedisStore } from "./store.js";

const ANSWER_TTL_SEC = 24 * 3600;

const answerSchema = z.object({ diagnosis: diagnosisSchema, channelId: z.string() });

export class AnswerStore extends RedisStore {
  async put(diagnosis: Diagnosis, channelId: string): Promise<string> {
    const id = randomUUID().replace(/-/g, "").slice(0, 16);
    await this.redis.set(
      this.keys.answer(id),
      JSON.stringify({ diagnosis, channelId }),
      "EX",
      ANSWER_TTL_SEC,
    );
    return id;
  }

  async get(id: string): Promise<{ diagnosis: Diagnosis; channelId: string } | null> {
    if (!/^[a-f0-9]{16}$/.test(id)) return null;
    const raw = await this.redis.get(this.keys.answer(id));
    const parsed = raw ? answerSchema.safeParse(safeParse(raw)) : null;
    return parsed?.success ? (parsed.data as { diagnosis: Diagnosis; channelId: string }) : null;
  }

  /** Marks an answer shared; false when it already was (a second click, another replica). */
  async claimShare(id: string): Promise<boolean> {
    const set = await this.redis.set(this.keys.answerShared(id), "1", "EX", ANSWER_TTL_SEC, "NX");
    return set === "OK";
  }
}
