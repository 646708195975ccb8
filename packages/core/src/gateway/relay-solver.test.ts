import { describe, expect, it } from 'vitest';
import { defaultSchedule } from '../client/default-schedules';
import { plannedPollTimes, resolvePlan } from '../client/schedule';
import { type CaptaskError, isCaptaskError } from '../protocol/errors';
import { createManualClock, type ManualClock } from '../server/manual-clock';
import { createSandboxSolver } from '../server/sandbox-solver';
import { createTaskServer, type TaskServer } from '../server/task-server';
import type { AccountSource, Logger, Solver } from '../server/types';
import { type RelaySolverOptions, relaySolver } from './relay-solver';

const UPSTREAM_KEY = 'upstream-secret-key-0001';
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://shop.example.test/',
  websiteKey: '0x4AAAAAAAsandbox',
};
const IMAGE = { type: 'ImageToTextTask', body: btoa('x'.repeat(300)) };

type Handler = (request: Request) => Promise<Response>;

/** Routes fetch calls by host to in-process handlers and records every request body. */
function createNetwork(routes: Record<string, Handler>) {
  const requests: Array<{ host: string; path: string; body: Record<string, unknown> }> = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    requests.push({ host: url.host, path: url.pathname, body });
    const handler = routes[url.host];
    if (handler === undefined) throw new TypeError(`no route to ${url.host}`);
    return handler(
      new Request(url, { method: 'POST', body: String(init.body), signal: init.signal }),
    );
  };
  const count = (host: string, path: string): number =>
    requests.filter((request) => request.host === host && request.path === path).length;
  return { fetch, requests, count };
}

/**
 * Upstream accounts without the static source's SHA-256 step, whose work in the crypto thread
 * pool would race the manual clock that fires the relay's request timeouts.
 */
function upstreamAccounts(balance: number): AccountSource {
  return {
    authenticate: async (key) => (key === UPSTREAM_KEY ? { id: 'upstream-1' } : undefined),
    getBalance: async () => balance,
    charge: async () => balance > 0,
    refund: async () => false,
  };
}

function sandboxUpstream(
  clock: ManualClock,
  latencyMs: number,
  options: { longPoll?: boolean } = {},
): TaskServer {
  return createTaskServer({
    accounts: upstreamAccounts(100),
    solvers: createSandboxSolver({ latencyMs, clock, timers: clock }),
    clock,
    timers: clock,
    ...options,
  });
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (context: Record<string, unknown>, message: string): void => {
    lines.push(`${message} ${JSON.stringify(context)}`);
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

/** Runs a solve on the manual clock: advances time in steps until the promise settles. */
async function runSolve(
  solver: Solver,
  task: Record<string, unknown> & { type: string },
  clock: ManualClock,
  stepMs = 50,
): Promise<{ solution?: Record<string, unknown>; error?: CaptaskError }> {
  let settled: { solution?: Record<string, unknown>; error?: CaptaskError } | undefined;
  const controller = new AbortController();
  solver.solve(task, { taskId: 4_000_000_001, signal: controller.signal }).then(
    (solution) => {
      settled = { solution };
    },
    (error: unknown) => {
      if (!isCaptaskError(error)) throw error;
      settled = { error };
    },
  );
  for (let step = 0; step < 10_000 && settled === undefined; step++) {
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    if (settled === undefined) clock.advance(stepMs);
  }
  if (settled === undefined) throw new Error('solve did not settle within 500 s of manual time');
  return settled;
}

function relay(clock: ManualClock, options: RelaySolverOptions): Solver {
  return relaySolver({ clock, timers: clock, createRetryDelayMs: 1_000, ...options });
}

/** A sandbox upstream whose first task id is 4000000123, for tests that look for upstream ids. */
function sandboxUpstreamHandler(latencyMs: number) {
  return (clock: ManualClock): Handler => {
    const upstream = sandboxUpstream(clock, latencyMs, { longPoll: false });
    return async (request) => {
      const response = await upstream(request);
      if (new URL(request.url).pathname !== '/createTask') return response;
      const body = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...body, taskId: 4_000_000_123 });
    };
  };
}

/** An upstream that creates task 4000000123 and fails it with `description`. */
function failingHandler(description: string) {
  return (): Handler => async (request) =>
    new URL(request.url).pathname === '/createTask'
      ? Response.json({ errorId: 0, taskId: 4_000_000_123 })
      : Response.json({
          errorId: 1,
          errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
          errorDescription: description,
        });
}

describe('relaySolver with one upstream', () => {
  it('forwards the task and returns the upstream solution', async () => {
    const clock = createManualClock();
    const upstream = sandboxUpstream(clock, 7_000);
    const network = createNetwork({ 'up.test': upstream });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });

    const { solution, error } = await runSolve(solver, TURNSTILE, clock);
    expect(error).toBeUndefined();
    expect(solution).toHaveProperty('token');
    expect(network.count('up.test', '/createTask')).toBe(1);
    const created = network.requests.find((request) => request.path === '/createTask');
    expect(created?.body.task).toEqual(TURNSTILE);
  });

  it('polls upstream on the default schedule of the type', async () => {
    const clock = createManualClock();
    const upstream = sandboxUpstream(clock, 7_000, { longPoll: false });
    const network = createNetwork({ 'up.test': upstream });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });
    await runSolve(solver, TURNSTILE, clock, 10);

    // Polls planned before the task was ready (7 s), plus the one that found it ready.
    const plan = resolvePlan(defaultSchedule(TURNSTILE), [], 120);
    const expected = plannedPollTimes(plan).filter((time) => time < 7_000).length + 1;
    expect(network.count('up.test', '/getTaskResult')).toBe(expected);
    expect(expected).toBeLessThanOrEqual(120);
  });

  it('uses long polling where the upstream announces it', async () => {
    const clock = createManualClock();
    const upstream = sandboxUpstream(clock, 7_000);
    const network = createNetwork({ 'up.test': upstream });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });
    const { solution } = await runSolve(solver, TURNSTILE, clock, 10);

    expect(solution).toHaveProperty('token');
    expect(network.count('up.test', '/getTaskResult')).toBe(1);
    const poll = network.requests.find((request) => request.path === '/getTaskResult');
    expect(poll?.body.captask).toEqual({ waitMs: 20_000 });
  });

  it('keeps the upstream error code', async () => {
    const clock = createManualClock();
    const network = createNetwork({ 'up.test': sandboxUpstream(clock, 1_000) });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });
    const task = { ...TURNSTILE, websiteKey: 'sandbox-error-ERROR_RECAPTCHA_INVALID_SITEKEY' };

    const { error } = await runSolve(solver, task, clock);
    expect(error?.serverErrorCode ?? error?.code).toBe('ERROR_RECAPTCHA_INVALID_SITEKEY');
  });

  it('keeps createTask errors such as ERROR_ZERO_BALANCE', async () => {
    const clock = createManualClock();
    const upstream = createTaskServer({
      accounts: upstreamAccounts(0),
      solvers: createSandboxSolver({ latencyMs: 1_000, clock, timers: clock }),
      clock,
      timers: clock,
    });
    const network = createNetwork({ 'up.test': upstream });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.serverErrorCode ?? error?.code).toBe('ERROR_ZERO_BALANCE');
    expect(network.count('up.test', '/createTask')).toBe(1);
  });

  it('never puts the upstream key into errors or logs', async () => {
    const clock = createManualClock();
    const logger = recordingLogger();
    const network = createNetwork({
      'up.test': async () =>
        Response.json({
          errorId: 1,
          errorCode: 'ERROR_KEY_DOES_NOT_EXIST',
          errorDescription: `key ${UPSTREAM_KEY} is unknown`,
        }),
    });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
      logger,
    });

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(JSON.stringify(error)).not.toContain(UPSTREAM_KEY);
    expect(error?.message).not.toContain(UPSTREAM_KEY);
    expect(logger.lines.join('\n')).not.toContain(UPSTREAM_KEY);
  });

  it('fails the task when polls keep getting ERROR_NO_SLOT_AVAILABLE', async () => {
    const clock = createManualClock();
    const network = createNetwork({
      'up.test': async (request) =>
        new URL(request.url).pathname === '/createTask'
          ? Response.json({ errorId: 0, taskId: 31 })
          : Response.json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' }),
    });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.serverErrorCode).toBeUndefined();
    expect(network.count('up.test', '/getTaskResult')).toBe(4);
  });

  it.each([
    ['ERROR_NO_SUCH_CAPCHA_ID', { errorId: 1, errorCode: 'ERROR_NO_SUCH_CAPCHA_ID' }],
    ['WRONG_CAPTCHA_ID', { errorId: 1, errorCode: 'WRONG_CAPTCHA_ID' }],
  ])('turns an upstream %s into a lost task', async (_, reply) => {
    const clock = createManualClock();
    const network = createNetwork({
      'up.test': async (request) =>
        new URL(request.url).pathname === '/createTask'
          ? Response.json({ errorId: 0, taskId: 987_654_321 })
          : Response.json({ ...reply, errorDescription: 'Task 987654321 not found' }),
    });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.serverErrorCode).toBeUndefined();
    expect(error?.description).toMatch(/upstream provider lost the task/);
    expect(error?.description).not.toContain('987654321');
    expect(network.count('up.test', '/getTaskResult')).toBe(1);
  });

  it.each([
    ['a timeout', { schedule: { deadlineMs: 30_000 } }, sandboxUpstreamHandler(10_000_000)],
    ['a budget', { maxPolls: 2 }, sandboxUpstreamHandler(10_000_000)],
    ['a protocol error', {}, failingHandler('Task 4000000123 failed on 4000000123x')],
  ])('keeps the upstream task id out of %s', async (_, options, handler) => {
    const clock = createManualClock();
    const network = createNetwork({ 'up.test': handler(clock) });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
      ...options,
    });

    const { error } = await runSolve(solver, TURNSTILE, clock, 500);
    expect(error?.description).toBeDefined();
    expect(error?.description).not.toMatch(/4000000123(?!x)/);
    expect(error?.taskId).toBeUndefined();
  });

  it('turns an upstream that never finishes into ERROR_CAPTCHA_UNSOLVABLE', async () => {
    const clock = createManualClock();
    const network = createNetwork({ 'up.test': sandboxUpstream(clock, 10_000_000) });
    const solver = relay(clock, {
      baseUrl: 'http://up.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
      schedule: { deadlineMs: 30_000 },
    });

    const { error } = await runSolve(solver, TURNSTILE, clock, 500);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.description).toMatch(/did not finish/);
  });
});

describe('relaySolver failover', () => {
  const noSlot: Handler = async () =>
    Response.json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE', errorDescription: 'busy' });

  function twoUpstreams(first: Handler, clock: ManualClock) {
    const network = createNetwork({ 'a.test': first, 'b.test': sandboxUpstream(clock, 1_000) });
    const solver = relay(clock, {
      fetch: network.fetch,
      upstreams: [
        { baseUrl: 'http://a.test', clientKey: UPSTREAM_KEY },
        { baseUrl: 'http://b.test', clientKey: UPSTREAM_KEY },
      ],
    });
    return { network, solver };
  }

  it('moves on after ERROR_NO_SLOT_AVAILABLE', async () => {
    const clock = createManualClock();
    const { network, solver } = twoUpstreams(noSlot, clock);

    const { solution } = await runSolve(solver, TURNSTILE, clock);
    expect(solution).toHaveProperty('token');
    expect(network.count('a.test', '/createTask')).toBe(1);
    expect(network.count('b.test', '/createTask')).toBe(1);
    expect(network.count('a.test', '/getTaskResult')).toBe(0);
  });

  it('moves on after HTTP 503 with ERROR_NO_SLOT_AVAILABLE', async () => {
    const clock = createManualClock();
    const { network, solver } = twoUpstreams(
      async () =>
        Response.json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' }, { status: 503 }),
      clock,
    );

    const { solution } = await runSolve(solver, TURNSTILE, clock);
    expect(solution).toHaveProperty('token');
    expect(network.count('a.test', '/createTask')).toBe(1);
    expect(network.count('b.test', '/createTask')).toBe(1);
  });

  it.each([500, 502, 503])('stops after HTTP %i without a protocol body', async (status) => {
    const clock = createManualClock();
    const { network, solver } = twoUpstreams(
      async () => new Response('<html>down</html>', { status }),
      clock,
    );

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.description).toMatch(/may have created/);
    expect(network.count('a.test', '/createTask')).toBe(1);
    expect(network.count('b.test', '/createTask')).toBe(0);
  });

  it('moves on when the connection is refused', async () => {
    const clock = createManualClock();
    const connectionRefused: Handler = async () => {
      const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
        code: 'ECONNREFUSED',
      });
      throw new TypeError('fetch failed', { cause });
    };
    const { network, solver } = twoUpstreams(connectionRefused, clock);

    const { solution } = await runSolve(solver, TURNSTILE, clock);
    expect(solution).toHaveProperty('token');
    expect(network.count('b.test', '/createTask')).toBe(1);
  });

  it('does not move on after HTTP 504', async () => {
    const clock = createManualClock();
    const { network, solver } = twoUpstreams(
      async () => new Response('gateway timeout', { status: 504 }),
      clock,
    );

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(network.count('b.test', '/createTask')).toBe(0);
  });

  it('does not move on after a request timeout', async () => {
    const clock = createManualClock();
    const hang: Handler = (request) =>
      new Promise((_, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      });
    const { network, solver } = twoUpstreams(hang, clock);

    const { error } = await runSolve(solver, TURNSTILE, clock, 1_000);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.description).toMatch(/timed out/);
    expect(network.count('a.test', '/createTask')).toBe(1);
    expect(network.count('b.test', '/createTask')).toBe(0);
  });

  it('does not move on after a dropped connection', async () => {
    const clock = createManualClock();
    const dropped: Handler = async () => {
      const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      throw new TypeError('fetch failed', { cause });
    };
    const { network, solver } = twoUpstreams(dropped, clock);

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(network.count('b.test', '/createTask')).toBe(0);
  });

  it('does not move on after a final rejection', async () => {
    const clock = createManualClock();
    const { network, solver } = twoUpstreams(
      async () => Response.json({ errorId: 1, errorCode: 'ERROR_ZERO_BALANCE' }),
      clock,
    );

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_ZERO_BALANCE');
    expect(network.count('b.test', '/createTask')).toBe(0);
  });

  it('retries whole passes, then fails the task as unsolvable', async () => {
    const clock = createManualClock();
    const network = createNetwork({ 'a.test': noSlot, 'b.test': noSlot });
    const solver = relay(clock, {
      fetch: network.fetch,
      createRounds: 3,
      upstreams: [
        { baseUrl: 'http://a.test', clientKey: UPSTREAM_KEY },
        { baseUrl: 'http://b.test', clientKey: UPSTREAM_KEY },
      ],
    });

    const { error } = await runSolve(solver, TURNSTILE, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.description).toMatch(/No upstream accepted the task in 3 passes/);
    expect(network.count('a.test', '/createTask')).toBe(3);
    expect(network.count('b.test', '/createTask')).toBe(3);
  });

  it('succeeds on a later pass when capacity returns', async () => {
    const clock = createManualClock();
    const upstream = sandboxUpstream(clock, 1_000);
    let noSlotResponses = 2;
    const flaky: Handler = (request) =>
      noSlotResponses-- > 0 ? noSlot(request) : upstream(request);
    const network = createNetwork({ 'a.test': flaky });
    const solver = relay(clock, {
      baseUrl: 'http://a.test',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
    });

    const { solution } = await runSolve(solver, TURNSTILE, clock);
    expect(solution).toHaveProperty('token');
    expect(network.count('a.test', '/createTask')).toBe(3);
  });
});

describe('relaySolver routing', () => {
  it('sends each type to the first upstream that takes it', async () => {
    const clock = createManualClock();
    const network = createNetwork({
      'img.test': sandboxUpstream(clock, 500),
      'token.test': sandboxUpstream(clock, 500),
    });
    const solver = relay(clock, {
      fetch: network.fetch,
      upstreams: [
        { baseUrl: 'http://img.test', clientKey: UPSTREAM_KEY, types: ['ImageToTextTask'] },
        { baseUrl: 'http://token.test', clientKey: UPSTREAM_KEY },
      ],
    });

    await runSolve(solver, IMAGE, clock);
    await runSolve(solver, TURNSTILE, clock);
    expect(network.count('img.test', '/createTask')).toBe(1);
    expect(network.count('token.test', '/createTask')).toBe(1);
    expect(network.requests.find((r) => r.host === 'img.test')?.body.task).toMatchObject({
      type: 'ImageToTextTask',
    });
  });

  it('lists the types of all upstreams', () => {
    const solver = relaySolver({
      upstreams: [
        { baseUrl: 'http://img.test', clientKey: UPSTREAM_KEY, types: ['ImageToTextTask'] },
        { baseUrl: 'https://api.capsolver.com', clientKey: UPSTREAM_KEY, types: ['NoCaptchaTask'] },
      ],
    });
    expect(solver.types).toEqual(['ImageToTextTask', 'RecaptchaV2Task']);
  });

  it('rejects a type no upstream takes', async () => {
    const clock = createManualClock();
    const solver = relay(clock, {
      baseUrl: 'https://api.capsolver.com',
      clientKey: UPSTREAM_KEY,
      fetch: async () => {
        throw new Error('no request expected');
      },
    });
    const { error } = await runSolve(
      solver,
      { type: 'YidunTask', websiteURL: 'x', websiteKey: 'y' },
      clock,
    );
    expect(error?.code).toBe('ERROR_TASK_NOT_SUPPORTED');
  });
});

/**
 * A stand-in for CapSolver's API as its public documentation describes it: UUID task ids,
 * `idle` before `processing`, image solutions inside the createTask response, its own type names
 * and error codes. It records the task objects it receives.
 */
function capSolverLikeUpstream() {
  const tasks = new Map<string, { polls: number; task: Record<string, unknown> }>();
  const received: Array<Record<string, unknown>> = [];
  const handler: Handler = async (request) => {
    const body = (await request.json()) as Record<string, unknown>;
    if (body.clientKey !== UPSTREAM_KEY) {
      return Response.json({ errorId: 1, errorCode: 'ERROR_KEY_DENIED_ACCESS' });
    }
    const method = new URL(request.url).pathname.slice(1);
    if (method === 'createTask') {
      const task = body.task as Record<string, unknown>;
      received.push(task);
      const id = crypto.randomUUID();
      if (task.type === 'ImageToTextTask') {
        return Response.json({
          errorId: 0,
          taskId: id,
          status: 'ready',
          solution: { text: 'abc12' },
        });
      }
      tasks.set(id, { polls: 0, task });
      return Response.json({ errorId: 0, taskId: id });
    }
    const entry = typeof body.taskId === 'string' ? tasks.get(body.taskId) : undefined;
    if (entry === undefined)
      return Response.json({ errorId: 1, errorCode: 'ERROR_TASKID_INVALID' });
    entry.polls++;
    if (entry.task.websiteKey === 'fail') {
      return Response.json({
        errorId: 1,
        errorCode: 'ERROR_CAPTCHA_SOLVE_FAILED',
        errorDescription: 'failed',
      });
    }
    if (entry.polls === 1) return Response.json({ errorId: 0, status: 'idle' });
    if (entry.polls === 2) return Response.json({ errorId: 0, status: 'processing' });
    return Response.json({
      errorId: 0,
      status: 'ready',
      solution: { gRecaptchaResponse: 'token-1' },
    });
  };
  return { handler, received, tasks };
}

describe('relaySolver with the CapSolver dialect', () => {
  const RECAPTCHA = {
    type: 'RecaptchaV2Task',
    websiteURL: 'https://example.test/',
    websiteKey: 'k',
  };

  function capSolverRelay(clock: ManualClock) {
    const upstream = capSolverLikeUpstream();
    const network = createNetwork({ 'api.capsolver.com': upstream.handler });
    const solver = relay(clock, {
      baseUrl: 'https://api.capsolver.com',
      clientKey: UPSTREAM_KEY,
      fetch: network.fetch,
      schedule: { firstDelayMs: 1_000, intervalMs: 1_000, maxIntervalMs: 1_000, growth: 0 },
    });
    return { upstream, network, solver };
  }

  it('sends CapSolver type names and polls UUID ids through idle', async () => {
    const clock = createManualClock();
    const { upstream, network, solver } = capSolverRelay(clock);

    const { solution } = await runSolve(solver, RECAPTCHA, clock);
    expect(solution).toEqual({ gRecaptchaResponse: 'token-1' });
    expect(upstream.received[0]?.type).toBe('ReCaptchaV2TaskProxyLess');
    const polls = network.requests.filter((request) => request.path === '/getTaskResult');
    expect(polls).toHaveLength(3);
    expect(typeof polls[0]?.body.taskId).toBe('string');
    expect(polls[0]?.body.taskId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes an answer that arrives with createTask', async () => {
    const clock = createManualClock();
    const { network, solver } = capSolverRelay(clock);

    const { solution } = await runSolve(solver, IMAGE, clock);
    expect(solution).toEqual({ text: 'abc12' });
    expect(network.count('api.capsolver.com', '/getTaskResult')).toBe(0);
  });

  it('maps CapSolver error codes to catalogue codes', async () => {
    const clock = createManualClock();
    const { solver } = capSolverRelay(clock);

    const { error } = await runSolve(solver, { ...RECAPTCHA, websiteKey: 'fail' }, clock);
    expect(error?.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error?.description).toContain('ERROR_CAPTCHA_SOLVE_FAILED');
  });
});
