import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient } from '@captask/core/client';
import { afterEach, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

let child: ChildProcess | undefined;

afterEach(() => {
  // A test that failed before SIGTERM leaves the app running; the pid is our own child's.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});

interface StartedApp {
  process: ChildProcess;
  url: string;
  /** Everything the app printed to stdout so far. */
  output(): string;
}

/** Starts the example on PORT=0 and waits for its last startup line. */
async function startApp(env: Record<string, string>): Promise<StartedApp> {
  const started = spawn(process.execPath, ['src/server.js'], {
    cwd: APP_DIR,
    env: { ...process.env, PORT: '0', SANDBOX_LATENCY_MS: '20', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;

  let stdout = '';
  let stderr = '';
  started.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });

  const url = await new Promise<string>((resolve, reject) => {
    started.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match?.[1] && stdout.includes('Try: curl')) resolve(match[1]);
    });
    started.once('exit', (code) => {
      reject(new Error(`The app exited with code ${code} before listening: ${stderr}`));
    });
  });

  return { process: started, url, output: () => stdout };
}

async function stopApp(app: StartedApp): Promise<{ code: number | null; signal: string | null }> {
  const exited = once(app.process, 'exit');
  app.process.kill('SIGTERM');
  const [code, signal] = (await exited) as [number | null, string | null];
  return { code, signal };
}

describe('express example', () => {
  it('serves the protocol and the demo route', async () => {
    const app = await startApp({ CAPTASK_CLIENT_KEYS: '' });

    const key = /Generated demo client key: (\S+)/.exec(app.output())?.[1];
    expect(key).toBeDefined();

    const client = createClient({ clientKey: key as string, baseUrl: app.url });
    const solved = await client.solve({
      type: 'ImageToTextTask',
      body: Buffer.alloc(300, 9).toString('base64'),
    });
    expect(solved.solution.text).toEqual(expect.any(String));

    const demo = await fetch(`${app.url}/demo/solve`);
    const demoBody = (await demo.json()) as Record<string, unknown>;
    expect(demo.status).toBe(200);
    expect(demoBody.text).toEqual(expect.any(String));
    expect(demoBody.taskId).toEqual(expect.any(Number));

    const stopped = await stopApp(app);
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('Stopped.');
  });

  it('uses CAPTASK_CLIENT_KEYS without printing them', async () => {
    const app = await startApp({ CAPTASK_CLIENT_KEYS: 'smoke-key-one:42, smoke-key-two' });

    const client = createClient({ clientKey: 'smoke-key-one', baseUrl: app.url });
    const balance = await client.getBalance();
    const unknown = await createClient({ clientKey: 'not-configured', baseUrl: app.url })
      .getBalance()
      .catch((error: { code?: string }) => error.code);

    expect(balance).toBe(42);
    expect(unknown).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(app.output()).not.toContain('smoke-key');

    const stopped = await stopApp(app);
    expect(stopped).toEqual({ code: 0, signal: null });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty".'],
    [
      { CAPTASK_CLIENT_KEYS: 'ok, topsecret:abc' },
      'CAPTASK_CLIENT_KEYS is invalid: Client key entry 2 has an invalid balance',
    ],
    [{ SANDBOX_LATENCY_MS: 'soon' }, 'SANDBOX_LATENCY_MS must be a number of milliseconds'],
  ])('exits with code 2 on %j', async (env, message) => {
    const started = spawn(process.execPath, ['src/server.js'], {
      cwd: APP_DIR,
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // 'close' comes after stderr has ended, so the whole message is in.
    const [code] = (await once(started, 'close')) as [number | null];

    expect(code).toBe(2);
    expect(stderr).toContain(`captask Express example: ${message}`);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('topsecret');
  });

  it('answers malformed HTTP with protocol JSON', async () => {
    const app = await startApp({ CAPTASK_CLIENT_KEYS: 'smoke-key' });
    const port = Number(new URL(app.url).port);
    const requests: Array<[string, number, string]> = [
      ['FOO /getBalance HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'ERROR_NO_SUCH_METHOD'],
      ['POST /getBalance HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', 400, 'ERROR_TASK_ABSENT'],
      ['CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n', 405, 'ERROR_NO_SUCH_METHOD'],
      [
        'POST /getBalance HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 2\r\n\r\n{}',
        417,
        'ERROR_TASK_ABSENT',
      ],
      [
        'POST http://[::1/getBalance HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
        404,
        'ERROR_NO_SUCH_METHOD',
      ],
    ];

    for (const [raw, status, errorCode] of requests) {
      const text = await exchange(port, raw);
      const [head = '', body = ''] = text.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head.toLowerCase()).toContain('content-type: application/json');
      expect(JSON.parse(body)).toMatchObject({ errorId: 1, errorCode });
    }

    const stopped = await stopApp(app);
    expect(stopped).toEqual({ code: 0, signal: null });
  });
});

/** Sends raw bytes and returns what the app sends before it closes the connection. */
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
