/**
 * BullMQ wiring for periodic work: job schedulers produce one job per period
 * (the audit tail every interval, the weekly digest), whatever the number of
 * processes; each process runs one worker.
 */
import { Queue, type RepeatOptions, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../log/logger.js";

export const QUEUE = "scimwatch";
export const TAIL_SCHEDULER_ID = "audit-tail";

export interface Schedule {
  /** Scheduler ID and job name. */
  id: string;
  repeat: Omit<RepeatOptions, "key">;
  run: () => Promise<unknown>;
}

export interface TailWorker {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function startWorker(opts: {
  connection: Redis;
  /** BullMQ prefix, braced for Redis Cluster, e.g. {scimwatch}. */
  prefix: string;
  schedules: Schedule[];
  log: Logger;
}): Promise<TailWorker> {
  const queue = new Queue(QUEUE, { connection: opts.connection, prefix: opts.prefix });
  for (const s of opts.schedules) {
    await queue.upsertJobScheduler(s.id, s.repeat, {
      name: s.id,
      opts: { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } },
    });
  }
  const byName = new Map(opts.schedules.map((s) => [s.id, s.run]));
  const worker = new Worker(QUEUE, async (job) => byName.get(job.name)?.(), {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: 1,
  });
  worker.on("failed", (job, err) =>
    opts.log.warn({ kind: "job", job: job?.name, err }, "job failed"),
  );
  worker.on("error", (err) => opts.log.warn({ kind: "job", err }, "worker error"));
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
