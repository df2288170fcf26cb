/**
 * BullMQ wiring for periodic work: a job scheduler produces one tail job per
 * interval, whatever the number of processes; one worker per process runs it.
 */
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../log/logger.js";
import type { TailResult } from "../tail/tail.js";

export const QUEUE = "scimwatch";
export const TAIL_SCHEDULER_ID = "audit-tail";

export interface TailWorker {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function startTailWorker(opts: {
  connection: Redis;
  /** BullMQ prefix, braced for Redis Cluster, e.g. {scimwatch}. */
  prefix: string;
  intervalSec: number;
  run: () => Promise<TailResult>;
  log: Logger;
}): Promise<TailWorker> {
  const queue = new Queue(QUEUE, { connection: opts.connection, prefix: opts.prefix });
  await queue.upsertJobScheduler(
    TAIL_SCHEDULER_ID,
    { every: opts.intervalSec * 1000 },
    { name: "tail", opts: { removeOnComplete: { count: 20 }, removeOnFail: { count: 50 } } },
  );
  const worker = new Worker(
    QUEUE,
    async (job) => {
      if (job.name === "tail") return opts.run();
      return undefined;
    },
    { connection: opts.connection, prefix: opts.prefix, concurrency: 1 },
  );
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
