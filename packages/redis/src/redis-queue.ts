import { randomUUID } from 'node:crypto';
import type { Clock, TaskOutcome } from '@captask/core/server';
import {
  type ClaimOptions,
  type ClaimResult,
  exhaustedOutcome,
  type FailedJob,
  type Lease,
  type LeaseInfo,
  type QueueJob,
  type WorkQueue,
} from '@captask/core/worker';
import type { Redis } from 'ioredis';
import { createChannelWaiter } from './channel-waiter';
import { CLAIM, ENQUEUE, EXTEND, GET_LEASE, RELEASE, REMOVE_JOB } from './queue-scripts';
import { defineScript } from './scripts';

export interface RedisQueueOptions {
  /** An ioredis connection to a single Redis node; the queue never closes it. */
  redis: Redis;
  /** Prefix of every key the queue writes. Default `captask:queue:`. */
  keyPrefix?: string;
  /**
   * Time source for lease expiry. Every instance must see the same time, so with the default
   * (`Date.now`) their clocks must be synchronised.
   */
  clock?: Clock;
  /** Leases a job may use up by expiring before it fails with ERROR_CAPTCHA_UNSOLVABLE. Default 3. */
  maxAttempts?: number;
  /** How long a recorded outcome stays readable for `waitForOutcome`, in ms. Default 60 000. */
  outcomeTtlMs?: number;
  /** How long a job may stay in Redis at all, in ms, as a guard against leftovers. Default 1 hour. */
  jobTtlMs?: number;
  /**
   * Interval at which waiting instances read outcomes directly, in ms, in case a pub/sub message
   * was lost while the subscriber reconnected. Default 5 000.
   */
  outcomeCheckMs?: number;
}

/** Expired leases handled per claim, so one claim script never runs long. */
const RECLAIM_BATCH = 100;

/**
 * Creates a work queue in Redis that several server instances and their workers share. Jobs
 * wait in one list per task type. A claim moves a job into a sorted set of leases scored by
 * expiry, atomically in one Lua script. The next claim after a lease expires puts its job back
 * at the head of its list, and after `maxAttempts` expired leases the job fails with
 * ERROR_CAPTCHA_UNSOLVABLE. Outcomes reach the waiting instance through pub/sub on a second
 * connection that the queue opens with `redis.duplicate()`.
 *
 * @example
 * const queue = createRedisQueue({ redis: new Redis(url), maxAttempts: 3 });
 * const tasks = createTaskServer({ store, accounts, solvers: createQueueSolver({ queue }) });
 */
export function createRedisQueue(options: RedisQueueOptions): WorkQueue {
  const { redis } = options;
  const prefix = options.keyPrefix ?? 'captask:queue:';
  const clock = options.clock ?? { now: () => Date.now() };
  const maxAttempts = options.maxAttempts ?? 3;
  const outcomeTtlMs = options.outcomeTtlMs ?? 60_000;
  const jobTtlMs = options.jobTtlMs ?? 60 * 60_000;
  const exhausted = JSON.stringify(exhaustedOutcome(maxAttempts));

  const enqueueScript = defineScript(redis, 'QueueEnqueue', 3, ENQUEUE);
  const claimScript = defineScript(redis, 'QueueClaim', 2, CLAIM);
  const getLeaseScript = defineScript(redis, 'QueueGetLease', 1, GET_LEASE);
  const extendScript = defineScript(redis, 'QueueExtend', 1, EXTEND);
  const releaseScript = defineScript(redis, 'QueueRelease', 1, RELEASE);
  const removeScript = defineScript(redis, 'QueueRemove', 2, REMOVE_JOB);

  const leasedKey = `${prefix}leased`;
  const jobKey = (taskId: number): string => `${prefix}job:${taskId}`;
  const waiter = createChannelWaiter<TaskOutcome>({
    redis,
    channel: `${prefix}outcomes`,
    parseMessage: parseOutcomeMessage,
    readStored: async (taskIds) => {
      const values = await redis.mget(taskIds.map((taskId) => `${prefix}outcome:${taskId}`));
      return values.map((value) =>
        value === null ? undefined : (JSON.parse(value) as TaskOutcome),
      );
    },
    checkEveryMs: options.outcomeCheckMs ?? 5_000,
  });

  async function removeJob(taskId: number, outcome: TaskOutcome | undefined): Promise<boolean> {
    const outcomeJson = outcome === undefined ? '' : JSON.stringify(outcome);
    const args = [prefix, taskId, outcomeJson, outcomeTtlMs];
    return (await removeScript([jobKey(taskId), leasedKey], args)) === 1;
  }

  return {
    async enqueue(job: QueueJob): Promise<void> {
      const keys = [jobKey(job.taskId), `${prefix}wait:${job.type}`, `${prefix}types`];
      await enqueueScript(keys, [job.taskId, job.type, JSON.stringify(job.task), jobTtlMs]);
    },

    async claim(claimOptions: ClaimOptions): Promise<ClaimResult> {
      const now = clock.now();
      const suffixes = Array.from({ length: claimOptions.max }, () => randomUUID());
      const args = [
        prefix,
        now,
        claimOptions.leaseMs,
        claimOptions.max,
        maxAttempts,
        exhausted,
        outcomeTtlMs,
        RECLAIM_BATCH,
        claimOptions.types.length,
        ...claimOptions.types,
        ...suffixes,
      ];
      const reply = (await claimScript([leasedKey, `${prefix}types`], args)) as [
        [string, string, string, string, number, string][],
        string[],
      ];

      const leases: Lease[] = reply[0].map(([leaseId, taskId, type, task, attempt, expiresAt]) => ({
        leaseId,
        taskId: Number(taskId),
        type,
        task: JSON.parse(task) as Record<string, unknown>,
        attempt: Number(attempt),
        expiresAt: Number(expiresAt),
      }));
      const outcome = JSON.parse(exhausted) as FailedJob['outcome'];
      const failed = reply[1].map((taskId) => ({ taskId: Number(taskId), outcome }));
      return { leases, failed };
    },

    async getLease(leaseId: string): Promise<LeaseInfo | undefined> {
      const reply = (await getLeaseScript([leasedKey], [prefix, leaseId, clock.now()])) as
        | [string, string, string]
        | null;
      if (reply === null) return undefined;
      return { taskId: Number(reply[0]), attempt: Number(reply[1]), expiresAt: Number(reply[2]) };
    },

    async extend(leaseId: string, leaseMs: number): Promise<number | undefined> {
      const now = clock.now();
      const reply = await extendScript([leasedKey], [prefix, leaseId, now, now + leaseMs]);
      return reply === null ? undefined : Number(reply);
    },

    async release(leaseId: string): Promise<boolean> {
      return (await releaseScript([leasedKey], [prefix, leaseId, clock.now()])) === 1;
    },

    finish(taskId: number, outcome: TaskOutcome): Promise<boolean> {
      return removeJob(taskId, outcome);
    },

    cancel(taskId: number): Promise<boolean> {
      return removeJob(taskId, undefined);
    },

    waitForOutcome(taskId: number, signal: AbortSignal): Promise<TaskOutcome> {
      return waiter.wait(taskId, signal);
    },

    close(): Promise<void> {
      return waiter.close();
    },
  };
}

/** Reads a `{"taskId":..,"outcome":..}` message that the queue scripts publish. */
function parseOutcomeMessage(message: string): { taskId: number; value: TaskOutcome } | undefined {
  try {
    const parsed = JSON.parse(message) as { taskId: number; outcome: TaskOutcome };
    return { taskId: parsed.taskId, value: parsed.outcome };
  } catch {
    return undefined;
  }
}
