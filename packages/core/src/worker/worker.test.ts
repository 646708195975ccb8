import { describe, expect, it } from 'vitest';
import {
  CLIENT_KEY,
  claim,
  createInstance,
  createShared,
  createTask,
  type Instance,
  type Shared,
  settle,
  WORKER_KEY,
} from '../../test/worker-harness';
import { CaptaskError } from '../protocol/errors';
import { createWorker, type WorkerOptions } from './worker';

const IDLE_MS = 1_000;

function startWorker(instance: Instance, shared: Shared, options: Partial<WorkerOptions>) {
  const errors: CaptaskError[] = [];
  /** Lease ids the worker received, by task id, read from its claim responses. */
  const leases = new Map<number, string>();
  const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await instance.fetch(input, init);
    if (String(input).endsWith('/worker/claim')) {
      const body = (await response.clone().json()) as {
        tasks?: { taskId: number; leaseId: string }[];
      };
      for (const task of body.tasks ?? []) leases.set(task.taskId, task.leaseId);
    }
    return response;
  }) as typeof fetch;

  const worker = createWorker({
    url: 'http://captask.test',
    key: WORKER_KEY,
    types: ['TurnstileTask'],
    solve: async (task) => ({ token: `token-for-${String(task.websiteKey)}` }),
    fetch: recordingFetch,
    timers: shared.clock,
    idleDelayMs: IDLE_MS,
    retryDelayMs: IDLE_MS,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { worker, errors, leases };
}

/**
 * Advances the manual clock in steps until `check` passes. Before each step it lets pending
 * work finish, including Web Crypto digests that run off the main thread.
 */
async function until(
  shared: Shared,
  check: () => Promise<boolean>,
  stepMs = IDLE_MS,
): Promise<void> {
  for (let step = 0; step < 50; step++) {
    for (let poll = 0; poll < 20; poll++) {
      await settle();
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    shared.clock.advance(stepMs);
  }
  throw new Error('condition not met after 50 clock steps');
}

async function resultOf(instance: Instance, taskId: number): Promise<Record<string, unknown>> {
  return instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('createWorker', () => {
  it('solves claimed tasks and submits the solutions', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const ids = [
      await createTask(instance),
      await createTask(instance),
      await createTask(instance),
    ];
    const { worker, errors } = startWorker(instance, shared, { concurrency: 2 });

    const ready = async (): Promise<boolean> => {
      const results = await Promise.all(ids.map((id) => shared.store.get(id)));
      return results.every((task) => task?.state === 'ready');
    };
    await until(shared, ready);
    await worker.stop();

    const result = await resultOf(instance, ids[0] as number);
    expect(result.solution).toEqual({ token: 'token-for-0x4AAAAAAAAkg0s2VIOD34y5' });
    expect(errors).toEqual([]);
  });

  it('submits the code of a thrown CaptaskError', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const { worker } = startWorker(instance, shared, {
      solve: async () => {
        throw new CaptaskError('ERROR_PROXY_CONNECT_REFUSED', { description: 'Proxy is down.' });
      },
    });

    await until(shared, async () => (await shared.store.get(taskId))?.state === 'failed');
    await worker.stop();
    const result = await resultOf(instance, taskId);
    expect(result.errorCode).toBe('ERROR_PROXY_CONNECT_REFUSED');
    expect(result.errorDescription).toBe('Proxy is down.');
  });

  it('submits ERROR_CAPTCHA_UNSOLVABLE for other errors', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const { worker } = startWorker(instance, shared, {
      solve: async () => {
        throw new Error('model crashed with secret details');
      },
    });

    await until(shared, async () => (await shared.store.get(taskId))?.state === 'failed');
    await worker.stop();
    const result = await resultOf(instance, taskId);
    expect(result.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(String(result.errorDescription)).not.toContain('secret');
  });

  it('submits ERROR_NO_SLOT_AVAILABLE as unsolvable', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const { worker } = startWorker(instance, shared, {
      solve: async () => {
        throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', { description: 'All GPUs are busy.' });
      },
    });

    await until(shared, async () => (await shared.store.get(taskId))?.state === 'failed');
    await worker.stop();
    const result = await resultOf(instance, taskId);
    expect(result.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(result.errorDescription).toBe('All GPUs are busy.');
  });

  it('extends the lease while a solve runs', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const solved = deferred<Record<string, unknown>>();
    const { worker, errors, leases } = startWorker(instance, shared, {
      leaseMs: 3_000,
      extendEveryMs: 1_000,
      solve: () => solved.promise,
    });

    await until(shared, async () => leases.has(taskId));
    const leaseId = leases.get(taskId) ?? '';

    // Ten seconds pass, more than three lease lengths, in the extension's own steps.
    for (let second = 0; second < 10; second++) {
      shared.clock.advance(1_000);
      const extendedTo = shared.clock.now() + 3_000;
      await until(
        shared,
        async () => (await shared.queue.getLease(leaseId))?.expiresAt === extendedTo,
        0,
      );
    }
    expect(await shared.queue.getLease(leaseId)).toBeDefined();

    solved.resolve({ token: 'slow' });
    await until(shared, async () => (await shared.store.get(taskId))?.state === 'ready');
    await worker.stop();
    expect(errors).toEqual([]);
  });

  it('releases its leases when stopped', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const aborted: unknown[] = [];
    const { worker, leases } = startWorker(instance, shared, {
      solve: (_task, context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            aborted.push(context.taskId);
            reject(context.signal.reason);
          });
        }),
    });
    await until(shared, async () => leases.has(taskId));

    await worker.stop();
    expect(aborted).toEqual([taskId]);
    const [again] = await claim(instance);
    expect(again?.taskId).toBe(taskId);
    expect(again?.attempt).toBe(1);
    expect((await shared.store.get(taskId))?.state).toBe('processing');
  });

  it('stops on its signal option', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const controller = new AbortController();
    const { worker } = startWorker(instance, shared, { signal: controller.signal });
    await settle();

    controller.abort();
    await worker.done;
    const taskId = await createTask(instance);
    await settle();
    expect((await shared.store.get(taskId))?.state).toBe('processing');
  });

  it('aborts the solve when the lease is lost', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const aborted: number[] = [];
    const { worker, errors, leases } = startWorker(instance, shared, {
      leaseMs: 3_000,
      extendEveryMs: 1_000,
      solve: (_task, context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            aborted.push(context.taskId);
            reject(context.signal.reason);
          });
        }),
    });
    await until(shared, async () => leases.has(taskId));

    await shared.queue.cancel(taskId);
    await until(shared, async () => aborted.length > 0);
    expect(aborted).toEqual([taskId]);
    expect(errors.map((error) => error.code)).toContain('ERROR_NO_SUCH_CAPCHA_ID');
    await worker.stop();
    expect((await shared.store.get(taskId))?.state).toBe('processing');
  });

  it('reports a rejected key and keeps retrying', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const { worker, errors } = startWorker(instance, shared, { key: CLIENT_KEY });

    await until(shared, async () => errors.length >= 2);
    await worker.stop();
    expect(errors[0]?.code).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(errors[0]?.method).toBe('worker/claim');
    expect(JSON.stringify(errors[0])).not.toContain(CLIENT_KEY);
  });
});
