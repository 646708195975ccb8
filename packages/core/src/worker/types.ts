import type { TaskOutcome } from '../server/types';

/**
 * Contracts of the work queue that sits between the task server and remote solvers (workers).
 * The memory queue lives beside them; `@captask/redis` implements the same interface so that
 * several server instances share one queue.
 */

/** A task waiting for a worker. */
export interface QueueJob {
  taskId: number;
  /** Canonical task type; workers claim jobs by this string. */
  type: string;
  /** The validated task object as the client sent it. */
  task: Record<string, unknown>;
}

/** A job handed to one worker for a limited time. */
export interface Lease extends QueueJob {
  /** Opaque id the worker sends back to extend, release or submit. */
  leaseId: string;
  /** 1 for the first claim of the job, 2 after one expired lease, and so on. */
  attempt: number;
  /** Milliseconds since the Unix epoch; after this the job goes back to the queue. */
  expiresAt: number;
}

/** A job that ran out of attempts while reclaiming expired leases. */
export interface FailedJob {
  taskId: number;
  outcome: Extract<TaskOutcome, { status: 'failed' }>;
}

export interface ClaimOptions {
  /** Task types the worker can solve; an empty list means every type the queue has seen. */
  types: readonly string[];
  /** Maximum number of leases to hand out. */
  max: number;
  leaseMs: number;
}

export interface ClaimResult {
  leases: Lease[];
  /**
   * Jobs whose expired lease was their last attempt. The queue has removed them and recorded
   * their outcome; the caller must also write that outcome into the task store.
   */
  failed: FailedJob[];
}

/** A current lease as `getLease` returns it. */
export interface LeaseInfo {
  taskId: number;
  attempt: number;
  expiresAt: number;
}

/**
 * A queue of jobs with leases. A claimed job belongs to one worker until its lease expires.
 * The next `claim` after that puts it back in the queue, or fails it once `maxAttempts` leases
 * have expired. Every method is atomic for one job.
 */
export interface WorkQueue {
  /** Adds a job at the back of its type's queue; a job already queued or leased stays as is. */
  enqueue(job: QueueJob): Promise<void>;
  /** Reclaims expired leases, then leases up to `max` waiting jobs, oldest first. */
  claim(options: ClaimOptions): Promise<ClaimResult>;
  /** Returns the lease while it is current (not expired, not finished, not released). */
  getLease(leaseId: string): Promise<LeaseInfo | undefined>;
  /** Moves the expiry of a current lease to `leaseMs` from now; undefined when not current. */
  extend(leaseId: string, leaseMs: number): Promise<number | undefined>;
  /** Puts a leased job back at the front of its queue without using up an attempt. */
  release(leaseId: string): Promise<boolean>;
  /**
   * Removes the job wherever it is (waiting or leased) and records its outcome for
   * `waitForOutcome`. Returns false when the queue no longer had the job.
   */
  finish(taskId: number, outcome: TaskOutcome): Promise<boolean>;
  /** Removes the job without recording an outcome, for a task that ended elsewhere. */
  cancel(taskId: number): Promise<boolean>;
  /**
   * Resolves with the outcome recorded by `finish` or by an exhausted job, also when it was
   * recorded by another instance sharing the queue. Rejects with the signal's reason on abort.
   */
  waitForOutcome(taskId: number, signal: AbortSignal): Promise<TaskOutcome>;
  /** Releases timers and connections. */
  close?(): Promise<void>;
}
