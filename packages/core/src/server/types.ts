import type { CaptaskError } from '../protocol/errors';

/**
 * Contracts of the server's pluggable parts. The in-memory implementations live beside the
 * server; `@captask/redis` implements the same interfaces for several instances.
 */

/** Milliseconds since the Unix epoch; injectable so tests control time. */
export interface Clock {
  now(): number;
}

/**
 * Timer functions; injectable so tests drive deadlines and latencies with a manual clock.
 * The handle is whatever `setTimeout` returns in the runtime.
 */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A pino-compatible logger: each method takes a context object and a message. */
export interface Logger {
  debug(context: Record<string, unknown>, message: string): void;
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

/** Outcome of a finished task: a solution, or a protocol error. */
export type TaskOutcome =
  | { status: 'ready'; solution: Record<string, unknown>; cost?: number }
  | { status: 'failed'; errorCode: string; errorDescription: string };

export type TaskState = 'processing' | 'ready' | 'failed';

/** A task as the store keeps it. */
export interface StoredTask {
  /** Positive integer above 2^31, unique in the store, not derivable from other ids. */
  id: number;
  /** Account id from the account source; never the clientKey itself. */
  accountId: string;
  /** Canonical task type after alias resolution, such as `RecaptchaV2Task`. */
  type: string;
  /** The validated task object with canonical field names. */
  task: Record<string, unknown>;
  state: TaskState;
  outcome?: TaskOutcome;
  /** getTaskResult requests counted so far. */
  polls: number;
  createdAt: number;
  completedAt?: number;
  callbackUrl?: string;
}

export interface NewTask {
  accountId: string;
  type: string;
  task: Record<string, unknown>;
  callbackUrl?: string;
}

/** Result of counting one getTaskResult request. */
export type PollCount =
  | { found: false }
  | { found: true; allowed: false; task: StoredTask }
  | { found: true; allowed: true; task: StoredTask };

/**
 * Task storage. Every method is atomic for one task id: concurrent `countPoll` calls never
 * allow more than `limit` requests, and `complete` takes effect at most once.
 */
export interface TaskStore {
  /** Stores a new task in the `processing` state and assigns its id. */
  create(input: NewTask): Promise<StoredTask>;
  /** Returns the task, or undefined when it never existed or has expired. */
  get(id: number): Promise<StoredTask | undefined>;
  /** Counts one result request; `allowed` is false once `limit` requests were counted. */
  countPoll(id: number, limit: number): Promise<PollCount>;
  /** Moves a processing task to its outcome; returns false when it was already finished or is gone. */
  complete(id: number, outcome: TaskOutcome): Promise<boolean>;
  /** Removes the task now (the store also expires tasks by itself). */
  expire(id: number): Promise<void>;
  /** Releases timers and connections. */
  close?(): Promise<void>;
  /**
   * Resolves once the task is no longer processing (finished, expired or never existed), or
   * as soon as `signal` aborts; never rejects. A store that implements it across processes
   * (such as through Redis pub/sub) lets held getTaskResult requests of any instance wake up.
   */
  waitForCompletion?(id: number, signal: AbortSignal): Promise<void>;
}

/** An authenticated account. */
export interface Account {
  /** Stable id used to scope tasks; not the key. */
  id: string;
}

/**
 * Source of the accounts that may call the server and of their balances. The server reserves a task's price with
 * `charge` at createTask, before it accepts the task, and gives it back with `refund` when the
 * task fails, so the tasks in progress can never cost more than the balance.
 */
export interface AccountSource {
  /** Returns the account of a key (modifiers already removed), or undefined for an unknown key. */
  authenticate(clientKey: string): Promise<Account | undefined>;
  /** Returns the balance after every charge and refund so far, prices reserved by tasks in progress included. */
  getBalance(accountId: string): Promise<number>;
  /**
   * Deducts `amount` for a task, atomically and at most once per task id: a repeated call for a
   * charged task deducts nothing and returns true. Returns false, deducting nothing, when the
   * balance is below `amount` or the account is unknown.
   */
  charge(accountId: string, amount: number, taskId: number): Promise<boolean>;
  /**
   * Gives back what `charge` deducted for a task, at most `amount`, atomically and at most once
   * per task id. Returns true when this call refunded it, and false when the task was never
   * charged or was refunded already.
   */
  refund(accountId: string, amount: number, taskId: number): Promise<boolean>;
}

export interface SolveContext {
  taskId: number;
  /** Aborted when the per-task deadline passes or the server shuts down. */
  signal: AbortSignal;
}

/**
 * Producer of solutions. A thrown CaptaskError keeps its code in the response to the caller,
 * and any other thrown value becomes ERROR_CAPTCHA_UNSOLVABLE.
 */
export interface Solver {
  /** Canonical type names this solver handles; absent means every type. */
  readonly types?: readonly string[];
  solve(
    task: Record<string, unknown> & { type: string },
    context: SolveContext,
  ): Promise<Record<string, unknown>>;
}

export interface ServerHooks {
  /** Called with every error the server catches and does not send as-is, such as solver crashes. */
  onError?(error: CaptaskError, context: { taskId?: number; method?: string }): void;
  onTaskCreated?(task: StoredTask): void;
  onTaskCompleted?(task: StoredTask): void;
  /** Called when a caller reports a wrong solution through reportIncorrect*Captcha. */
  onIncorrectReport?(task: StoredTask, kind: 'image' | 'token'): void;
}
