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
import { spawnPollers } from '../src/spawn-pollers';

const UPSTREAM_LATENCY_MS = 5_000;
const UPSTREAM_INTERVAL_MS = 500;
/** Timer jitter allowed when checking that upstream polls keep their spacing, in ms. */
const JITTER_MS = 50;

let upstream: Upstream | undefined;
let gateway: Gateway | undefined;

afterEach(async () => {
  await closeAll([upstream, gateway]);
  upstream = undefined;
  gateway = undefined;
});

describe('poll coalescing through the gateway', () => {
  it('polls each task upstream once per schedule step, however many clients poll it', async () => {
    upstream = await startUpstream({ latencyMs: UPSTREAM_LATENCY_MS });
    gateway = await startGateway({
      relay: {
        baseUrl: upstream.http.url,
        clientKey: UPSTREAM_KEY,
        schedule: {
          firstDelayMs: UPSTREAM_INTERVAL_MS,
          intervalMs: UPSTREAM_INTERVAL_MS,
          maxIntervalMs: UPSTREAM_INTERVAL_MS,
          growth: 0,
        },
      },
      // The gateway serves polls from memory, so it can allow its own clients more than the
      // 120 polls per task that the upstream allows.
      server: { limits: { maxPollsPerTask: 500 } },
    });
    const client = teamClient(gateway);
    const created = await Promise.all(
      Array.from({ length: 4 }, () => client.createTask(TURNSTILE_TASK)),
    );
    const taskIds = created.map((task) => task.taskId);

    // Three processes poll every task at 10 Hz: about 30 downstream polls per second per task,
    // at most 3 x 100 per task.
    const outcomes = await spawnPollers(3, {
      baseUrl: gateway.http.url,
      clientKey: TEAM_KEY,
      taskIds,
      intervalMs: 100,
      maxPollsPerTask: 100,
      maxMs: 12_000,
    });

    for (const processOutcomes of outcomes) {
      for (const outcome of processOutcomes) {
        expect(outcome.errorCode).toBeUndefined();
        expect(outcome.readyAt).toBeDefined();
      }
    }

    const downstreamPolls = taskIds.map((id) => gateway?.recorded.pollsOf(id).length ?? 0);
    for (const polls of downstreamPolls) expect(polls).toBeGreaterThanOrEqual(30);

    expect(upstream.recorded.count('createTask')).toBe(4);
    const upstreamTaskIds = upstream.recorded.polledTaskIds();
    expect(upstreamTaskIds).toHaveLength(4);
    for (const upstreamTaskId of upstreamTaskIds) {
      const polls = upstream.recorded.pollsOf(upstreamTaskId);
      // Ready after 5 s, polled every 500 ms from 500 ms on: 10 polls, 11 with late timers.
      expect(polls.length).toBeGreaterThanOrEqual(9);
      expect(polls.length).toBeLessThanOrEqual(12);

      const creation = upstream.recorded.requests.find(
        (entry) =>
          entry.method === 'createTask' && JSON.parse(entry.responseText).taskId === upstreamTaskId,
      );
      const firstGap = (polls[0]?.receivedAt ?? 0) - (creation?.respondedAt ?? 0);
      expect(firstGap).toBeGreaterThanOrEqual(UPSTREAM_INTERVAL_MS - JITTER_MS);
      for (let index = 1; index < polls.length; index++) {
        const gap = (polls[index]?.receivedAt ?? 0) - (polls[index - 1]?.respondedAt ?? 0);
        expect(gap).toBeGreaterThanOrEqual(UPSTREAM_INTERVAL_MS - JITTER_MS);
      }
    }

    const totalDownstream = downstreamPolls.reduce((sum, polls) => sum + polls, 0);
    const totalUpstream = upstream.recorded.count('getTaskResult');
    console.log(
      `poll coalescing: ${totalDownstream} downstream polls, ${totalUpstream} upstream polls for 4 tasks`,
    );
    expect(totalUpstream * 5).toBeLessThan(totalDownstream);
  });
});
