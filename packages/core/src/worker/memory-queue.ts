import type { Clock, TaskOutcome } from '../server/types';
import { exhaustedOutcome, newLeaseId } from './queue-common';
import type {
  ClaimOptions,
  ClaimResult,
  FailedJob,
  Lease,
  LeaseInfo,
  QueueJob,
  WorkQueue,
} from './types';

export interface MemoryQueueOptions {
  /** Time source for lease expiry; defaults to `Date.now`. */
  clock?: Clock;
  /** Leases a job may use up by expiring before it fails with ERROR_CAPTCHA_UNSOLVABLE. Default 3. */
  maxAttempts?: number;
  /** How long a recorded outcome stays readable for `waitForOutcome`, in ms. Default 60 000. */
  outcomeTtlMs?: number;
}

interface Entry {
  job: QueueJob;
  /** Claims so far, including the current one. */
  attempts: number;
  leaseId?: string;
  expiresAt?: number;
}

/**
 * Creates a work queue in this process's memory, for a single server instance and for tests.
 *
 * @example
 * const queue = createMemoryQueue({ maxAttempts: 3 });
 * const server = createTaskServer({ solvers: createQueueSolver({ queue }) });
 */
export function createMemoryQueue(options: MemoryQueueOptions = {}): WorkQueue {
  const clock = options.clock ?? { now: () => Date.now() };
  const maxAttempts = options.maxAttempts ?? 3;
  const outcomeTtlMs = options.outcomeTtlMs ?? 60_000;

  const entries = new Map<number, Entry>();
  /** Waiting task ids per type, oldest first; ids of removed jobs are skipped on claim. */
  const waiting = new Map<string, number[]>();
  const leases = new Map<string, number>();
  const outcomes = new Map<number, { outcome: TaskOutcome; expiresAt: number }>();
  const waiters = new Map<number, Set<(outcome: TaskOutcome) => void>>();

  function queueOf(type: string): number[] {
    let ids = waiting.get(type);
    if (ids === undefined) {
      ids = [];
      waiting.set(type, ids);
    }
    return ids;
  }

  function currentEntry(leaseId: string): Entry | undefined {
    const taskId = leases.get(leaseId);
    const entry = taskId === undefined ? undefined : entries.get(taskId);
    if (entry === undefined || entry.leaseId !== leaseId) return undefined;
    if ((entry.expiresAt ?? 0) <= clock.now()) return undefined;
    return entry;
  }

  function dropLease(entry: Entry): void {
    if (entry.leaseId !== undefined) leases.delete(entry.leaseId);
    entry.leaseId = undefined;
    entry.expiresAt = undefined;
  }

  function record(taskId: number, outcome: TaskOutcome): void {
    const now = clock.now();
    for (const [id, stored] of outcomes) {
      if (stored.expiresAt <= now) outcomes.delete(id);
    }
    outcomes.set(taskId, { outcome, expiresAt: now + outcomeTtlMs });

    const pending = waiters.get(taskId);
    waiters.delete(taskId);
    for (const resolve of pending ?? []) resolve(outcome);
  }

  function reclaimExpired(now: number): FailedJob[] {
    const failed: FailedJob[] = [];
    for (const entry of entries.values()) {
      if (entry.leaseId === undefined || (entry.expiresAt ?? 0) > now) continue;
      dropLease(entry);

      if (entry.attempts >= maxAttempts) {
        const outcome = exhaustedOutcome(maxAttempts);
        entries.delete(entry.job.taskId);
        record(entry.job.taskId, outcome);
        failed.push({ taskId: entry.job.taskId, outcome });
      } else {
        queueOf(entry.job.type).unshift(entry.job.taskId);
      }
    }
    return failed;
  }

  function take(type: string, now: number, leaseMs: number): Lease | undefined {
    const ids = waiting.get(type);
    while (ids !== undefined && ids.length > 0) {
      const taskId = ids.shift() as number;
      const entry = entries.get(taskId);
      if (entry === undefined || entry.leaseId !== undefined) continue;

      entry.attempts += 1;
      entry.leaseId = newLeaseId(taskId);
      entry.expiresAt = now + leaseMs;
      leases.set(entry.leaseId, taskId);
      return {
        ...entry.job,
        leaseId: entry.leaseId,
        attempt: entry.attempts,
        expiresAt: now + leaseMs,
      };
    }
    return undefined;
  }

  return {
    async enqueue(job: QueueJob): Promise<void> {
      if (entries.has(job.taskId)) return;
      entries.set(job.taskId, { job, attempts: 0 });
      queueOf(job.type).push(job.taskId);
    },

    async claim(claimOptions: ClaimOptions): Promise<ClaimResult> {
      const now = clock.now();
      const failed = reclaimExpired(now);
      const types = claimOptions.types.length > 0 ? claimOptions.types : [...waiting.keys()];
      const leased: Lease[] = [];

      for (const type of types) {
        while (leased.length < claimOptions.max) {
          const lease = take(type, now, claimOptions.leaseMs);
          if (lease === undefined) break;
          leased.push(lease);
        }
      }
      return { leases: leased, failed };
    },

    async getLease(leaseId: string): Promise<LeaseInfo | undefined> {
      const entry = currentEntry(leaseId);
      if (entry === undefined) return undefined;
      return { taskId: entry.job.taskId, attempt: entry.attempts, expiresAt: entry.expiresAt ?? 0 };
    },

    async extend(leaseId: string, leaseMs: number): Promise<number | undefined> {
      const entry = currentEntry(leaseId);
      if (entry === undefined) return undefined;
      entry.expiresAt = clock.now() + leaseMs;
      return entry.expiresAt;
    },

    async release(leaseId: string): Promise<boolean> {
      const entry = currentEntry(leaseId);
      if (entry === undefined) return false;
      dropLease(entry);
      entry.attempts -= 1;
      queueOf(entry.job.type).unshift(entry.job.taskId);
      return true;
    },

    async finish(taskId: number, outcome: TaskOutcome): Promise<boolean> {
      const entry = entries.get(taskId);
      if (entry !== undefined) dropLease(entry);
      entries.delete(taskId);
      record(taskId, outcome);
      return entry !== undefined;
    },

    async cancel(taskId: number): Promise<boolean> {
      const entry = entries.get(taskId);
      if (entry === undefined) return false;
      dropLease(entry);
      entries.delete(taskId);
      return true;
    },

    waitForOutcome(taskId: number, signal: AbortSignal): Promise<TaskOutcome> {
      const stored = outcomes.get(taskId);
      if (stored !== undefined && stored.expiresAt > clock.now()) {
        return Promise.resolve(stored.outcome);
      }
      if (signal.aborted) return Promise.reject(signal.reason);

      return new Promise<TaskOutcome>((resolve, reject) => {
        const pending = waiters.get(taskId) ?? new Set();
        waiters.set(taskId, pending);

        const onAbort = (): void => {
          pending.delete(done);
          if (pending.size === 0) waiters.delete(taskId);
          reject(signal.reason);
        };
        const done = (outcome: TaskOutcome): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        pending.add(done);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },

    async close(): Promise<void> {
      waiters.clear();
    },
  };
}
