import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScriptedFetch, json, PROCESSING } from '../../test/client-fakes';
import { CaptaskError } from '../protocol/errors';
import { CAPMONSTER_CLOUD_URL, createClient } from './index';

const KEY = 'client-key-0123456789';
const BASE = 'http://127.0.0.1:9/prefix';

function clientWith(script: Parameters<typeof createScriptedFetch>[0]) {
  const scripted = createScriptedFetch(script);
  const client = createClient({ clientKey: KEY, baseUrl: BASE, fetch: scripted.fetch });
  return { client, ...scripted };
}

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptaskError);
  return error as CaptaskError;
}

describe('createClient', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('defaults to the CapMonster Cloud URL', () => {
    expect(CAPMONSTER_CLOUD_URL).toBe('https://api.capmonster.cloud');
  });

  it('rejects an empty clientKey and a budget above 120', () => {
    expect(() => createClient({ clientKey: '' })).toThrow(TypeError);
    expect(() => createClient({ clientKey: KEY, maxPolls: 121 })).toThrow(RangeError);
    expect(() => createClient({ clientKey: KEY, maxPolls: 0 })).toThrow(RangeError);
  });

  it('looks up globalThis.fetch at call time', async () => {
    const client = createClient({ clientKey: KEY, baseUrl: BASE });
    const scripted = createScriptedFetch({
      getBalance: [() => json({ errorId: 0, balance: 1.5 })],
    });
    vi.stubGlobal('fetch', scripted.fetch);

    await expect(client.getBalance()).resolves.toBe(1.5);
    expect(scripted.requests[0]?.url).toBe(`${BASE}/getBalance`);
  });

  it('sends createTask with callbackUrl and softId', async () => {
    const scripted = createScriptedFetch({ createTask: [() => json({ errorId: 0, taskId: 7 })] });
    const client = createClient({
      clientKey: KEY,
      baseUrl: BASE,
      fetch: scripted.fetch,
      softId: 54,
    });
    const task = {
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: 'k',
    } as const;

    const created = await client.createTask(task, { callbackUrl: 'https://example.test/cb' });
    expect(created).toEqual({ taskId: 7 });
    expect(JSON.parse(scripted.requests[0]?.body ?? '')).toEqual({
      clientKey: KEY,
      task,
      callbackUrl: 'https://example.test/cb',
      softId: 54,
    });
  });

  it('returns a ready solution from createTask', async () => {
    const solution = { token: 't', extra: { kept: true } };
    const { client } = clientWith({
      createTask: [() => json({ errorId: 0, taskId: 'a-uuid', status: 'ready', solution })],
    });

    const created = await client.createTask({
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: 'k',
    });
    expect(created).toEqual({ taskId: 'a-uuid', ready: solution });
  });

  it('rejects a createTask success without a taskId', async () => {
    const { client } = clientWith({ createTask: [() => json({ errorId: 0 })] });
    const error = await rejection(client.createTask({ type: 'ImageToTextTask', body: 'aGk=' }));

    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.retryable).toBe(false);
  });

  it('reads getTaskResult statuses', async () => {
    const { client, requests } = clientWith({
      getTaskResult: [
        () => json({ errorId: 0, status: 'processing' }),
        () => json({ errorId: 0, status: 'idle' }),
        () => json({ errorId: 1, errorCode: 'CAPTCHA_NOT_READY' }),
        () => json({ errorId: 0, status: 'ready', solution: { text: 'abc', extra: 1 }, cost: 0.1 }),
      ],
    });

    await expect(client.getTaskResult(5)).resolves.toEqual({
      status: 'processing',
      serverStatus: 'processing',
    });
    await expect(client.getTaskResult(5)).resolves.toEqual({
      status: 'processing',
      serverStatus: 'idle',
    });
    await expect(client.getTaskResult(5)).resolves.toMatchObject({ status: 'processing' });
    const ready = await client.getTaskResult(5);
    expect(ready).toEqual({
      status: 'ready',
      solution: { text: 'abc', extra: 1 },
      raw: { errorId: 0, status: 'ready', solution: { text: 'abc', extra: 1 }, cost: 0.1 },
    });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ clientKey: KEY, taskId: 5 });
  });

  it('sends a big task id back as a number literal', async () => {
    const { client, requests } = clientWith({ getTaskResult: [() => json(PROCESSING)] });

    await client.getTaskResult('9007199254740993123');
    expect(requests[0]?.body).toBe(`{"clientKey":"${KEY}","taskId":9007199254740993123}`);
  });

  it('throws protocol errors with code, status and task id', async () => {
    const { client } = clientWith({
      getTaskResult: [
        () =>
          json(
            { errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE', errorDescription: 'no luck' },
            500,
          ),
      ],
    });

    const error = await rejection(client.getTaskResult(99));
    expect(error.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error.description).toBe('no luck');
    expect(error.status).toBe(500);
    expect(error.method).toBe('getTaskResult');
    expect(error.taskId).toBe(99);
  });

  it('keeps an unknown server error code', async () => {
    const { client } = clientWith({
      getBalance: [() => json({ errorId: 1, errorCode: 'ERROR_SOMETHING_NEW' })],
    });

    const error = await rejection(client.getBalance());
    expect(error.code).toBe('UNKNOWN_ERROR_CODE');
    expect(error.serverErrorCode).toBe('ERROR_SOMETHING_NEW');
  });

  it('reports an errorId without errorCode as unknown', async () => {
    const { client } = clientWith({ getBalance: [() => json({ errorId: 1 })] });

    const error = await rejection(client.getBalance());
    expect(error.code).toBe('UNKNOWN_ERROR_CODE');
    expect(error.serverErrorCode).toBeUndefined();
    expect(error.message).toContain('no errorCode');
  });

  it('rejects a task without a type string', async () => {
    const { client, requests } = clientWith({});

    await expect(client.solve({} as never)).rejects.toThrow(TypeError);
    expect(requests).toHaveLength(0);
  });

  it('names non-protocol bodies without quoting them', async () => {
    const { client } = clientWith({
      getBalance: [
        () => new Response('<html>bad gateway</html>', { status: 502 }),
        () => new Response('', { status: 200 }),
        () => new Response('{"errorId":0,"bal', { status: 200 }),
        () => new Response('not found', { status: 404 }),
      ],
    });

    const gateway = await rejection(client.getBalance());
    expect(gateway.code).toBe('CLIENT_HTTP_ERROR');
    expect(gateway.status).toBe(502);
    expect(gateway.retryable).toBe(true);
    expect(gateway.message).toContain('HTML');
    expect(gateway.message).not.toContain('bad gateway');

    const empty = await rejection(client.getBalance());
    expect(empty.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(empty.message).toContain('empty body');

    const truncated = await rejection(client.getBalance());
    expect(truncated.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(truncated.message).toContain('truncated');

    const notFound = await rejection(client.getBalance());
    expect(notFound.code).toBe('CLIENT_HTTP_ERROR');
    expect(notFound.retryable).toBe(false);
  });

  it('reports incorrect solutions to the right path', async () => {
    const { client, requests } = clientWith({
      reportIncorrectImageCaptcha: [() => json({ errorId: 0, status: 'success' })],
      reportIncorrectTokenCaptcha: [() => json({ errorId: 0, status: 'success' })],
    });

    await client.reportIncorrect({ taskId: 1, kind: 'image' });
    await client.reportIncorrect({ taskId: 'uuid-2', kind: 'token' });
    expect(requests.map((request) => request.url)).toEqual([
      `${BASE}/reportIncorrectImageCaptcha`,
      `${BASE}/reportIncorrectTokenCaptcha`,
    ]);
    expect(requests[1]?.body).toBe(`{"clientKey":"${KEY}","taskId":"uuid-2"}`);
  });

  it('sends no fetch options that some runtime rejects', async () => {
    const seen: RequestInit[] = [];
    const client = createClient({
      clientKey: KEY,
      baseUrl: BASE,
      fetch: async (_input, init) => {
        seen.push(init);
        return json({ errorId: 0, balance: 2 });
      },
    });

    await client.getBalance();
    // Node 20, Deno 2, Bun 1 and workerd all accept `redirect: 'manual'` on fetch.
    expect(Object.keys(seen[0] ?? {}).sort()).toEqual([
      'body',
      'headers',
      'method',
      'redirect',
      'signal',
    ]);
    expect(seen[0]?.redirect).toBe('manual');
  });
});
