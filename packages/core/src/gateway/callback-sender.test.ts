import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, type ManualClock } from '../server/manual-clock';
import type { Logger } from '../server/types';
import { createCallbackSender } from './callback-sender';
import { createCallbackUrlPolicy } from './callback-url';

/** Receiver behaviour for one request: respond with a status, never respond, or drop the socket. */
type Behaviour = number | 'hang' | 'drop' | { redirect: string };

interface Received {
  body: string;
  contentType: string | undefined;
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Starts an HTTP receiver on 127.0.0.1 that plays `script` in order, then responds with 200. */
async function startReceiver(script: Behaviour[]): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: request.headers['content-type'],
      });
      const behaviour = script.shift() ?? 200;
      if (behaviour === 'hang') return;
      if (behaviour === 'drop') {
        request.socket.destroy();
        return;
      }
      if (typeof behaviour === 'object') {
        response.writeHead(302, { location: behaviour.redirect }).end();
        return;
      }
      response.writeHead(behaviour, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback?token=secret-token`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type RecordingLogger = Logger & {
  lines: Array<{ context: Record<string, unknown>; message: string }>;
};

/**
 * Waits (in real time, for real sockets) until the sender logged its `count`-th retry, so it
 * is sleeping on the manual clock, then moves the clock by `ms`.
 */
async function advanceAfterRetry(
  logger: RecordingLogger,
  clock: ManualClock,
  count: number,
  ms: number,
): Promise<void> {
  await vi.waitFor(
    () =>
      expect(logger.lines.filter((line) => line.message === 'callback retry')).toHaveLength(count),
    { timeout: 5_000 },
  );
  clock.advance(ms);
}

function recordingLogger(): RecordingLogger {
  const lines: Array<{ context: Record<string, unknown>; message: string }> = [];
  const log = (context: Record<string, unknown>, message: string): void => {
    lines.push({ context, message });
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

const RESULT = { errorId: 0, status: 'ready', solution: { text: 'answer' } };

describe('createCallbackSender', () => {
  it('posts the result body as JSON', async () => {
    const receiver = await startReceiver([200]);
    const sender = createCallbackSender();
    const result = await sender.send(receiver.url, RESULT, { taskId: 1 });

    expect(result).toEqual({ delivered: true, attempts: 1, status: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toEqual(RESULT);
    expect(receiver.received[0]?.contentType).toBe('application/json');
  });

  it('retries a 5xx answer after the first delay', async () => {
    const receiver = await startReceiver([503, 200]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [1_000, 5_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 2 });

    await advanceAfterRetry(logger, clock, 1, 999);
    expect(clock.pendingTimers).toBe(1);
    expect(receiver.received).toHaveLength(1);
    clock.advance(1);

    expect(await delivery).toEqual({ delivered: true, attempts: 2, status: 200 });
    expect(receiver.received).toHaveLength(2);
  });

  it('times out a receiver that does not answer within 2 s', async () => {
    const receiver = await startReceiver(['hang', 200]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [1_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 3 });

    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));
    clock.advance(1_999);
    expect(sender.pending).toBe(1);
    clock.advance(1);
    await advanceAfterRetry(logger, clock, 1, 1_000);

    expect(await delivery).toEqual({ delivered: true, attempts: 2, status: 200 });
  });

  it('retries a dropped connection', async () => {
    const receiver = await startReceiver(['drop', 200]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [1_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 4 });
    await advanceAfterRetry(logger, clock, 1, 1_000);

    expect(await delivery).toMatchObject({ delivered: true, attempts: 2 });
  });

  it('gives up after the last retry and logs without the URL path', async () => {
    const receiver = await startReceiver([500, 502, 503]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [1_000, 4_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 5 });
    await advanceAfterRetry(logger, clock, 1, 1_000);
    await advanceAfterRetry(logger, clock, 2, 4_000);

    expect(await delivery).toEqual({ delivered: false, attempts: 3, reason: 'HTTP 503' });
    expect(receiver.received).toHaveLength(3);
    expect(logger.lines.map((line) => line.message)).toEqual([
      'callback retry',
      'callback retry',
      'callback delivery failed',
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('secret-token');
  });

  it.each([400, 404, 410])('does not retry HTTP %i', async (status) => {
    const receiver = await startReceiver([status]);
    const sender = createCallbackSender({ timers: createManualClock() });

    expect(await sender.send(receiver.url, RESULT, { taskId: 6 })).toEqual({
      delivered: false,
      attempts: 1,
      reason: `HTTP ${status}`,
    });
  });

  it('retries HTTP 429', async () => {
    const receiver = await startReceiver([429, 204]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [1_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 7 });
    await advanceAfterRetry(logger, clock, 1, 1_000);

    expect(await delivery).toEqual({ delivered: true, attempts: 2, status: 204 });
  });

  it('does not follow redirects', async () => {
    const target = await startReceiver([200]);
    const receiver = await startReceiver([{ redirect: target.url }]);
    const sender = createCallbackSender({ timers: createManualClock() });

    const result = await sender.send(receiver.url, RESULT, { taskId: 8 });
    expect(result).toMatchObject({ delivered: false, reason: 'HTTP 302' });
    expect(target.received).toHaveLength(0);
  });

  it('checks the URL policy before sending', async () => {
    const receiver = await startReceiver([200]);
    const sender = createCallbackSender({ urlPolicy: createCallbackUrlPolicy() });

    const result = await sender.send(receiver.url, RESULT, { taskId: 9 });
    expect(result).toMatchObject({ delivered: false, attempts: 1 });
    expect(result).toHaveProperty('reason', expect.stringMatching(/loopback/));
    expect(receiver.received).toHaveLength(0);
  });

  it('sends to hosts that the policy allows', async () => {
    const receiver = await startReceiver([200]);
    const urlPolicy = createCallbackUrlPolicy({ allow: ['127.0.0.1'] });
    const sender = createCallbackSender({ urlPolicy });

    expect(await sender.send(receiver.url, RESULT, { taskId: 10 })).toMatchObject({
      delivered: true,
    });
  });

  it('stops waiting on close', async () => {
    const receiver = await startReceiver([500]);
    const clock = createManualClock();
    const logger = recordingLogger();
    const sender = createCallbackSender({ timers: clock, retryDelaysMs: [60_000], logger });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 11 });
    await advanceAfterRetry(logger, clock, 1, 0);

    await sender.close();
    expect(await delivery).toEqual({ delivered: false, attempts: 1, reason: 'the sender closed' });
    expect(sender.pending).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts a request in flight on close', async () => {
    const receiver = await startReceiver(['hang']);
    const clock = createManualClock();
    const sender = createCallbackSender({ timers: clock });
    const delivery = sender.send(receiver.url, RESULT, { taskId: 12 });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1));

    await sender.close();
    expect(await delivery).toMatchObject({ delivered: false, reason: 'the sender closed' });
  });
});
