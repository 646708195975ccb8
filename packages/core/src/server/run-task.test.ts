import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock';
import { createTaskServer } from './task-server';
import type { SolveContext, Solver } from './types';

const KEY = 'run-task-test-key';
const TASK = { type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: 'k' };

async function call(
  server: ReturnType<typeof createTaskServer>,
  method: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const request = new Request(`http://127.0.0.1/${method}`, {
    method: 'POST',
    body: JSON.stringify({ clientKey: KEY, ...body }),
  });
  return (await (await server(request)).json()) as Record<string, unknown>;
}

/** Lets pending promise callbacks run. */
async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

function setup(solver: Solver) {
  const clock = createManualClock();
  const server = createTaskServer({
    clientKeys: [{ key: KEY, balance: 1 }],
    clock,
    timers: clock,
    solvers: solver,
    limits: { solveTimeoutMs: 10_000, maxPendingTasksPerAccount: 1 },
  });
  return { clock, server };
}

describe('startSolving', () => {
  it('fails an unresponsive solve on close', async () => {
    let signal: AbortSignal | undefined;
    const { clock, server } = setup({
      solve: (_, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    });
    const created = await call(server, 'createTask', { task: TASK });
    await flushPromises();

    await server.close();
    const result = await call(server, 'getTaskResult', { taskId: created.taskId });
    const balance = await call(server, 'getBalance', {});

    expect(signal?.aborted).toBe(true);
    expect(result).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(result.errorDescription).toMatch(/shut down/);
    expect(balance.balance).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fails a synchronously throwing solver', async () => {
    const { clock, server } = setup({
      solve: () => {
        throw new Error('solver bug');
      },
    });
    const created = await call(server, 'createTask', { task: TASK });
    await server.idle();

    const result = await call(server, 'getTaskResult', { taskId: created.taskId });
    const balance = await call(server, 'getBalance', {});
    // The only slot of the key is free again.
    const next = await call(server, 'createTask', { task: TASK });

    expect(result).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(JSON.stringify(result)).not.toContain('solver bug');
    expect(balance.balance).toBe(1);
    expect(next.errorId).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    await server.close();
  });

  it('ignores a solution after the deadline', async () => {
    let deliver: ((solution: Record<string, unknown>) => void) | undefined;
    const { clock, server } = setup({
      solve: () =>
        new Promise((resolve) => {
          deliver = resolve;
        }),
    });
    const created = await call(server, 'createTask', { task: TASK });
    await flushPromises();

    clock.advance(10_000);
    await server.idle();
    deliver?.({ token: 'late' });
    await flushPromises();
    const result = await call(server, 'getTaskResult', { taskId: created.taskId });

    expect(result).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(result.errorDescription).toMatch(/10000 ms deadline/);
    expect(clock.pendingTimers).toBe(0);
    await server.close();
  });

  it('fails tasks at their own deadlines', async () => {
    const deliveries = new Map<string, (solution: Record<string, unknown>) => void>();
    const clock = createManualClock();
    const server = createTaskServer({
      clientKeys: [{ key: KEY, balance: 1 }],
      clock,
      timers: clock,
      solvers: {
        solve: (task) =>
          new Promise((resolve) => {
            deliveries.set(String(task.websiteKey), resolve);
          }),
      },
      limits: { solveTimeoutMs: 10_000 },
    });
    const ids: unknown[] = [];
    for (const name of ['a', 'b', 'c']) {
      const created = await call(server, 'createTask', { task: { ...TASK, websiteKey: name } });
      ids.push(created.taskId);
      expect(clock.pendingTimers).toBe(1);
      clock.advance(3_000);
      await flushPromises();
    }
    const states = async (): Promise<unknown[]> =>
      Promise.all(
        ids.map(async (taskId) => {
          const result = await call(server, 'getTaskResult', { taskId });
          return result.status ?? result.errorCode;
        }),
      );

    // a was created at 0, b at 3,000 and c at 6,000; the clock reads 9,000. a is solved in
    // time, and the timer armed for its deadline at 10,000 then waits again for b's.
    deliveries.get('a')?.({ token: 'a' });
    await flushPromises();
    clock.advance(3_999);
    await flushPromises();
    expect(await states()).toEqual(['ready', 'processing', 'processing']);
    clock.advance(1);
    await flushPromises();
    expect(await states()).toEqual(['ready', 'ERROR_CAPTCHA_UNSOLVABLE', 'processing']);
    clock.advance(2_999);
    await flushPromises();
    expect(await states()).toEqual(['ready', 'ERROR_CAPTCHA_UNSOLVABLE', 'processing']);
    clock.advance(1);
    await server.idle();
    expect(await states()).toEqual([
      'ready',
      'ERROR_CAPTCHA_UNSOLVABLE',
      'ERROR_CAPTCHA_UNSOLVABLE',
    ]);
    expect(clock.pendingTimers).toBe(0);
    await server.close();
  });

  it('aborts a signal read after the deadline', async () => {
    let context: SolveContext | undefined;
    const { clock, server } = setup({
      solve: (_, solveContext) => {
        context = solveContext;
        return new Promise(() => undefined);
      },
    });
    const created = await call(server, 'createTask', { task: TASK });
    await flushPromises();

    clock.advance(10_000);
    await server.idle();

    expect(context?.taskId).toBe(created.taskId);
    expect(context?.signal.aborted).toBe(true);
    expect(context?.signal.reason).toMatchObject({ code: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(String(context?.signal.reason?.description)).toMatch(/10000 ms deadline/);
    await server.close();
  });

  it('stores a solution that arrives in time', async () => {
    let deliver: ((solution: Record<string, unknown>) => void) | undefined;
    const { clock, server } = setup({
      solve: () =>
        new Promise((resolve) => {
          deliver = resolve;
        }),
    });
    const created = await call(server, 'createTask', { task: TASK });
    await flushPromises();

    clock.advance(9_999);
    deliver?.({ token: 'in-time' });
    await server.idle();
    const result = await call(server, 'getTaskResult', { taskId: created.taskId });

    expect(result).toMatchObject({ errorId: 0, status: 'ready', solution: { token: 'in-time' } });
    expect(clock.pendingTimers).toBe(0);
    await server.close();
  });
});
