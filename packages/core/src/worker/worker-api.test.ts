import { describe, expect, it } from 'vitest';
import {
  CLIENT_KEY,
  claim,
  createInstance,
  createShared,
  createTask,
  settle,
  WORKER_KEY,
} from '../../test/worker-harness';

const solution = { token: 'worker-token' };

describe('createWorkerApi', () => {
  it('delivers a submitted solution to the client', async () => {
    const shared = createShared(1);
    const instance = createInstance(shared);
    const taskId = await createTask(instance);

    const [task] = await claim(instance, { types: ['TurnstileTask'] });
    expect(task?.taskId).toBe(taskId);
    expect(task?.type).toBe('TurnstileTask');
    expect(task?.attempt).toBe(1);
    expect(task?.task).toMatchObject({ websiteKey: '0x4AAAAAAAAkg0s2VIOD34y5' });

    const submitted = await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect(submitted).toEqual({ errorId: 0, accepted: true });
    await settle();

    const result = await instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
    expect(result.status).toBe('ready');
    expect(result.solution).toEqual(solution);
    expect(result.cost).toBe(0.002);
    const balance = await instance.call('/getBalance', { clientKey: CLIENT_KEY });
    expect(balance.balance).toBeCloseTo(0.998, 9);
  });

  it('queues an alias under its canonical type', async () => {
    const instance = createInstance(createShared());
    const taskId = await createTask(instance, {
      type: 'NoCaptchaTaskProxyless',
      websiteURL: 'https://example.com',
      websiteKey: '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-',
    });
    const [task] = await claim(instance, { types: ['RecaptchaV2Task'] });
    expect(task?.taskId).toBe(taskId);
    expect(task?.type).toBe('RecaptchaV2Task');
  });

  it('passes a submitted error code to the client', async () => {
    const instance = createInstance(createShared());
    const taskId = await createTask(instance);
    const [task] = await claim(instance);

    const submitted = await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      errorCode: 'ERROR_PROXY_BANNED',
      errorDescription: 'The proxy is banned by the site.',
    });
    expect(submitted.accepted).toBe(true);
    await settle();

    const result = await instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
    expect(result.errorId).toBe(1);
    expect(result.errorCode).toBe('ERROR_PROXY_BANNED');
    expect(result.errorDescription).toBe('The proxy is banned by the site.');
    const balance = await instance.call('/getBalance', { clientKey: CLIENT_KEY });
    expect(balance.balance).toBe(1);
  });

  it('completes through another instance', async () => {
    const shared = createShared(1);
    const creator = createInstance(shared);
    const other = createInstance(shared);
    const taskId = await createTask(creator);

    const [task] = await claim(other);
    const submitted = await other.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect(submitted.accepted).toBe(true);
    await settle();

    for (const instance of [creator, other]) {
      const result = await instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
      expect(result.solution).toEqual(solution);
    }
    // The creating instance learns the outcome too but charges nothing a second time.
    const balance = await creator.call('/getBalance', { clientKey: CLIENT_KEY });
    expect(balance.balance).toBeCloseTo(0.998, 9);
  });

  it('completes a task whose creating instance is gone', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const stored = await shared.store.create({
      accountId: 'static-1',
      type: 'TurnstileTask',
      task: turnstile(),
    });
    await shared.queue.enqueue({ taskId: stored.id, type: 'TurnstileTask', task: turnstile() });

    const [task] = await claim(instance);
    await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect((await shared.store.get(stored.id))?.outcome).toEqual({
      status: 'ready',
      solution,
      cost: 0.002,
    });
  });

  it('fails a task after three expired leases', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);

    for (let attempt = 1; attempt <= 3; attempt++) {
      const [task] = await claim(instance, { leaseMs: 10_000 });
      expect(task?.attempt).toBe(attempt);
      shared.clock.advance(10_000);
    }
    expect(await claim(instance)).toEqual([]);
    await settle();

    const result = await instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
    expect(result.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(result.errorDescription).toContain('3 leases');
  });

  it('rejects a submit after the lease expired', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    await createTask(instance);
    const [task] = await claim(instance, { leaseMs: 10_000 });
    shared.clock.advance(10_000);

    const late = await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect(late.errorId).toBe(1);
    expect(late.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
    const extended = await instance.call('/worker/extend', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
    });
    expect(extended.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
  });

  it('extends and releases a lease', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    await createTask(instance);
    const [task] = await claim(instance, { leaseMs: 10_000 });

    shared.clock.advance(9_000);
    const extended = await instance.call('/worker/extend', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      leaseMs: 20_000,
    });
    expect(extended).toEqual({ errorId: 0, leaseExpiresAt: shared.clock.now() + 20_000 });

    const released = await instance.call('/worker/release', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
    });
    expect(released).toEqual({ errorId: 0, released: true });
    const [again] = await claim(instance);
    expect(again?.taskId).toBe(task?.taskId);
    expect(again?.attempt).toBe(1);
  });

  it('rejects a submit after the deadline', async () => {
    const shared = createShared();
    const instance = createInstance(shared, {}, 30_000);
    const taskId = await createTask(instance);
    const [task] = await claim(instance, { leaseMs: 60_000 });

    shared.clock.advance(30_000);
    await settle();
    const result = await instance.call('/getTaskResult', { clientKey: CLIENT_KEY, taskId });
    expect(result.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');

    // The solver cancelled the job when the deadline passed, so the lease is gone as well.
    const submitted = await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect(submitted.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
  });

  it('answers accepted false for a task finished elsewhere', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    const [task] = await claim(instance);
    const failure = {
      status: 'failed' as const,
      errorCode: 'ERROR_RECAPTCHA_TIMEOUT',
      errorDescription: 'Finished by another path.',
    };
    expect(await shared.store.complete(taskId, failure)).toBe(true);

    const submitted = await instance.call('/worker/submit', {
      workerKey: WORKER_KEY,
      leaseId: task?.leaseId,
      solution,
    });
    expect(submitted).toEqual({ errorId: 0, accepted: false });
    expect((await shared.store.get(taskId))?.outcome).toEqual(failure);
    expect(await shared.queue.getLease(String(task?.leaseId))).toBeUndefined();
    const balance = await instance.call('/getBalance', { clientKey: CLIENT_KEY });
    expect(balance.balance).toBe(1);
  });
});

describe('createWorkerApi keys', () => {
  it('rejects a client key at the worker API', async () => {
    const instance = createInstance(createShared());
    const claimed = await instance.call('/worker/claim', { workerKey: CLIENT_KEY });
    expect(claimed.errorId).toBe(1);
    expect(claimed.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
  });

  it('rejects a worker key at createTask', async () => {
    const instance = createInstance(createShared());
    const created = await instance.call('/createTask', {
      clientKey: WORKER_KEY,
      task: turnstile(),
    });
    expect(created.errorId).toBe(1);
    expect(created.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
  });

  it('rejects a missing worker key', async () => {
    const instance = createInstance(createShared());
    const claimed = await instance.call('/worker/claim', {});
    expect(claimed.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
  });

  it('requires at least one worker key', async () => {
    expect(() => createInstance(createShared(), { workerKeys: [] })).toThrow(TypeError);
    expect(() => createInstance(createShared(), { workerKeys: [''] })).toThrow(TypeError);
  });
});

describe('createWorkerApi input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['/worker/claim', { max: 0 }, 'max must be an integer from 1 to 50'],
    ['/worker/claim', { max: 2.5 }, 'max must be an integer'],
    ['/worker/claim', { leaseMs: 10 }, 'leaseMs must be an integer from 1000 to 600000'],
    ['/worker/claim', { types: 'TurnstileTask' }, 'types must be an array'],
    ['/worker/claim', { types: [42] }, 'Each entry of types'],
    ['/worker/extend', {}, 'leaseId is missing'],
    ['/worker/extend', { leaseId: 'abc' }, 'leaseId is missing or is not a lease id'],
    ['/worker/submit', { leaseId: `123.${'0'.repeat(36)}` }, 'Send a solution object'],
    [
      '/worker/submit',
      { leaseId: `123.${'0'.repeat(36)}`, errorCode: 'ERROR_MADE_UP' },
      'an errorCode that can end a task',
    ],
    [
      '/worker/submit',
      { leaseId: `123.${'0'.repeat(36)}`, errorCode: 'CAPTCHA_NOT_READY' },
      'an errorCode that can end a task',
    ],
    [
      '/worker/submit',
      { leaseId: `123.${'0'.repeat(36)}`, errorCode: 'ERROR_NO_SLOT_AVAILABLE' },
      'an errorCode that can end a task',
    ],
    [
      '/worker/submit',
      { leaseId: `123.${'0'.repeat(36)}`, solution: ['a'] },
      'solution must be a JSON object',
    ],
    [
      '/worker/submit',
      { leaseId: `123.${'0'.repeat(36)}`, solution: {}, errorCode: 'ERROR_PROXY_BANNED' },
      'either solution or errorCode',
    ],
  ];

  for (const [path, body, description] of cases) {
    it(`rejects ${path} ${JSON.stringify(body)}`, async () => {
      const instance = createInstance(createShared());
      const answer = await instance.call(path, { workerKey: WORKER_KEY, ...body });
      expect(answer.errorId).toBe(1);
      expect(answer.errorCode).toBe('ERROR_TASK_ABSENT');
      expect(answer.errorDescription).toContain(description);
    });
  }

  it('rejects a body that is not JSON', async () => {
    const instance = createInstance(createShared());
    const response = await instance.handler(
      new Request('http://captask.test/worker/claim', { method: 'POST', body: '{"workerKey":' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer.errorCode).toBe('ERROR_TASK_ABSENT');
    expect(answer.errorDescription).toBe('The request body is not valid JSON.');
  });

  it('rejects a body above maxBodyBytes', async () => {
    const instance = createInstance(createShared(), { limits: { maxBodyBytes: 100 } });
    const answer = await instance.call('/worker/claim', {
      workerKey: WORKER_KEY,
      padding: 'x'.repeat(200),
    });
    expect(answer.errorCode).toBe('ERROR_TASK_ABSENT');
    expect(answer.errorDescription).toContain('larger than 100 bytes');
  });

  it('rejects an unknown method and GET', async () => {
    const instance = createInstance(createShared());
    const unknown = await instance.call('/worker/steal', { workerKey: WORKER_KEY });
    expect(unknown.errorCode).toBe('ERROR_NO_SUCH_METHOD');

    const response = await instance.handler(new Request('http://captask.test/worker/claim'));
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer.errorCode).toBe('ERROR_NO_SUCH_METHOD');
  });

  it('answers an internal failure with a retryable code', async () => {
    const shared = createShared();
    shared.queue.claim = async () => {
      throw new Error('connection lost');
    };
    const errors: string[] = [];
    const instance = createInstance(shared, {
      hooks: { onError: (error) => errors.push(error.code) },
    });
    const answer = await instance.call('/worker/claim', { workerKey: WORKER_KEY });
    expect(answer.errorCode).toBe('ERROR_NO_SLOT_AVAILABLE');
    expect(JSON.stringify(answer)).not.toContain('connection lost');
    expect(errors).toEqual(['ERROR_NO_SLOT_AVAILABLE']);
  });
});

function turnstile(): Record<string, unknown> & { type: string } {
  return {
    type: 'TurnstileTask',
    websiteURL: 'https://example.com',
    websiteKey: '0x4AAAAAAAAkg0s2VIOD34y5',
  };
}
