import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const KEY = 'cli-test-key-7f3a';

interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: CliProcess[] = [];

afterEach(() => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  }
});

/** Spawns the built CLI with extra environment variables. */
function startCli(env: Record<string, string>): CliProcess {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing; run "pnpm build" (or the root "pnpm test") first.`);
  }
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, CAPTASK_CLIENT_KEYS: '', ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const cli = { child, stdout: () => stdout, stderr: () => stderr, exited };
  running.push(cli);
  return cli;
}

/** Resolves with the base URL once the CLI prints its listening line. */
async function waitForUrl(cli: CliProcess): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = /captask listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(cli.stdout());
    if (match?.[1] !== undefined) return match[1];
    if (cli.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`The CLI did not start. stdout:\n${cli.stdout()}\nstderr:\n${cli.stderr()}`);
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('captask CLI', () => {
  it('serves on PORT=0 and stops on SIGTERM', async () => {
    const cli = startCli({ PORT: '0', CAPTASK_CLIENT_KEYS: KEY, CAPTASK_SANDBOX_LATENCY_MS: '10' });
    const url = await waitForUrl(cli);
    expect(url).not.toMatch(/:0$/);
    expect(cli.stdout()).toContain('mode:  sandbox');
    expect(cli.stdout()).toContain('store: memory');
    expect(cli.stdout()).toContain(`curl -s -X POST ${url}/createTask`);

    const created = await post(`${url}/createTask`, {
      clientKey: KEY,
      task: {
        type: 'TurnstileTask',
        websiteURL: 'https://example.com/',
        websiteKey: '0x4AAAAAAAsandbox',
      },
    });
    expect(created.errorId).toBe(0);
    let result: Record<string, unknown> = {};
    for (let poll = 0; poll < 100 && result.status !== 'ready'; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await post(`${url}/getTaskResult`, { clientKey: KEY, taskId: created.taskId });
    }
    expect(result).toMatchObject({ errorId: 0, status: 'ready' });
    expect(typeof (result.solution as { token?: unknown }).token).toBe('string');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    const logLines = cli
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = logLines.filter((line) => line.msg === 'request');
    expect(requests.some((line) => line.method === 'createTask' && line.level === 30)).toBe(true);
    expect(logLines.some((line) => line.msg === 'server stopped')).toBe(true);
    expect(cli.stdout()).not.toContain(KEY);
  });

  it('prints a working demo key when none is set', async () => {
    const cli = startCli({ PORT: '0' });
    const url = await waitForUrl(cli);
    const demoKey = /demo key (\S+)/.exec(cli.stdout())?.[1];
    expect(demoKey).toMatch(/^demo-[0-9a-f]{32}$/);
    expect(await post(`${url}/getBalance`, { clientKey: demoKey })).toMatchObject({ errorId: 0 });
    expect(await post(`${url}/getBalance`, { clientKey: 'wrong' })).toMatchObject({
      errorCode: 'ERROR_KEY_DOES_NOT_EXIST',
    });

    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('exits with code 2 on an invalid PORT', async () => {
    const cli = startCli({ PORT: 'eighty' });
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
  });

  it('exits with code 2 on a malformed key balance', async () => {
    const cli = startCli({ PORT: '0', CAPTASK_CLIENT_KEYS: 'ok, topsecret:abc' });
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain('CAPTASK_CLIENT_KEYS is invalid: Client key entry 2 has an');
    expect(cli.stderr()).not.toContain('topsecret');
  });
});
