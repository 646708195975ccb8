import {
  type AccountSource,
  createMemoryQueue,
  createQueueSolver,
  createStaticAccounts,
  createWorkerApi,
  type Logger,
  type Solver,
  type TaskServer,
  type TaskStore,
  type WorkQueue,
  withWorkerApi,
} from '@captask/core';
import { sha256Digest } from '@captask/node';
import { createRedisAccounts, createRedisQueue, createRedisStore } from '@captask/redis';
import { Redis } from 'ioredis';
import { redactRedisUrl } from './backend-config';
import type { CliConfig } from './config';

/** The parts `startServer` uses instead of the in-memory defaults. */
export interface Backend {
  /** Store, accounts and solver for createTaskServer; an absent entry keeps the default. */
  serverOptions: { store?: TaskStore; accounts?: AccountSource; solvers?: Solver };
  /** Adds the worker API to the task server when worker keys are configured. */
  wrap(server: TaskServer): TaskServer;
  /** Closes the worker queue, the Redis store's subscriber and the Redis connection. */
  close(): Promise<void>;
}

/** Error while connecting to a backend; the message is safe to print. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
}

/**
 * Connects the configured backend: Redis for tasks, balances and the worker queue when
 * `redisUrl` is set, and the worker API with a queue solver when `workerKeys` is set.
 *
 * @example
 * const backend = await createBackend(config, { logger });
 * const server = backend.wrap(createTaskServer({ solvers, ...backend.serverOptions }));
 */
export async function createBackend(
  config: CliConfig,
  options: { logger: Logger },
): Promise<Backend> {
  const { logger } = options;
  const redis = config.redisUrl === undefined ? undefined : await connect(config.redisUrl, logger);
  const prefix = config.redisKeyPrefix ?? 'captask:';

  let store: TaskStore | undefined;
  let accounts: AccountSource | undefined;
  if (redis !== undefined) {
    store = createRedisStore({ redis, keyPrefix: prefix });
    const redisAccounts = createRedisAccounts({
      redis,
      keyPrefix: prefix,
      keys: config.clientKeys,
    });
    await redisAccounts.ready;
    accounts = redisAccounts;
  }

  let queue: WorkQueue | undefined;
  if (config.workerKeys !== undefined) {
    queue =
      redis === undefined
        ? createMemoryQueue()
        : createRedisQueue({ redis, keyPrefix: `${prefix}queue:` });
    // The worker API refunds the tasks that workers fail, so it needs the server's accounts.
    accounts ??= createStaticAccounts({ keys: config.clientKeys, digest: sha256Digest });
  }

  const workerKeys = config.workerKeys;
  const sharedAccounts = accounts;
  return {
    serverOptions: {
      ...(store !== undefined ? { store } : {}),
      ...(accounts !== undefined ? { accounts } : {}),
      ...(queue !== undefined ? { solvers: createQueueSolver({ queue }) } : {}),
    },

    wrap(server) {
      if (queue === undefined || workerKeys === undefined) return server;
      const workerApi = createWorkerApi({
        queue,
        store: server.store,
        workerKeys,
        logger,
        ...(sharedAccounts !== undefined ? { accounts: sharedAccounts } : {}),
      });
      return withWorkerApi(server, workerApi);
    },

    async close() {
      await queue?.close?.();
      if (redis !== undefined) await store?.close?.();
      await redis?.quit().catch(() => undefined);
    },
  };
}

async function connect(url: string, logger: Logger): Promise<Redis> {
  const where = redactRedisUrl(url);
  const redis = new Redis(url, { lazyConnect: true });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis emits one error per reconnect attempt; log only changes.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.error({ err: error, redis: where }, 'Redis connection error');
  });

  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new BackendError(
      `Cannot connect to Redis at ${where} (${lastError || (error as Error).message}); start Redis or fix CAPTASK_REDIS_URL.`,
    );
  }
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}
