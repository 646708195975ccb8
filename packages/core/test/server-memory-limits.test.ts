import { createStaticAccounts } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestServer,
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

async function createMany(
  test: TestServer,
  count: number,
  body: Record<string, unknown>,
): Promise<Array<Record<string, unknown>>> {
  const text = JSON.stringify(body);
  const responses = await Promise.all(
    Array.from({ length: count }, () => test.server(post('/createTask', text))),
  );
  return Promise.all(responses.map((response) => response.json()));
}

const codesOf = (bodies: Array<Record<string, unknown>>): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const body of bodies) {
    const code = String(body.errorCode ?? 'created');
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
};

describe('task server memory limits', () => {
  it('caps tasks in progress per key at 1,000', async () => {
    const test = setup();
    const bodies = await createMany(test, 1_010, { clientKey: KEY, task: TURNSTILE_TASK });
    expect(codesOf(bodies)).toEqual({ created: 1_000, ERROR_NO_SLOT_AVAILABLE: 10 });
    const rejected = bodies.find((body) => body.errorId === 1);
    expect(rejected?.errorDescription).toMatch(/already has 1000 tasks in progress/);
  });

  it('frees a slot when a task finishes', async () => {
    const test = setup({ limits: { maxPendingTasksPerAccount: 2 } });
    const body = { clientKey: KEY, task: TURNSTILE_TASK };
    expect(codesOf(await createMany(test, 3, body))).toEqual({
      created: 2,
      ERROR_NO_SLOT_AVAILABLE: 1,
    });
    const other = await test.call('createTask', { clientKey: OTHER_KEY, task: TURNSTILE_TASK });
    expect(other.json.errorId).toBe(0);

    await test.advance(1_000);
    expect(codesOf(await createMany(test, 3, body))).toEqual({
      created: 2,
      ERROR_NO_SLOT_AVAILABLE: 1,
    });
  });

  it('frees the slot of a rejected task', async () => {
    // A stale balance passes the early check, so the reservation rejects after the slot is taken.
    const accounts = createStaticAccounts({ keys: [{ key: KEY, balance: 0.002 }] });
    const test = setup({
      accounts: { ...accounts, getBalance: async () => 1 },
      limits: { maxPendingTasksPerAccount: 2 },
    });
    const body = { clientKey: KEY, task: TURNSTILE_TASK };
    expect((await test.call('createTask', body)).json.errorId).toBe(0);
    expect((await test.call('createTask', body)).json.errorCode).toBe('ERROR_ZERO_BALANCE');
    expect((await test.call('createTask', body)).json.errorCode).toBe('ERROR_ZERO_BALANCE');
  });

  it('rejects a 1 MB userAgent', async () => {
    const test = setup();
    const task = { ...TURNSTILE_TASK, userAgent: 'x'.repeat(1_000_000) };
    const { json } = await test.call('createTask', { clientKey: KEY, task });
    expect(json.errorCode).toBe('ERROR_WRONG_USERAGENT');
    expect(json.errorDescription).toMatch(/has 1000000 characters; the maximum is 2048/);
  });

  it('bounds the bytes of stored tasks', async () => {
    const test = setup({ limits: { maxStoredTaskBytes: 1_000_000 } });
    // An unknown field has no length limit, so only the byte budget stops these.
    const task = { ...TURNSTILE_TASK, padding: 'x'.repeat(100_000) };
    const bodies = await createMany(test, 20, { clientKey: KEY, task });
    expect(codesOf(bodies)).toEqual({ created: 9, ERROR_NO_SLOT_AVAILABLE: 11 });
  });
});
