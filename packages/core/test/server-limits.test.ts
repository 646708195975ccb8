import { CaptaskError, type Solver } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestServer,
  flush,
  IMAGE_TASK,
  KEY,
  OTHER_KEY,
  post,
  type TestServer,
  TURNSTILE_TASK,
} from './server-helpers';

let current: TestServer | undefined;
const setup = (...args: Parameters<typeof createTestServer>): TestServer => {
  current = createTestServer(...args);
  return current;
};
afterEach(async () => {
  await current?.server.close();
  current = undefined;
});

async function createTask(
  test: TestServer,
  task: Record<string, unknown> = IMAGE_TASK,
): Promise<number> {
  const { json } = await test.call('createTask', { clientKey: KEY, task });
  expect(json.errorId).toBe(0);
  return json.taskId as number;
}

describe('task server poll limit', () => {
  it('answers 120 polls, then ERROR_TOO_MUCH_REQUESTS', async () => {
    const test = setup();
    const taskId = await createTask(test);
    for (let i = 0; i < 120; i++) {
      const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
      expect(json.errorId).toBe(0);
    }
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_TOO_MUCH_REQUESTS' });
    expect(json.errorDescription).toMatch(/120 result requests/);
  });

  it('answers exactly 120 of 500 concurrent polls', async () => {
    const test = setup();
    const taskId = await createTask(test);
    const body = JSON.stringify({ clientKey: KEY, taskId });
    const responses = await Promise.all(
      Array.from({ length: 500 }, () => test.server(post('/getTaskResult', body))),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));
    const limited = bodies.filter((json) => json.errorCode === 'ERROR_TOO_MUCH_REQUESTS');
    const answered = bodies.filter((json) => json.errorCode !== 'ERROR_TOO_MUCH_REQUESTS');
    expect(answered).toHaveLength(120);
    expect(limited).toHaveLength(380);
    expect(answered.every((json) => json.status === 'processing')).toBe(true);
  });

  it('honours a configured limit', async () => {
    const test = setup({ limits: { maxPollsPerTask: 2 } });
    const taskId = await createTask(test);
    await test.call('getTaskResult', { clientKey: KEY, taskId });
    await test.call('getTaskResult', { clientKey: KEY, taskId });
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json.errorCode).toBe('ERROR_TOO_MUCH_REQUESTS');
  });
});

describe('task server key scoping', () => {
  it('hides a task from another key', async () => {
    const test = setup({ limits: { maxPollsPerTask: 1 } });
    const taskId = await createTask(test);
    const other = await test.call('getTaskResult', { clientKey: OTHER_KEY, taskId });
    expect(other.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SUCH_CAPCHA_ID' });
    const report = await test.call('reportIncorrectImageCaptcha', { clientKey: OTHER_KEY, taskId });
    expect(report.json.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
    // The other key's polls did not use up the owner's budget of one.
    const own = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(own.json).toEqual({ errorId: 0, status: 'processing' });
  });

  it('lets modifiers keep the account', async () => {
    const test = setup();
    const taskId = await createTask(test);
    const { json } = await test.call('getTaskResult', { clientKey: `${KEY}__nocache`, taskId });
    expect(json).toEqual({ errorId: 0, status: 'processing' });
  });
});

describe('task server expiry', () => {
  it('keeps results for 5 minutes', async () => {
    const test = setup();
    const taskId = await createTask(test);
    await test.advance(1_000);
    expect((await test.call('getTaskResult', { clientKey: KEY, taskId })).json.status).toBe(
      'ready',
    );

    await test.advance(5 * 60_000 - 1);
    expect((await test.call('getTaskResult', { clientKey: KEY, taskId })).json.status).toBe(
      'ready',
    );
    await test.advance(1);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SUCH_CAPCHA_ID' });
    expect(json.errorDescription).toMatch(/expired/);
  });

  it('keeps failed results for 5 minutes too', async () => {
    const test = setup();
    const taskId = await createTask(test, {
      ...TURNSTILE_TASK,
      websiteKey: 'sandbox-error-ERROR_PROXY_BANNED',
    });
    await test.advance(1_000);
    const failed = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(failed.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_PROXY_BANNED' });
    await test.advance(5 * 60_000);
    const expired = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(expired.json.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
  });

  it('fails a task at the solve deadline', async () => {
    let signal: AbortSignal | undefined;
    const stuck: Solver = {
      solve: (_, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    };
    const test = setup({ solvers: stuck, limits: { solveTimeoutMs: 10_000 } });
    const taskId = await createTask(test);
    await test.advance(9_999);
    expect((await test.call('getTaskResult', { clientKey: KEY, taskId })).json.status).toBe(
      'processing',
    );
    expect(signal?.aborted).toBe(false);

    await test.advance(1);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(json.errorDescription).toMatch(/10000 ms deadline/);
    expect(signal?.aborted).toBe(true);
  });

  it('drops a pending task after the pending TTL', async () => {
    const stuck: Solver = { solve: () => new Promise(() => undefined) };
    const limits = { solveTimeoutMs: 1_000_000, pendingTtlMs: 60_000 };
    const test = setup({ solvers: stuck, limits });
    const taskId = await createTask(test);
    await test.advance(60_000);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
  });
});

describe('task server solver errors', () => {
  it('passes a CaptaskError code to the poller', async () => {
    const errors: unknown[] = [];
    const banned: Solver = {
      solve: async () => {
        throw new CaptaskError('ERROR_PROXY_BANNED', {
          description: 'proxy 203.0.113.9 is banned',
        });
      },
    };
    const test = setup({ solvers: banned, hooks: { onError: (error) => void errors.push(error) } });
    const taskId = await createTask(test, TURNSTILE_TASK);
    await test.advance(0);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toEqual({
      errorId: 1,
      errorCode: 'ERROR_PROXY_BANNED',
      errorDescription: 'proxy 203.0.113.9 is banned',
    });
    expect(errors).toHaveLength(0);
  });

  it('turns a crash into ERROR_CAPTCHA_UNSOLVABLE', async () => {
    const errors: CaptaskError[] = [];
    const crashing: Solver = {
      solve: async () => {
        throw new TypeError('undefined is not a function');
      },
    };
    const test = setup({
      solvers: crashing,
      hooks: { onError: (error) => void errors.push(error) },
    });
    const taskId = await createTask(test, TURNSTILE_TASK);
    await test.advance(0);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(JSON.stringify(json)).not.toContain('undefined is not a function');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(
      test.logger.entries.some(
        (entry) => entry.level === 'error' && entry.context.taskId === taskId,
      ),
    ).toBe(true);
  });

  it('rejects a solution that is not an object', async () => {
    const broken: Solver = { solve: async () => 'token' as unknown as Record<string, unknown> };
    const test = setup({ solvers: broken });
    const taskId = await createTask(test, TURNSTILE_TASK);
    await test.advance(0);
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(json.errorDescription).toMatch(/no solution object/);
  });

  it('survives a throwing hook', async () => {
    const hooks = {
      onTaskCreated: () => {
        throw new Error('hook bug');
      },
    };
    const test = setup({ hooks });
    const taskId = await createTask(test);
    await test.advance(1_000);
    expect((await test.call('getTaskResult', { clientKey: KEY, taskId })).json.status).toBe(
      'ready',
    );
  });

  it('fails running tasks on close', async () => {
    const test = setup();
    const taskId = await createTask(test);
    await flush();
    await test.server.close();
    const { json } = await test.call('getTaskResult', { clientKey: KEY, taskId });
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    const after = await test.call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    expect(after.json).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_NO_SLOT_AVAILABLE',
      taskId: 0,
    });
    expect(test.clock.pendingTimers).toBe(0);
  });
});

describe('task server body cap', () => {
  /** Creates a body of `total` bytes produced lazily in 64 KiB chunks, counting what was pulled. */
  function lazyBody(total: number): {
    stream: ReadableStream<Uint8Array>;
    pulled: () => number;
    cancelled: () => boolean;
  } {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) {
          controller.close();
          return;
        }
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    return { stream, pulled: () => pulled, cancelled: () => cancelled };
  }

  const streamRequest = (
    stream: ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ): Request =>
    new Request('http://captask.test/createTask', {
      method: 'POST',
      body: stream,
      headers,
      duplex: 'half',
    } as RequestInit);

  it('stops reading a 10 MB body early', async () => {
    const test = setup();
    const body = lazyBody(10 * 1024 * 1024);
    const response = await test.server(streamRequest(body.stream));
    const json = await response.json();
    expect(response.status).toBe(200);
    expect(json).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
      taskId: 0,
    });
    expect(json.errorDescription).toMatch(/1048576 bytes/);
    expect(body.pulled()).toBeLessThan(2 * 1024 * 1024);
    expect(body.cancelled()).toBe(true);
  });

  it('rejects a large Content-Length before reading', async () => {
    const test = setup();
    const body = lazyBody(10 * 1024 * 1024);
    const response = await test.server(
      streamRequest(body.stream, { 'content-length': String(10 * 1024 * 1024) }),
    );
    expect((await response.json()).errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
    expect(body.pulled()).toBeLessThanOrEqual(64 * 1024);
  });

  it('honours a configured cap', async () => {
    const test = setup({ limits: { maxBodyBytes: 100 } });
    const response = await test.server(
      post('/getBalance', JSON.stringify({ clientKey: KEY, pad: 'x'.repeat(200) })),
    );
    expect((await response.json()).errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
    const small = await test.server(post('/getBalance', JSON.stringify({ clientKey: KEY })));
    expect((await small.json()).errorId).toBe(0);
  });
});

describe('task server request log', () => {
  it('logs each request without keys', async () => {
    const test = setup();
    const taskId = await createTask(test);
    await test.call('getTaskResult', { clientKey: KEY, taskId });
    await test.call('getBalance', { clientKey: 'wrong-secret-key' });
    const requests = test.logger.entries.filter((entry) => entry.message === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]?.context).toMatchObject({
      method: 'createTask',
      httpMethod: 'POST',
      pathSegments: 1,
      pathLength: 11,
      outcome: 'created',
      taskId,
    });
    expect(requests[1]?.context).toMatchObject({
      method: 'getTaskResult',
      outcome: 'processing',
      taskId,
    });
    expect(requests[2]?.context).toMatchObject({
      method: 'getBalance',
      outcome: 'ERROR_KEY_DOES_NOT_EXIST',
    });
    expect(typeof requests[0]?.context.durationMs).toBe('number');
    expect(requests.every((entry) => entry.level === 'info')).toBe(true);
    const everything = JSON.stringify(test.logger.entries);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('wrong-secret-key');
  });
});
