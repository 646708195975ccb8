import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestServer, KEY, type TestServer, TURNSTILE_TASK } from './server-helpers';

interface Receiver {
  url: string;
  bodies: Array<Record<string, unknown>>;
}

const servers: Server[] = [];
let running: TestServer | undefined;

afterEach(async () => {
  await running?.server.close();
  running = undefined;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts a callback receiver on 127.0.0.1 that answers each POST with the next status. */
async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const bodies: Array<Record<string, unknown>> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`, bodies };
}

function setup(...args: Parameters<typeof createTestServer>): TestServer {
  running = createTestServer(...args);
  return running;
}

describe('callbackUrl at createTask', () => {
  it.each([
    ['http://127.0.0.1:9/cb', 'ERROR_DOMAIN_NOT_ALLOWED', /loopback/],
    ['http://169.254.169.254/latest', 'ERROR_DOMAIN_NOT_ALLOWED', /cloud metadata/],
    ['http://[::ffff:10.0.0.1]/', 'ERROR_DOMAIN_NOT_ALLOWED', /private \(IPv4-mapped\)/],
    ['http://hooks.example.test/', 'ERROR_DOMAIN_NOT_ALLOWED', /no resolver/],
    ['ftp://203.0.113.10/', 'ERROR_TASK_NOT_SUPPORTED', /http or https/],
    ['not a url', 'ERROR_TASK_NOT_SUPPORTED', /not a valid absolute URL/],
    [42, 'ERROR_TASK_NOT_SUPPORTED', /non-empty string/],
  ])('rejects %j with %s', async (callbackUrl, code, description) => {
    const { call } = setup();
    const { json } = await call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl,
    });
    expect(json.errorCode).toBe(code);
    expect(json.errorDescription).toMatch(description);
    expect(json.taskId).toBe(0);
  });

  it('ignores an empty or null callbackUrl', async () => {
    const { call } = setup();
    for (const callbackUrl of ['', null]) {
      const { json } = await call('createTask', {
        clientKey: KEY,
        task: TURNSTILE_TASK,
        callbackUrl,
      });
      expect(json.errorId).toBe(0);
    }
  });

  it('checks every address a host name resolves to', async () => {
    const resolveHost = vi.fn(async (host: string) =>
      host === 'rebind.example.test' ? ['93.184.215.14', '10.1.1.1'] : ['127.0.0.1'],
    );
    // The stub fetch keeps any delivery inside the process: no DNS lookup, no connection.
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    const { call } = setup({ callbacks: { resolveHost, allow: ['127.0.0.0/8'], fetch } });

    const rejected = await call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl: 'http://rebind.example.test/cb',
    });
    expect(rejected.json.errorCode).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(rejected.json.errorDescription).toContain('10.1.1.1');

    const accepted = await call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl: 'http://receiver.example.test/cb',
    });
    expect(accepted.json.errorId).toBe(0);
    expect(resolveHost).toHaveBeenCalledWith('receiver.example.test');
  });
});

describe('callback delivery', () => {
  it('posts the getTaskResult body of a solved task', async () => {
    const receiver = await startReceiver();
    const server = setup({ callbacks: { allow: ['127.0.0.1'] } });
    const { json } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl: receiver.url,
    });
    await server.advance(1_000);
    await vi.waitFor(() => expect(receiver.bodies).toHaveLength(1));

    const polled = await server.call('getTaskResult', { clientKey: KEY, taskId: json.taskId });
    expect(receiver.bodies[0]).toEqual({ taskId: json.taskId, ...polled.json });
    expect(receiver.bodies[0]).toMatchObject({ errorId: 0, status: 'ready' });
  });

  it('posts the error of a failed task', async () => {
    const receiver = await startReceiver();
    const server = setup({ callbacks: { allow: ['127.0.0.1'] } });
    await server.call('createTask', {
      clientKey: KEY,
      task: { ...TURNSTILE_TASK, websiteKey: 'sandbox-error-ERROR_CAPTCHA_UNSOLVABLE' },
      callbackUrl: receiver.url,
    });
    await server.advance(1_000);

    await vi.waitFor(() => expect(receiver.bodies).toHaveLength(1));
    expect(receiver.bodies[0]).toMatchObject({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    expect(receiver.bodies[0]?.taskId).toBeTypeOf('number');
  });

  it('retries on the server timers after a 5xx', async () => {
    const receiver = await startReceiver([503, 200]);
    const server = setup({ callbacks: { allow: ['127.0.0.1'], retryDelaysMs: [3_000] } });
    await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl: receiver.url,
    });
    await server.advance(1_000);
    await vi.waitFor(() => expect(receiver.bodies).toHaveLength(1));
    await vi.waitFor(() =>
      expect(server.logger.entries.some((entry) => entry.message === 'callback retry')).toBe(true),
    );

    server.clock.advance(2_999);
    expect(receiver.bodies).toHaveLength(1);
    server.clock.advance(1);
    await vi.waitFor(() => expect(receiver.bodies).toHaveLength(2));
    expect(receiver.bodies[1]).toEqual(receiver.bodies[0]);
  });

  it('lets idle() wait for deliveries', async () => {
    const receiver = await startReceiver();
    const server = setup({ callbacks: { allow: ['127.0.0.1'] } });
    await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
      callbackUrl: receiver.url,
    });
    await server.advance(1_000);

    await server.server.idle();
    expect(receiver.bodies).toHaveLength(1);
  });
});
