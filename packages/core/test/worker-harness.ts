import { createManualClock, type ManualClock } from '../src/server/manual-clock';
import { createMemoryStore } from '../src/server/memory-store';
import { createStaticAccounts } from '../src/server/static-accounts';
import { createTaskServer, type TaskServer } from '../src/server/task-server';
import type { AccountSource, TaskStore } from '../src/server/types';
import { createMemoryQueue } from '../src/worker/memory-queue';
import { createQueueSolver } from '../src/worker/queue-solver';
import type { WorkQueue } from '../src/worker/types';
import { withWorkerApi } from '../src/worker/with-worker-api';
import { createWorkerApi, type WorkerApiOptions } from '../src/worker/worker-api';

export const CLIENT_KEY = 'client-key-0123456789';
export const WORKER_KEY = 'worker-key-9876543210';

export const turnstileTask = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.com',
  websiteKey: '0x4AAAAAAAAkg0s2VIOD34y5',
};

type Json = Record<string, unknown>;

/** One captask instance: a task server with the worker API, on shared parts. */
export interface Instance {
  handler: TaskServer;
  /** POSTs a JSON body to a path of this instance and returns the parsed body. */
  call(path: string, body: Json): Promise<Json>;
  /** A fetch that sends requests to this instance without a socket. */
  fetch: typeof fetch;
}

/** The parts several instances share, as a Redis deployment shares them. */
export interface Shared {
  clock: ManualClock;
  store: TaskStore;
  queue: WorkQueue;
  accounts: AccountSource;
}

export function createShared(balance = 1): Shared {
  const clock = createManualClock();
  return {
    clock,
    store: createMemoryStore({ clock, sweepIntervalMs: 0 }),
    queue: createMemoryQueue({ clock }),
    accounts: createStaticAccounts({ keys: [{ key: CLIENT_KEY, balance }] }),
  };
}

export function createInstance(
  shared: Shared,
  workerOptions: Partial<WorkerApiOptions> = {},
  solveTimeoutMs = 180_000,
): Instance {
  const { clock, store, queue, accounts } = shared;
  const tasks = createTaskServer({
    store,
    accounts,
    solvers: createQueueSolver({ queue }),
    clock,
    timers: clock,
    limits: { solveTimeoutMs },
  });
  const workers = createWorkerApi({
    queue,
    store,
    accounts,
    workerKeys: [WORKER_KEY],
    ...workerOptions,
  });
  const handler = withWorkerApi(tasks, workers);

  const fetchImpl = ((input: RequestInfo | URL, init?: RequestInit) =>
    handler(new Request(input, init))) as typeof fetch;
  return {
    handler,
    fetch: fetchImpl,
    async call(path, body) {
      const response = await fetchImpl(`http://captask.test${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return (await response.json()) as Json;
    },
  };
}

/** Lets pending promise callbacks run, such as a solve that enqueues after createTask returned. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Creates a task through the protocol and returns its id. */
export async function createTask(instance: Instance, task: Json = turnstileTask): Promise<number> {
  const created = await instance.call('/createTask', { clientKey: CLIENT_KEY, task });
  if (created.errorId !== 0) throw new Error(`createTask failed: ${JSON.stringify(created)}`);
  await settle();
  return created.taskId as number;
}

export async function claim(instance: Instance, body: Json = {}): Promise<Json[]> {
  const claimed = await instance.call('/worker/claim', { workerKey: WORKER_KEY, ...body });
  if (claimed.errorId !== 0) throw new Error(`claim failed: ${JSON.stringify(claimed)}`);
  return claimed.tasks as Json[];
}
