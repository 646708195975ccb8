import { type CaptaskError, createSandboxSolver, type Solver } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BROKE_KEY,
  createTestServer,
  IMAGE_TASK,
  KEY,
  post,
  type TestServer,
  TURNSTILE_TASK,
} from './server-helpers';

let current: TestServer | undefined;
/** The long-poll announcement that getBalance and createTask responses carry by default. */
const LONG_POLL = { captask: { longPoll: { maxWaitMs: 20_000 } } };

const setup = (...args: Parameters<typeof createTestServer>): TestServer => {
  current = createTestServer(...args);
  return current;
};
afterEach(async () => {
  await current?.server.close();
  current = undefined;
});

/** Asserts the protocol error shape and returns the body. */
function expectError(json: Record<string, unknown>, code: string): Record<string, unknown> {
  expect(json.errorId).toBe(1);
  expect(json.errorCode).toBe(code);
  expect(typeof json.errorDescription).toBe('string');
  expect((json.errorDescription as string).length).toBeGreaterThan(10);
  return json;
}

describe('task server methods', () => {
  it('creates an image task and solves it', async () => {
    const { call, advance } = setup();
    const created = await call('createTask', { clientKey: KEY, task: IMAGE_TASK, softId: 54 });
    expect(created.response.status).toBe(200);
    expect(created.response.headers.get('content-type')).toContain('application/json');
    expect(created.json.errorId).toBe(0);
    const taskId = created.json.taskId as number;
    expect(Number.isSafeInteger(taskId)).toBe(true);
    expect(taskId).toBeGreaterThan(2 ** 31);

    const pending = await call('getTaskResult', { clientKey: KEY, taskId });
    expect(JSON.stringify(pending.json)).toBe('{"errorId":0,"status":"processing"}');

    await advance(1_000);
    const ready = await call('getTaskResult', { clientKey: KEY, taskId });
    expect(ready.json).toMatchObject({ errorId: 0, status: 'ready', solveCount: 1 });
    expect(typeof (ready.json.solution as { text: unknown }).text).toBe('string');
    expect(ready.json.cost).toBe(0.0003);
    expect(typeof ready.json.createTime).toBe('number');
    expect(typeof ready.json.endTime).toBe('number');
  });

  it('charges the balance once per solved task', async () => {
    const { call, advance } = setup();
    expect((await call('getBalance', { clientKey: KEY })).json).toEqual({
      errorId: 0,
      balance: 100,
      ...LONG_POLL,
    });
    const { json } = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    await advance(1_000);
    await call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    await call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect((await call('getBalance', { clientKey: KEY })).json).toEqual({
      errorId: 0,
      balance: 99.9997,
      ...LONG_POLL,
    });
  });

  it('charges the configured price', async () => {
    const { call, advance } = setup({ prices: { types: { ImageToTextTask: 0.5 } } });
    const { json } = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    await advance(1_000);
    const result = await call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.cost).toBe(0.5);
    expect((await call('getBalance', { clientKey: KEY })).json.balance).toBe(99.5);
  });

  it('rejects a task the balance cannot pay', async () => {
    const { call } = setup({ clientKeys: [{ key: KEY, balance: 0.0001 }] });
    const { json } = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    expectError(json, 'ERROR_ZERO_BALANCE');
    expect(json.errorDescription).toMatch(/balance 0.0001 does not cover the price 0.0003/);
    expect((await call('getBalance', { clientKey: KEY })).json.balance).toBe(0.0001);
  });

  it('rejects createTask at zero balance', async () => {
    const { call } = setup();
    const { json } = await call('createTask', { clientKey: BROKE_KEY, task: IMAGE_TASK });
    expectError(json, 'ERROR_ZERO_BALANCE');
    expect(json.taskId).toBe(0);
  });

  it('answers createTask before the solve ends', async () => {
    const never: Solver = { solve: () => new Promise(() => undefined) };
    const { call } = setup({ solvers: never });
    const { json } = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(json.errorId).toBe(0);
  });

  it('accepts reports on solved tasks', async () => {
    const reports: string[] = [];
    const hooks = { onIncorrectReport: (_: unknown, kind: string) => void reports.push(kind) };
    const { call, advance } = setup({ hooks });
    const image = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    const token = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    const other = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    const early = await call('reportIncorrectImageCaptcha', {
      clientKey: KEY,
      taskId: image.json.taskId,
    });
    expectError(early.json, 'ERROR_NO_SUCH_CAPCHA_ID');
    expect(early.json.errorDescription).toMatch(/still processing/);

    await advance(1_000);
    const reportImage = await call('reportIncorrectImageCaptcha', {
      clientKey: KEY,
      taskId: image.json.taskId,
    });
    const reportToken = await call('reportIncorrectTokenCaptcha', {
      clientKey: KEY,
      taskId: token.json.taskId,
    });
    const reportAlias = await call('reportIncorrectRecaptcha', {
      clientKey: KEY,
      taskId: other.json.taskId,
    });
    expect(reportImage.json).toEqual({ errorId: 0, status: 'success' });
    expect(reportToken.json).toEqual({ errorId: 0, status: 'success' });
    expect(reportAlias.json).toEqual({ errorId: 0, status: 'success' });
    expect(reports).toEqual(['image', 'token', 'token']);
  });

  it('rejects a report through the wrong method', async () => {
    const reports: string[] = [];
    const hooks = { onIncorrectReport: (_: unknown, kind: string) => void reports.push(kind) };
    const { call, advance } = setup({ hooks });
    const image = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    const token = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    await advance(1_000);

    const imageAsToken = await call('reportIncorrectTokenCaptcha', {
      clientKey: KEY,
      taskId: image.json.taskId,
    });
    expectError(imageAsToken.json, 'ERROR_TASK_NOT_SUPPORTED');
    expect(imageAsToken.json.errorDescription).toBe(
      `Task ${image.json.taskId} (ImageToTextTask) is an image task; report it with reportIncorrectImageCaptcha.`,
    );
    const tokenAsImage = await call('reportIncorrectImageCaptcha', {
      clientKey: KEY,
      taskId: token.json.taskId,
    });
    expectError(tokenAsImage.json, 'ERROR_TASK_NOT_SUPPORTED');
    expect(tokenAsImage.json.errorDescription).toMatch(
      /report it with reportIncorrectTokenCaptcha/,
    );
    expect(reports).toEqual([]);
  });

  it('counts a repeated report once', async () => {
    const reports: string[] = [];
    const hooks = { onIncorrectReport: (_: unknown, kind: string) => void reports.push(kind) };
    const { call, advance } = setup({ hooks });
    const token = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    await advance(1_000);

    const body = { clientKey: KEY, taskId: token.json.taskId };
    for (const method of ['reportIncorrectTokenCaptcha', 'reportIncorrectRecaptcha']) {
      expect((await call(method, body)).json).toEqual({ errorId: 0, status: 'success' });
      expect((await call(method, body)).json).toEqual({ errorId: 0, status: 'success' });
    }
    expect(reports).toEqual(['token']);
  });

  it('routes by the last path segment', async () => {
    const { server } = setup();
    const body = JSON.stringify({ clientKey: KEY });
    for (const path of [
      '/getBalance',
      '/api/v2/getBalance',
      '/deep/mount/getBalance/',
      '/GETBALANCE',
    ]) {
      const response = await server(post(path, body));
      expect(await response.json(), path).toEqual({ errorId: 0, balance: 100, ...LONG_POLL });
    }
  });

  it('applies clientKey modifiers', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const sandbox = createSandboxSolver({ latencyMs: 0 });
    const spy: Solver = {
      solve: (task, context) => {
        seen.push(task);
        return sandbox.solve(task, context);
      },
    };
    const { call } = setup({ solvers: spy });
    const image = await call('createTask', {
      clientKey: `${KEY}__solvemedia__recognizingthreshold_70`,
      task: IMAGE_TASK,
    });
    const token = await call('createTask', { clientKey: `${KEY}__nocache`, task: TURNSTILE_TASK });
    expect(image.json.errorId).toBe(0);
    expect(token.json.errorId).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen[0]).toMatchObject({ capMonsterModule: 'solvemedia', recognizingThreshold: 70 });
    expect(seen[1]).toMatchObject({ nocache: true });
    expect(seen[1]?.capMonsterModule).toBeUndefined();
  });

  it('rejects an invalid threshold modifier', async () => {
    const { call } = setup();
    const { json } = await call('createTask', {
      clientKey: `${KEY}__recognizingthreshold_500`,
      task: IMAGE_TASK,
    });
    expectError(json, 'ERROR_KEY_DOES_NOT_EXIST');
    expect(json.errorDescription).toMatch(/0 to 100/);
  });

  it('reports a type without a solver', async () => {
    const imageOnly: Solver = { types: ['ImageToTextTask'], solve: async () => ({ text: 'x' }) };
    const { call } = setup({ solvers: imageOnly });
    const { json } = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expectError(json, 'ERROR_TASK_NOT_SUPPORTED');
    expect(json.errorDescription).toMatch(/TurnstileTask/);
    expect(json.taskId).toBe(0);
  });

  it('routes by solver types, aliases included', async () => {
    const recaptcha: Solver = {
      types: ['NoCaptchaTask'],
      solve: async () => ({ gRecaptchaResponse: 'from-specific' }),
    };
    const fallback: Solver = { solve: async () => ({ gRecaptchaResponse: 'from-fallback' }) };
    const { call, advance } = setup({ solvers: [fallback, recaptcha] });
    const task = {
      type: 'RecaptchaV2Task',
      websiteURL: 'https://a.example.test/',
      websiteKey: 'k',
    };
    const { json } = await call('createTask', { clientKey: KEY, task });
    await advance(0);
    const result = await call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.solution).toEqual({ gRecaptchaResponse: 'from-specific' });
  });
});

describe('task server input errors', () => {
  const raw = async (
    body: BodyInit | null,
    headers: Record<string, string> = {},
    path = '/createTask',
  ) => {
    const response = await setup().server(post(path, body, headers));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    return (await response.json()) as Record<string, unknown>;
  };

  it.each([
    ['invalid JSON', '{"clientKey":', /not valid JSON/],
    ['an empty body', '', /empty/],
    ['a whitespace body', '  \n', /empty/],
    ['an array body', '[1,2]', /must be a JSON object, got an array/],
    ['a null body', 'null', /got null/],
    ['a string body', '"text"', /got a string/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /UTF-8/],
  ])('rejects %s with ERROR_TASK_ABSENT', async (_, body, description) => {
    const json = await raw(body);
    expectError(json, 'ERROR_TASK_ABSENT');
    expect(json.errorDescription).toMatch(description);
    expect(json.taskId).toBe(0);
  });

  it('omits taskId outside createTask', async () => {
    const json = await raw('oops', {}, '/getBalance');
    expectError(json, 'ERROR_TASK_ABSENT');
    expect(json).not.toHaveProperty('taskId');
  });

  it.each([
    ['no Content-Type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form type', { 'content-type': 'application/x-www-form-urlencoded' }],
  ])('parses JSON sent with %s', async (_, headers) => {
    const request = new Request('http://captask.test/getBalance', {
      method: 'POST',
      body: JSON.stringify({ clientKey: KEY, appId: 'x', softId: 54 }),
      headers,
    });
    if (Object.keys(headers).length === 0) request.headers.delete('content-type');
    const response = await setup().server(request);
    expect(await response.json()).toEqual({ errorId: 0, balance: 100, ...LONG_POLL });
  });

  it.each([
    ['missing', {}, /missing/],
    ['a number', { clientKey: 42 }, /non-empty string/],
    ['empty', { clientKey: '' }, /non-empty string/],
    ['unknown', { clientKey: 'nobody-has-this-key' }, /not a key of this server/],
    ['only modifiers', { clientKey: '__nocache' }, /not a key of this server/],
  ])('rejects a clientKey that is %s', async (_, body, description) => {
    const json = await raw(JSON.stringify({ ...body, task: IMAGE_TASK }));
    expectError(json, 'ERROR_KEY_DOES_NOT_EXIST');
    expect(json.errorDescription).toMatch(description);
    expect(json.taskId).toBe(0);
    expect(JSON.stringify(json)).not.toContain('nobody-has-this-key');
  });

  it.each([
    ['missing', { clientKey: KEY }, 'ERROR_TASK_ABSENT', /task field is missing/],
    [
      'not an object',
      { clientKey: KEY, task: 'ImageToTextTask' },
      'ERROR_TASK_ABSENT',
      /got a string/,
    ],
    [
      'of unknown type',
      { clientKey: KEY, task: { type: 'MagicTask' } },
      'ERROR_TASK_NOT_SUPPORTED',
      /MagicTask/,
    ],
    [
      'without a type',
      { clientKey: KEY, task: { body: 'x' } },
      'ERROR_TASK_NOT_SUPPORTED',
      /task.type is required/,
    ],
  ])('rejects a task that is %s', async (_, body, code, description) => {
    const json = await raw(JSON.stringify(body));
    expectError(json, code);
    expect(json.errorDescription).toMatch(description);
    expect(json.taskId).toBe(0);
  });

  it('names an unknown path', async () => {
    const json = await raw(JSON.stringify({ clientKey: KEY }), {}, '/v1/solveEverything');
    expectError(json, 'ERROR_NO_SUCH_METHOD');
    expect(json.errorDescription).toMatch(/^No method is named "solveEverything"; POST to a path/);
  });

  it('answers GET with a protocol error and Allow', async () => {
    const response = await setup().server(new Request('http://captask.test/getBalance'));
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toBe('POST');
    const json = expectError(
      (await response.json()) as Record<string, unknown>,
      'ERROR_NO_SUCH_METHOD',
    );
    expect(json.errorDescription).toMatch(/HTTP method GET/);
  });

  it('answers HEAD without a body', async () => {
    const response = await setup().server(
      new Request('http://captask.test/getBalance', { method: 'HEAD' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.text()).toBe('');
  });

  it('answers OPTIONS with the allowed methods', async () => {
    const response = await setup().server(
      new Request('http://captask.test/createTask', { method: 'OPTIONS' }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('OPTIONS, POST');
  });

  it.each<[string, (id: number) => unknown]>([
    ['a numeric string', (id) => String(id)],
    ['a number', (id) => id],
  ])('accepts taskId as %s', async (_, encode) => {
    const { call } = setup();
    const { json } = await call('createTask', { clientKey: KEY, task: IMAGE_TASK });
    const result = await call('getTaskResult', {
      clientKey: KEY,
      taskId: encode(json.taskId as number),
    });
    expect(result.json).toEqual({ errorId: 0, status: 'processing' });
  });

  it.each([
    [1.5, /positive integer, got 1.5/],
    ['12ab', /the string "12ab"/],
    [undefined, /taskId is missing/],
    [-3, /positive integer, got -3/],
    [{}, /an object/],
  ])('rejects taskId %j', async (taskId, description) => {
    const { call } = setup();
    const { json } = await call('getTaskResult', { clientKey: KEY, taskId });
    expectError(json, 'ERROR_NO_SUCH_CAPCHA_ID');
    expect(json.errorDescription).toMatch(description);
  });

  it('reports an unknown task id', async () => {
    const { call } = setup();
    const { json } = await call('getTaskResult', { clientKey: KEY, taskId: 3_000_000_123 });
    expectError(json, 'ERROR_NO_SUCH_CAPCHA_ID');
    expect(json.errorDescription).toMatch(/No task 3000000123/);
  });

  it('reports a failing store as a retryable error', async () => {
    const errors: CaptaskError[] = [];
    const { call, server } = setup({ hooks: { onError: (error) => void errors.push(error) } });
    server.store.get = async () => {
      throw new Error('disk on fire');
    };
    const { json } = await call('getTaskResult', { clientKey: KEY, taskId: 3_000_000_123 });
    expectError(json, 'ERROR_NO_SLOT_AVAILABLE');
    expect(JSON.stringify(json)).not.toContain('disk on fire');
    expect(errors).toHaveLength(1);
  });
});
