import { CaptaskError } from '../protocol/errors';
import { systemClock, systemTimers } from './system-time';
import { randomTaskId } from './task-id';
import type {
  Clock,
  NewTask,
  PollCount,
  StoredTask,
  TaskOutcome,
  TaskStore,
  Timers,
} from './types';

/** Default `maxBytes` of the memory store: 256 MiB of task JSON. */
export const DEFAULT_MAX_STORED_TASK_BYTES = 256 * 1024 * 1024;

export interface MemoryStoreOptions {
  clock?: Clock;
  /** Timers for the periodic sweep; pass a manual clock in tests. */
  timers?: Timers;
  /** How long a finished task stays readable after completion, in ms. Default 5 minutes. */
  resultTtlMs?: number;
  /**
   * How long an unfinished task may stay in the store, in ms, counted from creation.
   * Default 10 minutes, which covers the server's default 180 s solve deadline with room to spare.
   */
  pendingTtlMs?: number;
  /** Maximum number of tasks in the store; `create` then fails with ERROR_NO_SLOT_AVAILABLE. Default 1,000,000. */
  maxTasks?: number;
  /**
   * Maximum total size of the stored task objects, in characters of their JSON text, finished
   * tasks included until they expire; `create` then fails with ERROR_NO_SLOT_AVAILABLE.
   * Default DEFAULT_MAX_STORED_TASK_BYTES (256 MiB). The real memory use is higher, because
   * every stored object and string has overhead of its own.
   */
  maxBytes?: number;
  /** Period of the sweep that drops expired tasks, in ms; 0 disables it. Default 30 s. */
  sweepIntervalMs?: number;
}

/** The in-memory store, with its housekeeping exposed for tests and metrics. */
export interface MemoryStore extends TaskStore {
  /** Tasks currently held, expired ones included until the next sweep or read. */
  readonly size: number;
  /** Total JSON length of the task objects held, as counted against `maxBytes`. */
  readonly bytes: number;
  /** Drops every expired task now and returns how many it dropped. */
  sweep(): number;
  close(): Promise<void>;
}

/**
 * Creates a task store in one process's memory: a Map keyed by task id with no timer per task.
 * Expired tasks disappear on read and in a periodic sweep. The sweep timer starts with the
 * first task (so creating the store at module scope schedules nothing), does not keep a Node
 * process alive, and stops on `close()`.
 *
 * @example
 * const store = createMemoryStore({ resultTtlMs: 5 * 60_000 });
 * const task = await store.create({ accountId: 'a1', type: 'ImageToTextTask', task });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const resultTtlMs = options.resultTtlMs ?? 5 * 60_000;
  const pendingTtlMs = options.pendingTtlMs ?? 10 * 60_000;
  const maxTasks = options.maxTasks ?? 1_000_000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_STORED_TASK_BYTES;
  const sweepIntervalMs = options.sweepIntervalMs ?? 30_000;
  const tasks = new Map<number, StoredTask>();
  /** JSON length of each task object, so that removing a task gives its bytes back. */
  const sizes = new Map<number, number>();
  let bytes = 0;
  let sweepTimer: unknown;
  let closed = false;

  const isExpired = (task: StoredTask, now: number): boolean => {
    if (task.completedAt !== undefined) return now >= task.completedAt + resultTtlMs;
    return now >= task.createdAt + pendingTtlMs;
  };

  const remove = (id: number): void => {
    tasks.delete(id);
    bytes -= sizes.get(id) ?? 0;
    sizes.delete(id);
  };

  /** Returns the live task object, dropping it first when it has expired. */
  const lookUp = (id: number): StoredTask | undefined => {
    const task = tasks.get(id);
    if (task === undefined) return undefined;
    if (isExpired(task, clock.now())) {
      remove(id);
      return undefined;
    }
    return task;
  };

  const sweep = (): number => {
    const now = clock.now();
    let dropped = 0;
    for (const [id, task] of tasks) {
      if (!isExpired(task, now)) continue;
      remove(id);
      dropped++;
    }
    return dropped;
  };

  const scheduleSweep = (): void => {
    sweepTimer = timers.setTimeout(() => {
      sweep();
      if (!closed) scheduleSweep();
    }, sweepIntervalMs);
    // Node and Bun: let the process exit while the timer waits. Other runtimes lack unref.
    (sweepTimer as { unref?: () => void } | undefined)?.unref?.();
  };

  const startSweeping = (): void => {
    if (sweepTimer !== undefined || closed || sweepIntervalMs <= 0) return;
    scheduleSweep();
  };

  return {
    get size() {
      return tasks.size;
    },
    get bytes() {
      return bytes;
    },
    sweep,

    async create(input: NewTask): Promise<StoredTask> {
      if (closed)
        throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
          description: 'The task store is closed.',
        });
      if (tasks.size >= maxTasks && sweep() === 0) {
        throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
          description: `The task store is full (maximum ${maxTasks} tasks); retry later.`,
        });
      }

      const size = JSON.stringify(input.task).length;
      if (bytes + size > maxBytes) sweep();
      if (bytes + size > maxBytes) {
        throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
          description: `The task store is full (maximum ${maxBytes} bytes of task JSON); retry later.`,
        });
      }

      let id = randomTaskId();
      while (tasks.has(id)) id = randomTaskId();
      const task: StoredTask = {
        id,
        accountId: input.accountId,
        type: input.type,
        task: input.task,
        state: 'processing',
        polls: 0,
        createdAt: clock.now(),
        ...(input.callbackUrl === undefined ? {} : { callbackUrl: input.callbackUrl }),
      };

      tasks.set(id, task);
      sizes.set(id, size);
      bytes += size;
      startSweeping();
      return { ...task };
    },

    async get(id: number): Promise<StoredTask | undefined> {
      const task = lookUp(id);
      return task === undefined ? undefined : { ...task };
    },

    // No await between the read and the increment, so concurrent calls cannot both pass the limit.
    async countPoll(id: number, limit: number): Promise<PollCount> {
      const task = lookUp(id);
      if (task === undefined) return { found: false };
      if (task.polls >= limit) return { found: true, allowed: false, task: { ...task } };
      task.polls++;
      return { found: true, allowed: true, task: { ...task } };
    },

    async complete(id: number, outcome: TaskOutcome): Promise<boolean> {
      const task = lookUp(id);
      if (task === undefined || task.state !== 'processing') return false;
      task.state = outcome.status;
      task.outcome = outcome;
      task.completedAt = clock.now();
      return true;
    },

    async expire(id: number): Promise<void> {
      remove(id);
    },

    async close(): Promise<void> {
      closed = true;
      if (sweepTimer !== undefined) timers.clearTimeout(sweepTimer);
    },
  };
}
