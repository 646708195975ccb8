import { afterEach, describe, expect, it } from 'vitest';
import {
  BROKE_KEY,
  createTestServer,
  KEY,
  OTHER_KEY,
  type TestServer,
  TURNSTILE_TASK,
} from './server-helpers';

let running: TestServer | undefined;

afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

function setup(...args: Parameters<typeof createTestServer>): TestServer {
  running = createTestServer(...args);
  return running;
}

describe('server keyLimits', () => {
  it('rejects createTask beyond maxInFlight until a task finishes', async () => {
    const { call, advance } = setup({ keyLimits: { defaults: { maxInFlight: 2 } } });
    for (let index = 0; index < 2; index++) {
      expect(
        (await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorId,
      ).toBe(0);
    }

    const rejected = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(rejected.json).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_NO_SLOT_AVAILABLE',
      taskId: 0,
    });
    expect(rejected.json.errorDescription).toMatch(/2 tasks in flight/);

    const other = await call('createTask', { clientKey: OTHER_KEY, task: TURNSTILE_TASK });
    expect(other.json.errorId).toBe(0);

    await advance(1_000);
    expect((await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorId).toBe(
      0,
    );
  });

  it('rejects createTask beyond maxTasksPerMinute on the server clock', async () => {
    const { call, advance } = setup({ keyLimits: { defaults: { maxTasksPerMinute: 2 } } });
    await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(
      (await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorCode,
    ).toBe('ERROR_NO_SLOT_AVAILABLE');

    await advance(60_000);
    expect((await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorId).toBe(
      0,
    );
  });

  it('applies limits per account id', async () => {
    const { call } = setup({
      keyLimits: { defaults: { maxInFlight: 1 }, perAccount: { 'static-2': { maxInFlight: 3 } } },
    });
    const codes: unknown[] = [];
    for (let index = 0; index < 4; index++) {
      codes.push(
        (await call('createTask', { clientKey: OTHER_KEY, task: TURNSTILE_TASK })).json.errorId,
      );
    }
    expect(codes).toEqual([0, 0, 0, 1]);
  });

  it('reserves each task price once', async () => {
    const { call, advance } = setup({
      clientKeys: [{ key: KEY, balance: 0.005 }, OTHER_KEY, BROKE_KEY],
      prices: { types: { TurnstileTask: 0.002 } },
      keyLimits: { defaults: { maxInFlight: 10 } },
    });
    expect((await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorId).toBe(
      0,
    );
    expect((await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorId).toBe(
      0,
    );
    const third = await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(third.json.errorCode).toBe('ERROR_ZERO_BALANCE');

    await advance(1_000);
    expect((await call('getBalance', { clientKey: KEY })).json.balance).toBeCloseTo(0.001, 9);
    expect(
      (await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json.errorCode,
    ).toBe('ERROR_ZERO_BALANCE');
  });
});
