import { createServer } from 'node:net';
import type { CaptaskClient } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../src/fault-proxy';
import {
  closeAll,
  type Gateway,
  startGateway,
  startUpstream,
  TURNSTILE_TASK,
  teamClient,
  UPSTREAM_KEY,
  type Upstream,
} from '../src/gateway-fixture';

const FAST_SCHEDULE = { firstDelayMs: 200, intervalMs: 200, maxIntervalMs: 200, growth: 0 };

let upstream: Upstream | undefined;
let gateway: Gateway | undefined;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  await closeAll([upstream, gateway]);
  upstream = undefined;
  gateway = undefined;
  proxy = undefined;
});

/** Polls a downstream task every 100 ms until it finishes, and returns whether it is ready or its error code. */
async function outcomeOf(
  client: CaptaskClient,
  taskId: number | string,
): Promise<{ ready: boolean; code?: string }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const result = await client.getTaskResult(taskId);
      if (result.status === 'ready') return { ready: true };
    } catch (error) {
      return { ready: false, code: (error as { code?: string }).code };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ready: false, code: 'still processing after 10 s' };
}

/** Returns a port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('gateway under upstream faults', () => {
  it('loses no task when polls meet 5xx, drops and slow responses', async () => {
    upstream = await startUpstream({ latencyMs: 1_000 });
    const faults = [
      { status: 503, body: '<html>unavailable</html>' },
      { drop: 'before-forwarding' as const },
      { drop: 'after-forwarding' as const },
      { delayMs: 1_500 },
      { status: 500, body: '' },
    ];
    // Every other poll of each task meets a fault, cycling through the list. Faults never
    // follow each other on one task, so the client's backoff stays at its first step.
    const pollsPerTask = new Map<unknown, number>();
    let faultIndex = 0;
    proxy = await startFaultProxy({
      target: upstream.http.url,
      plan: ({ method, body }) => {
        if (method !== 'getTaskResult') return undefined;
        const taskId: unknown = JSON.parse(body).taskId;
        const polls = pollsPerTask.get(taskId) ?? 0;
        pollsPerTask.set(taskId, polls + 1);
        if (polls % 2 === 1) return undefined;
        return faults[faultIndex++ % faults.length];
      },
    });
    gateway = await startGateway({
      relay: {
        baseUrl: proxy.url,
        clientKey: UPSTREAM_KEY,
        schedule: FAST_SCHEDULE,
        requestTimeoutMs: 1_000,
      },
    });
    const client = teamClient(gateway);
    const created = await Promise.all(
      Array.from({ length: 6 }, () => client.createTask(TURNSTILE_TASK)),
    );

    const outcomes = await Promise.all(created.map(({ taskId }) => outcomeOf(client, taskId)));
    expect(outcomes).toEqual(Array.from({ length: 6 }, () => ({ ready: true })));
    expect(upstream.recorded.count('createTask')).toBe(6);
    expect(new Set(proxy.injected.map((fault) => fault.split(':')[1])).size).toBe(5);
  });

  it('retries createTask after ERROR_NO_SLOT_AVAILABLE without duplicates', async () => {
    upstream = await startUpstream({ latencyMs: 300 });
    const noSlot = JSON.stringify({
      errorId: 1,
      errorCode: 'ERROR_NO_SLOT_AVAILABLE',
      errorDescription: 'no free workers',
    });
    proxy = await startFaultProxy({
      target: upstream.http.url,
      plan: ({ method, index }) => {
        if (method !== 'createTask') return undefined;
        // The HTTP status does not matter when the body is a protocol error.
        if (index < 3) return { status: 200, body: noSlot, contentType: 'application/json' };
        if (index < 5) return { status: 503, body: noSlot, contentType: 'application/json' };
        return undefined;
      },
    });
    gateway = await startGateway({
      relay: {
        baseUrl: proxy.url,
        clientKey: UPSTREAM_KEY,
        schedule: FAST_SCHEDULE,
        createRounds: 6,
        createRetryDelayMs: 50,
      },
    });
    const client = teamClient(gateway);
    const { taskId } = await client.createTask(TURNSTILE_TASK);

    expect(await outcomeOf(client, taskId)).toEqual({ ready: true });
    expect(proxy.injected).toHaveLength(5);
    expect(upstream.recorded.count('createTask')).toBe(1);
  });

  it.each([500, 502, 503])(
    'does not resend createTask after HTTP %i without a protocol body',
    async (status) => {
      upstream = await startUpstream({ latencyMs: 300 });
      const second = await startUpstream({ latencyMs: 300 });
      proxy = await startFaultProxy({
        target: upstream.http.url,
        plan: ({ method }) =>
          method === 'createTask'
            ? { status, body: '<html>bad gateway</html>', afterForwarding: true }
            : undefined,
      });
      gateway = await startGateway({
        relay: {
          schedule: FAST_SCHEDULE,
          createRounds: 3,
          createRetryDelayMs: 50,
          upstreams: [
            { baseUrl: proxy.url, clientKey: UPSTREAM_KEY, name: 'behind-proxy' },
            { baseUrl: second.http.url, clientKey: UPSTREAM_KEY, name: 'second' },
          ],
        },
      });
      const client = teamClient(gateway);
      const { taskId } = await client.createTask(TURNSTILE_TASK);

      const outcome = await outcomeOf(client, taskId);
      await closeAll([second]);
      expect(outcome).toEqual({ ready: false, code: 'ERROR_CAPTCHA_UNSOLVABLE' });
      expect(upstream.recorded.count('createTask')).toBe(1);
      expect(second.recorded.count('createTask')).toBe(0);
    },
  );

  it('does not resend createTask after a drop that follows forwarding', async () => {
    upstream = await startUpstream({ latencyMs: 300 });
    proxy = await startFaultProxy({
      target: upstream.http.url,
      plan: ({ method, index }) =>
        method === 'createTask' && index === 0 ? { drop: 'after-forwarding' } : undefined,
    });
    gateway = await startGateway({
      relay: { baseUrl: proxy.url, clientKey: UPSTREAM_KEY, schedule: FAST_SCHEDULE },
    });
    const client = teamClient(gateway);
    const { taskId } = await client.createTask(TURNSTILE_TASK);

    expect(await outcomeOf(client, taskId)).toEqual({
      ready: false,
      code: 'ERROR_CAPTCHA_UNSOLVABLE',
    });
    expect(upstream.recorded.count('createTask')).toBe(1);
    expect(proxy.forwarded.createTask).toBe(1);
  });

  it('fails over to the next upstream when a connection is refused', async () => {
    upstream = await startUpstream({ latencyMs: 300 });
    const refusedUrl = `http://127.0.0.1:${await closedPort()}`;
    gateway = await startGateway({
      relay: {
        schedule: FAST_SCHEDULE,
        upstreams: [
          { baseUrl: refusedUrl, clientKey: UPSTREAM_KEY, name: 'refused' },
          { baseUrl: upstream.http.url, clientKey: UPSTREAM_KEY, name: 'working' },
        ],
      },
    });
    const client = teamClient(gateway);
    const { taskId } = await client.createTask(TURNSTILE_TASK);

    expect(await outcomeOf(client, taskId)).toEqual({ ready: true });
    expect(upstream.recorded.count('createTask')).toBe(1);
    expect(gateway.logger.lines.some((line) => line.includes('"upstream":"refused"'))).toBe(true);
  });

  it('keeps the upstream key out of downstream responses and logs', async () => {
    upstream = await startUpstream({ latencyMs: 300 });
    proxy = await startFaultProxy({
      target: upstream.http.url,
      plan: ({ method, index }) =>
        method === 'getTaskResult' && index === 0
          ? { status: 500, body: `<html>key=${UPSTREAM_KEY}</html>` }
          : undefined,
    });
    gateway = await startGateway({
      relay: { baseUrl: proxy.url, clientKey: UPSTREAM_KEY, schedule: FAST_SCHEDULE },
    });
    const client = teamClient(gateway);
    const good = await client.createTask(TURNSTILE_TASK);
    const failing = await client.createTask({
      ...TURNSTILE_TASK,
      websiteKey: 'sandbox-error-ERROR_RECAPTCHA_INVALID_SITEKEY',
    });
    expect(await outcomeOf(client, good.taskId)).toEqual({ ready: true });
    expect(await outcomeOf(client, failing.taskId)).toEqual({
      ready: false,
      code: 'ERROR_RECAPTCHA_INVALID_SITEKEY',
    });
    await client.getBalance();

    const downstream = gateway.recorded.requests.map((entry) => entry.responseText).join('\n');
    expect(downstream).toContain('ERROR_RECAPTCHA_INVALID_SITEKEY');
    expect(downstream).not.toContain(UPSTREAM_KEY);
    expect(gateway.logger.lines.length).toBeGreaterThan(0);
    expect(gateway.logger.lines.join('\n')).not.toContain(UPSTREAM_KEY);
  });
});
