import {
  type Clock,
  type NewTask,
  type PollCount,
  randomTaskId,
  type StoredTask,
  type TaskOutcome,
  type TaskState,
  type TaskStore,
} from '@captask/core/server';
import type { Redis } from 'ioredis';
import { createChannelWaiter } from './channel-waiter';
import { defineScript } from './scripts';
import { COMPLETE_TASK, COUNT_POLL, CREATE_TASK } from './store-scripts';

export interface RedisStoreOptions {
  /** An ioredis connection to a single Redis node; the store never closes it. */
  redis: Redis;
  /** Prefix of every key the store writes. Default `captask:`. */
  keyPrefix?: string;
  /** How long a finished task stays readable after completion, in ms. Default 5 minutes. */
  resultTtlMs?: number;
  /** How long an unfinished task may exist, counted from creation, in ms. Default 10 minutes. */
  pendingTtlMs?: number;
  /** Source of `createdAt` and `completedAt`; expiry uses Redis's own clock. */
  clock?: Clock;
  /**
   * Interval at which `waitForCompletion` reads the waiting tasks directly, in ms. It covers
   * tasks that expired through their TTL, which publish nothing, and messages lost while the
   * subscriber reconnected. Default 1 000.
   */
  completionCheckMs?: number;
}

/** The Redis task store, with the cross-instance completion wait the long-poll gateway uses. */
export interface RedisStore extends TaskStore {
  /**
   * Resolves once the task is no longer processing (finished, expired or never existed) on
   * any instance, or when `signal` aborts. Never rejects.
   */
  waitForCompletion(id: number, signal: AbortSignal): Promise<void>;
  /** Closes the subscriber connection of `waitForCompletion`; the caller's connection stays open. */
  close(): Promise<void>;
}

/** Draws before `create` gives up; a collision needs two equal 53-bit random numbers. */
const MAX_ID_DRAWS = 5;

/**
 * Creates a task store in Redis that several server instances share. Each task is one hash
 * with a Redis TTL (PEXPIRE): `pendingTtlMs` from creation, then `resultTtlMs` from completion.
 * Creating a task, counting a poll and completing a task are each one Lua script, so
 * concurrent requests on any number of instances never allow more polls than the limit and
 * complete a task at most once. Task ids are random integers above 2^31, and the create script
 * only writes an id that is not taken. `waitForCompletion` works across instances: `complete`
 * and `expire` publish the task id, and the store subscribes on a second connection (opened
 * with `redis.duplicate()` on first use and closed by `close()`).
 *
 * @example
 * const redis = new Redis('redis://127.0.0.1:6379');
 * const store = createRedisStore({ redis, keyPrefix: 'captask:' });
 * const server = createTaskServer({ store, accounts, solvers });
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const { redis } = options;
  const prefix = options.keyPrefix ?? 'captask:';
  const resultTtlMs = options.resultTtlMs ?? 5 * 60_000;
  const pendingTtlMs = options.pendingTtlMs ?? 10 * 60_000;
  const clock = options.clock ?? { now: () => Date.now() };

  const createScript = defineScript(redis, 'StoreCreate', 1, CREATE_TASK);
  const countPollScript = defineScript(redis, 'StoreCountPoll', 1, COUNT_POLL);
  const completeScript = defineScript(redis, 'StoreComplete', 1, COMPLETE_TASK);
  const keyOf = (id: number): string => `${prefix}task:${id}`;
  const channel = `${prefix}completed`;

  const completions = createChannelWaiter<true>({
    redis,
    channel,
    parseMessage: (message) => ({ taskId: Number(message), value: true }),
    readStored: async (ids) => {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keyOf(id), 'state');
      const replies = (await pipeline.exec()) ?? [];
      return replies.map(([error, state]) => {
        if (error !== null) return undefined;
        return state === 'processing' ? undefined : true;
      });
    },
    checkEveryMs: options.completionCheckMs ?? 1_000,
  });

  return {
    async create(input: NewTask): Promise<StoredTask> {
      const createdAt = clock.now();
      const fields: (string | number)[] = [
        'accountId',
        input.accountId,
        'type',
        input.type,
        'task',
        JSON.stringify(input.task),
        'state',
        'processing',
        'polls',
        0,
        'createdAt',
        createdAt,
      ];
      if (input.callbackUrl !== undefined) fields.push('callbackUrl', input.callbackUrl);

      for (let draw = 0; draw < MAX_ID_DRAWS; draw++) {
        const id = randomTaskId();
        const created = await createScript([keyOf(id)], [pendingTtlMs, ...fields]);
        if (created !== 1) continue;
        return {
          id,
          accountId: input.accountId,
          type: input.type,
          task: input.task,
          state: 'processing',
          polls: 0,
          createdAt,
          ...(input.callbackUrl !== undefined ? { callbackUrl: input.callbackUrl } : {}),
        };
      }
      throw new Error(
        `No free task id after ${MAX_ID_DRAWS} random draws; check that nothing else writes task keys under this prefix.`,
      );
    },

    async get(id: number): Promise<StoredTask | undefined> {
      const fields = await redis.hgetall(keyOf(id));
      return parseTask(id, fields);
    },

    // NOTE: get and countPoll return the whole hash, task body included, because StoredTask
    // carries it; each poll of a large image task transfers the image from Redis again.
    async countPoll(id: number, limit: number): Promise<PollCount> {
      const reply = (await countPollScript([keyOf(id)], [limit])) as [number, string[]] | null;
      const task = reply === null ? undefined : parseTask(id, pairsToRecord(reply[1]));
      if (reply === null || task === undefined) return { found: false };
      return { found: true, allowed: reply[0] === 1, task };
    },

    async complete(id: number, outcome: TaskOutcome): Promise<boolean> {
      const args = [outcome.status, JSON.stringify(outcome), clock.now(), resultTtlMs, channel, id];
      return (await completeScript([keyOf(id)], args)) === 1;
    },

    async expire(id: number): Promise<void> {
      await redis.multi().del(keyOf(id)).publish(channel, String(id)).exec();
    },

    async waitForCompletion(id: number, signal: AbortSignal): Promise<void> {
      await completions.wait(id, signal).catch(() => undefined);
    },

    close(): Promise<void> {
      return completions.close();
    },
  };
}

function pairsToRecord(pairs: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) record[pairs[i] as string] = pairs[i + 1] as string;
  return record;
}

/** Builds a StoredTask from the hash fields; undefined for a missing or incomplete hash. */
function parseTask(id: number, fields: Record<string, string>): StoredTask | undefined {
  const { accountId, type, task, state, polls, createdAt } = fields;
  if (accountId === undefined || type === undefined || task === undefined || state === undefined) {
    return undefined;
  }

  const stored: StoredTask = {
    id,
    accountId,
    type,
    task: JSON.parse(task) as Record<string, unknown>,
    state: state as TaskState,
    polls: Number(polls ?? 0),
    createdAt: Number(createdAt ?? 0),
  };
  if (fields.outcome !== undefined) stored.outcome = JSON.parse(fields.outcome) as TaskOutcome;
  if (fields.completedAt !== undefined) stored.completedAt = Number(fields.completedAt);
  if (fields.callbackUrl !== undefined) stored.callbackUrl = fields.callbackUrl;
  return stored;
}
