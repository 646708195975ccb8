import {
  createClient,
  createSandboxSolver,
  createTaskServer,
  type TaskServer,
} from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAll,
  type Gateway,
  startGateway,
  startUpstream,
  TEAM_KEY,
  TURNSTILE_TASK,
  teamClient,
  UPSTREAM_KEY,
  type Upstream,
} from '../src/gateway-fixture';
import { type Listening, listen } from '../src/listen';
import { type RecordingHandler, recordRequests } from '../src/request-log';

// Between two plain polls, so plain polling learns each result about 250 ms late.
const LATENCY_MS = 1_250;
const TASKS = 5;
const SCHEDULE = { firstDelayMs: 500, intervalMs: 500, maxIntervalMs: 500, growth: 0 };

let server: { server: TaskServer; recorded: RecordingHandler; http: Listening } | undefined;
let upstream: Upstream | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await closeAll([server, upstream, gateway]);
  server = undefined;
  upstream = undefined;
  gateway = undefined;
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('long polling against plain polling', () => {
  it('learns each result with one held request', async () => {
    const taskServer = createTaskServer({
      clientKeys: [TEAM_KEY],
      solvers: createSandboxSolver({ latencyMs: LATENCY_MS }),
    });
    const recorded = recordRequests(taskServer);
    server = { server: taskServer, recorded, http: await listen(recorded.handler) };
    const base = { clientKey: TEAM_KEY, baseUrl: server.http.url, schedule: SCHEDULE };
    const longPolling = createClient(base);
    const plain = createClient({ ...base, longPoll: false });

    const run = async (client: typeof plain) => {
      const results = await Promise.all(
        Array.from({ length: TASKS }, () => client.solve(TURNSTILE_TASK)),
      );
      return Promise.all(
        results.map(async (result) => {
          const stored = await taskServer.store.get(result.taskId as number);
          return {
            taskId: result.taskId,
            polls: result.polls,
            // Both clocks are Date.now() in this one process.
            learnedAfterMs: result.timings.readyAt - (stored?.completedAt ?? Number.NaN),
            completedAt: stored?.completedAt ?? Number.NaN,
          };
        }),
      );
    };
    const held = await run(longPolling);
    const polled = await run(plain);

    for (const task of held) {
      expect(task.polls).toBe(1);
      const requests = recorded.pollsOf(task.taskId);
      expect(requests).toHaveLength(1);
      // The one request arrived before the task finished, and its response left after it.
      expect(requests[0]?.receivedAt).toBeLessThan(task.completedAt);
      expect(requests[0]?.respondedAt).toBeGreaterThanOrEqual(task.completedAt);
      expect(JSON.parse(requests[0]?.requestText ?? '{}').captask).toEqual({ waitMs: 20_000 });
    }
    for (const task of polled) {
      // Ready after 1.25 s, polled every 500 ms from 500 ms on: 3 polls, 4 with late timers.
      expect(task.polls).toBeGreaterThanOrEqual(3);
      expect(task.polls).toBeLessThanOrEqual(5);
      expect(recorded.pollsOf(task.taskId)).toHaveLength(task.polls);
    }

    console.log(
      [
        `long polling: ${TASKS} tasks, ${held.reduce((sum, task) => sum + task.polls, 0)} requests,`,
        `median ${median(held.map((task) => task.learnedAfterMs))} ms from ready to client;`,
        `plain polling every ${SCHEDULE.intervalMs} ms: ${polled.reduce((sum, task) => sum + task.polls, 0)} requests,`,
        `median ${median(polled.map((task) => task.learnedAfterMs))} ms`,
      ].join(' '),
    );
  });

  it('lets a gateway hold one request upstream per task', async () => {
    upstream = await startUpstream({ latencyMs: LATENCY_MS, longPoll: true });
    gateway = await startGateway({
      relay: { baseUrl: upstream.http.url, clientKey: UPSTREAM_KEY, schedule: SCHEDULE },
    });
    const client = teamClient(gateway);
    const results = await Promise.all(
      Array.from({ length: TASKS }, () => client.solve(TURNSTILE_TASK)),
    );

    expect(results.map((result) => result.polls)).toEqual(Array(TASKS).fill(1));
    expect(upstream.recorded.count('createTask')).toBe(TASKS);
    expect(upstream.recorded.count('getTaskResult')).toBe(TASKS);
    expect(gateway.recorded.count('getTaskResult')).toBe(TASKS);
  });

  it('keeps the announcement away from other servers', async () => {
    upstream = await startUpstream({ latencyMs: 200 });
    const client = createClient({
      clientKey: UPSTREAM_KEY,
      baseUrl: upstream.http.url,
      schedule: SCHEDULE,
    });
    const result = await client.solve(TURNSTILE_TASK);

    expect(result.polls).toBeGreaterThanOrEqual(1);
    const bodies = upstream.recorded.pollsOf(result.taskId).map((entry) => entry.requestText);
    expect(bodies.every((body) => !body.includes('captask'))).toBe(true);
  });
});
