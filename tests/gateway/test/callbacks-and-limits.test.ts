import { lookup } from 'node:dns/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  closeAll,
  type Gateway,
  OTHER_TEAM_KEY,
  startGateway,
  startUpstream,
  TEAM_KEY,
  TURNSTILE_TASK,
  teamClient,
  UPSTREAM_KEY,
  type Upstream,
} from '../src/gateway-fixture';

const FAST_SCHEDULE = { firstDelayMs: 100, intervalMs: 100, maxIntervalMs: 100, growth: 0 };

let upstream: Upstream | undefined;
let gateway: Gateway | undefined;
const receivers: Server[] = [];

afterEach(async () => {
  await closeAll([upstream, gateway]);
  upstream = undefined;
  gateway = undefined;
  for (const receiver of receivers.splice(0)) {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
});

/** Resolves names the way the CLI does: every address, IPv4 and IPv6. */
async function resolveHost(hostname: string): Promise<string[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}

/** Starts a callback receiver on 127.0.0.1 that responds to POSTs with the given statuses, then 200. */
async function startReceiver(statuses: number[]) {
  const posts: Array<{ at: number; body: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ at: Date.now(), body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { posts, port, url: `http://127.0.0.1:${port}/captcha-done` };
}

describe('gateway callbacks', () => {
  it('delivers the result with retries and rejects forbidden hosts', async () => {
    upstream = await startUpstream({ latencyMs: 200 });
    gateway = await startGateway({
      relay: { baseUrl: upstream.http.url, clientKey: UPSTREAM_KEY, schedule: FAST_SCHEDULE },
      server: { callbacks: { resolveHost, allow: ['127.0.0.1'], retryDelaysMs: [100, 300] } },
    });
    const receiver = await startReceiver([500, 503]);
    const client = teamClient(gateway);

    const { taskId } = await client.createTask(TURNSTILE_TASK, { callbackUrl: receiver.url });
    await vi.waitFor(() => expect(receiver.posts).toHaveLength(3), { timeout: 10_000 });

    const bodies = receiver.posts.map((post) => JSON.parse(post.body));
    expect(bodies[0]).toMatchObject({ errorId: 0, status: 'ready' });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    const gaps = [1, 2].map(
      (index) => (receiver.posts[index]?.at ?? 0) - (receiver.posts[index - 1]?.at ?? 0),
    );
    expect(gaps[0]).toBeGreaterThanOrEqual(100 - 20);
    expect(gaps[1]).toBeGreaterThanOrEqual(300 - 20);
    const polled = await fetch(`${gateway.http.url}/getTaskResult`, {
      method: 'POST',
      body: JSON.stringify({ clientKey: TEAM_KEY, taskId }),
    });
    expect({ taskId, ...(await polled.json()) }).toEqual(bodies[0]);

    for (const callbackUrl of [
      `http://localhost:${receiver.port}/captcha-done`,
      'http://10.0.0.1/captcha-done',
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${receiver.port}/`,
      'file:///etc/passwd',
    ]) {
      const rejected = await client.createTask(TURNSTILE_TASK, { callbackUrl }).then(
        () => 'created',
        (error: { code?: string }) => error.code,
      );
      expect(rejected, callbackUrl).toMatch(/ERROR_DOMAIN_NOT_ALLOWED|ERROR_TASK_NOT_SUPPORTED/);
    }
    expect(receiver.posts).toHaveLength(3);
    expect(upstream.recorded.count('createTask')).toBe(1);
  });
});

describe('gateway key limits', () => {
  it('caps tasks in flight per downstream key', async () => {
    upstream = await startUpstream({ latencyMs: 500 });
    gateway = await startGateway({
      relay: { baseUrl: upstream.http.url, clientKey: UPSTREAM_KEY, schedule: FAST_SCHEDULE },
      server: { keyLimits: { defaults: { maxInFlight: 2 } } },
    });
    // The client repeats createTask after ERROR_NO_SLOT_AVAILABLE by default; not here.
    const noRepeat = { retry: { noSlotRetries: 0 } };
    const team = teamClient(gateway, TEAM_KEY, noRepeat);
    const other = teamClient(gateway, OTHER_TEAM_KEY, noRepeat);

    const first = await team.createTask(TURNSTILE_TASK);
    await team.createTask(TURNSTILE_TASK);
    await expect(team.createTask(TURNSTILE_TASK)).rejects.toMatchObject({
      code: 'ERROR_NO_SLOT_AVAILABLE',
    });
    await expect(other.createTask(TURNSTILE_TASK)).resolves.toHaveProperty('taskId');

    await team.waitForResult(first.taskId, TURNSTILE_TASK, { schedule: FAST_SCHEDULE });
    await vi.waitFor(async () => {
      await expect(team.createTask(TURNSTILE_TASK)).resolves.toHaveProperty('taskId');
    });
    // The relay sends createTask upstream in the background, after the downstream response.
    await vi.waitFor(() => expect(upstream?.recorded.count('createTask')).toBe(4));
  });
});
