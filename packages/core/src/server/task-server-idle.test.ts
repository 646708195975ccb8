import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock';
import { createSandboxSolver } from './sandbox-solver';
import { createTaskServer } from './task-server';

const KEY = 'idle-test-key';

function post(method: string, body: Record<string, unknown>): Request {
  return new Request(`http://127.0.0.1/${method}`, {
    method: 'POST',
    body: JSON.stringify({ clientKey: KEY, ...body }),
  });
}

/** Lets pending promise callbacks run, so `idle()` can settle when nothing holds it back. */
async function flushPromises(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

describe('TaskServer idle', () => {
  it('resolves at once with no solve running', async () => {
    const server = createTaskServer({ clientKeys: [KEY], solvers: createSandboxSolver() });

    await expect(server.idle()).resolves.toBeUndefined();
    await server.close();
  });

  it('waits for the solves in progress', async () => {
    const clock = createManualClock();
    const server = createTaskServer({
      clientKeys: [KEY],
      clock,
      timers: clock,
      solvers: createSandboxSolver({ latencyMs: 1_000, clock, timers: clock }),
    });
    const task = { type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: 'k' };
    const created = (await (await server(post('createTask', { task }))).json()) as {
      taskId: number;
    };

    let idle = false;
    const waiting = server.idle().then(() => {
      idle = true;
    });
    await flushPromises();
    expect(idle).toBe(false);

    clock.advance(1_000);
    await waiting;
    const result = await (await server(post('getTaskResult', { taskId: created.taskId }))).json();

    expect(idle).toBe(true);
    expect(result).toMatchObject({ errorId: 0, status: 'ready' });
    await server.close();
  });
});
