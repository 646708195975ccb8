import { afterEach, describe, expect, it } from 'vitest';
import { createTestServer, KEY, post, type TestServer } from './server-helpers';

let current: TestServer | undefined;
const setup = (): TestServer => {
  current = createTestServer();
  return current;
};
afterEach(async () => {
  await current?.server.close();
  current = undefined;
});

/** A key shaped like CapMonster Cloud's: 32 hexadecimal characters. */
const SECRET = '0123456789abcdef0123456789abcdef';

async function send(test: TestServer, path: string): Promise<Record<string, unknown>> {
  const response = await test.server(post(path, JSON.stringify({ clientKey: KEY })));
  return (await response.json()) as Record<string, unknown>;
}

function logText(test: TestServer): string {
  return JSON.stringify(test.logger.entries);
}

describe('task server paths', () => {
  it.each([
    ['key after the method', `/getBalance/${SECRET}`],
    ['key before the method', `/${SECRET}/getBalance`],
    ['key as the only segment', `/${SECRET}`],
  ])('never logs a %s', async (_, path) => {
    const test = setup();
    await send(test, path);
    const entry = test.logger.entries.find((logged) => logged.message === 'request');
    expect(entry?.context.pathSegments).toBe(path.split('/').length - 1);
    expect(entry?.context.pathLength).toBe(path.length);
    expect(logText(test)).not.toContain(SECRET);
  });

  it('never echoes a long segment', async () => {
    const test = setup();
    const json = await send(test, `/getBalance/${SECRET}`);
    expect(json.errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(json.errorDescription).toMatch(
      /^The last path segment \(32 characters\) names no method/,
    );
    expect(JSON.stringify(json)).not.toContain(SECRET);
  });

  it('bounds the description of an 8 KB path', async () => {
    const test = setup();
    const json = await send(test, `/${'a'.repeat(8_000)}`);
    expect(json.errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(String(json.errorDescription).length).toBeLessThan(200);
  });

  it('names a short unknown method', async () => {
    const json = await send(setup(), '/api/solveAll');
    expect(json.errorDescription).toMatch(/^No method is named "solveAll"; POST to a path/);
  });

  it('explains an empty path', async () => {
    const json = await send(setup(), '/');
    expect(json.errorDescription).toMatch(/^The path names no method;/);
  });

  it('still routes a mounted method', async () => {
    const json = await send(setup(), '/v1/captask/getBalance');
    expect(json).toMatchObject({ errorId: 0, balance: 100 });
  });
});

describe('task server taskId errors', () => {
  it('quotes an id above the largest safe integer as sent', async () => {
    const test = setup();
    const body = `{"clientKey":"${KEY}","taskId":9007199254740993}`;
    const response = await test.server(post('/getTaskResult', body));
    const json = (await response.json()) as Record<string, unknown>;
    expect(json.errorCode).toBe('ERROR_NO_SUCH_CAPCHA_ID');
    expect(json.errorDescription).toBe(
      'taskId 9007199254740993 exceeds 9007199254740991, the largest safe integer, so no task has it; send the taskId that createTask returned.',
    );
  });
});
