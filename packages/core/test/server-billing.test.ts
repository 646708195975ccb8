import {
  type AccountSource,
  createMemoryStore,
  createStaticAccounts,
  type Solver,
} from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestServer,
  flush,
  KEY,
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

/** Static accounts that record the lowest balance any charge left behind. */
function watchedAccounts(balance: number): AccountSource & { lowest: () => number } {
  const inner = createStaticAccounts({ keys: [{ key: KEY, balance }] });
  let lowest = balance;
  return {
    ...inner,
    async charge(accountId, amount, taskId) {
      const charged = await inner.charge(accountId, amount, taskId);
      lowest = Math.min(lowest, await inner.getBalance(accountId));
      return charged;
    },
    lowest: () => lowest,
  };
}

async function balanceOf(test: TestServer): Promise<number> {
  return (await test.call('getBalance', { clientKey: KEY })).json.balance as number;
}

const GEETEST_TASK = {
  type: 'GeeTestTask',
  websiteURL: 'https://shop.example.test/',
  gt: '81388ea1fc187e0c335c0a8907ff2625',
  challenge: 'sandbox-error-ERROR_TOKEN_EXPIRED',
};

describe('task server billing', () => {
  it('accepts only the tasks the balance covers', async () => {
    // 0.996 covers 498 Turnstile tasks at 0.002 each.
    const accounts = watchedAccounts(0.996);
    const test = setup({ accounts });
    const body = JSON.stringify({ clientKey: KEY, task: TURNSTILE_TASK });
    const responses = await Promise.all(
      Array.from({ length: 600 }, () => test.server(post('/createTask', body))),
    );
    const bodies = await Promise.all(responses.map((response) => response.json()));

    const accepted = bodies.filter((json) => json.errorId === 0);
    const rejected = bodies.filter((json) => json.errorCode === 'ERROR_ZERO_BALANCE');
    expect(accepted).toHaveLength(498);
    expect(rejected).toHaveLength(102);
    expect(rejected[0]?.errorDescription).toMatch(/does not cover the price 0.002/);
    expect(accounts.lowest()).toBeGreaterThanOrEqual(0);
    expect(await balanceOf(test)).toBe(0);
  });

  it('removes a task whose reservation fails', async () => {
    // A stale balance, as another instance's spending can cause, passes the early check.
    const accounts = createStaticAccounts({ keys: [{ key: KEY, balance: 0.002 }] });
    const stale: AccountSource = { ...accounts, getBalance: async () => 1 };
    const store = createMemoryStore();
    const created: number[] = [];
    const test = setup({
      accounts: stale,
      store: {
        ...store,
        async create(input) {
          const task = await store.create(input);
          created.push(task.id);
          return task;
        },
      },
    });
    const first = await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(first.json.errorId).toBe(0);
    const second = await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(second.json.errorCode).toBe('ERROR_ZERO_BALANCE');
    expect(created).toHaveLength(2);
    expect(await store.get(created[0] as number)).toBeDefined();
    expect(await store.get(created[1] as number)).toBeUndefined();
    await store.close();
  });

  it('keeps the price of a solved task', async () => {
    const test = setup({ clientKeys: [{ key: KEY, balance: 1 }] });
    const { json } = await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(await balanceOf(test)).toBe(0.998);
    await test.advance(1_000);
    const result = await test.call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.status).toBe('ready');
    expect(result.json.cost).toBe(0.002);
    expect(await balanceOf(test)).toBe(0.998);
  });

  it('refunds a task that fails', async () => {
    const test = setup({ clientKeys: [{ key: KEY, balance: 1 }] });
    const task = { ...TURNSTILE_TASK, websiteKey: 'sandbox-error-ERROR_PROXY_BANNED' };
    const { json } = await test.call('createTask', { clientKey: KEY, task });
    expect(await balanceOf(test)).toBe(0.998);
    await test.advance(1_000);
    const result = await test.call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.errorCode).toBe('ERROR_PROXY_BANNED');
    expect(await balanceOf(test)).toBe(1);
  });

  it('keeps the price of an expired GeeTest token', async () => {
    const test = setup({ clientKeys: [{ key: KEY, balance: 1 }] });
    const { json } = await test.call('createTask', { clientKey: KEY, task: GEETEST_TASK });
    await test.advance(3_000);
    const result = await test.call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.errorCode).toBe('ERROR_TOKEN_EXPIRED');
    expect(await balanceOf(test)).toBe(0.998);
  });

  it('refunds a task past its deadline', async () => {
    const never: Solver = { solve: () => new Promise(() => undefined) };
    const test = setup({
      clientKeys: [{ key: KEY, balance: 1 }],
      solvers: never,
      limits: { solveTimeoutMs: 5_000 },
    });
    const { json } = await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(await balanceOf(test)).toBe(0.998);
    await test.advance(5_000);
    const result = await test.call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(result.json.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(await balanceOf(test)).toBe(1);
  });

  it('refunds tasks stopped by shutdown', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: KEY, balance: 1 }] });
    const test = setup({ accounts });
    await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    await test.call('createTask', { clientKey: KEY, task: TURNSTILE_TASK });
    expect(await accounts.getBalance('static-1')).toBe(0.996);
    await test.server.close();
    expect(await accounts.getBalance('static-1')).toBe(1);
  });

  it('refunds a failed task once', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: KEY, balance: 1 }] });
    const refunds: number[] = [];
    const test = setup({
      accounts: {
        ...accounts,
        async refund(accountId, amount, taskId) {
          const refunded = await accounts.refund(accountId, amount, taskId);
          if (refunded) refunds.push(taskId);
          return refunded;
        },
      },
    });
    const task = { ...TURNSTILE_TASK, websiteKey: 'sandbox-error-ERROR_PROXY_BANNED' };
    const { json } = await test.call('createTask', { clientKey: KEY, task });
    await test.advance(1_000);
    await test.server.close();
    await flush();
    expect(refunds).toEqual([json.taskId]);
    expect(await accounts.getBalance('static-1')).toBe(1);
  });

  it('rejects an account source without refund', () => {
    const { refund: _refund, ...withoutRefund } = createStaticAccounts({ keys: [KEY] });
    expect(() => setup({ accounts: withoutRefund as AccountSource })).toThrow(/no refund/);
  });
});
