import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CliConfig } from './config';
import { formatBanner, startServer } from './start';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function config(overrides: Partial<CliConfig> = {}): CliConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    mode: 'sandbox',
    store: 'memory',
    clientKeys: [{ key: 'start-test-key' }],
    generatedKey: false,
    sandboxLatencyMs: 0,
    logLevel: 'silent',
    ...overrides,
  };
}

describe('startServer', () => {
  it('listens on a free port and closes', async () => {
    const running = await startServer(config(), { logger: silent });
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    const response = await fetch(`${running.url}/getBalance`, {
      method: 'POST',
      body: JSON.stringify({ clientKey: 'start-test-key' }),
    });
    expect(await response.json()).toEqual({
      errorId: 0,
      balance: 100,
      captask: { longPoll: { maxWaitMs: 20_000 } },
    });
    await running.close();
    await expect(fetch(`${running.url}/getBalance`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('startServer shutdown', () => {
  it('answers held long polls before closing', async () => {
    const running = await startServer(config({ sandboxLatencyMs: 60_000 }), { logger: silent });
    const post = (method: string, body: unknown) =>
      fetch(`${running.url}/${method}`, { method: 'POST', body: JSON.stringify(body) });
    const created = await (
      await post('createTask', {
        clientKey: 'start-test-key',
        task: { type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: 'k' },
      })
    ).json();
    expect(created.errorId).toBe(0);

    const held = post('getTaskResult', {
      clientKey: 'start-test-key',
      taskId: created.taskId,
      captask: { waitMs: 15_000 },
    });
    // The hold starts once the request reaches the server; give it a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await running.close();

    // Closing the task server fails the task and ends the hold. Whichever of the two reaches
    // the held request first decides the body, and both are protocol JSON, not a reset.
    const answer = await (await held).json();
    expect([
      { errorId: 0, status: 'processing' },
      {
        errorId: 1,
        errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
        errorDescription: 'The server shut down.',
      },
    ]).toContainEqual(answer);
  });
});

describe('startServer malformed requests', () => {
  /** Sends raw bytes and returns what the server sends before it closes the connection. */
  async function exchange(port: number, raw: string): Promise<string> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.end(raw);
    await once(socket, 'close');
    return received;
  }

  it.each([
    ['an unknown method', 'FOO /getBalance HTTP/1.1\r\nHost: x\r\n\r\n', 'ERROR_NO_SUCH_METHOD'],
    [
      'a missing Host',
      'POST /getBalance HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}',
      'ERROR_TASK_ABSENT',
    ],
  ])('answers %s with protocol JSON', async (_, raw, errorCode) => {
    const running = await startServer(config(), { logger: silent });
    try {
      const text = await exchange(running.port, raw);
      const [head = '', body = '{}'] = text.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head.toLowerCase()).toContain('content-type: application/json');
      expect(JSON.parse(body)).toMatchObject({ errorId: 1, errorCode });
    } finally {
      await running.close();
    }
  });
});

describe('formatBanner', () => {
  it('shows the generated demo key', () => {
    const banner = formatBanner(
      config({ generatedKey: true, clientKeys: [{ key: 'demo-abc' }] }),
      'http://127.0.0.1:9',
    );
    expect(banner).toContain('captask listening on http://127.0.0.1:9');
    expect(banner).toContain('demo key demo-abc');
    expect(banner).toContain('"clientKey":"demo-abc"');
  });

  it('hides configured keys', () => {
    const banner = formatBanner(config(), 'http://127.0.0.1:9');
    expect(banner).toContain('1 from CAPTASK_CLIENT_KEYS');
    expect(banner).toContain('"clientKey":"YOUR_KEY"');
    expect(banner).not.toContain('start-test-key');
  });
});
