import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core';
import { createNodeListener } from '@captask/node';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, post, spawnCli } from './cli-process';

const UPSTREAM_KEY = 'upstream-provider-key-4b1d9e07';
const TEAM_KEY = 'team-key-relay-test';
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.com/',
  websiteKey: '0x4AAAAAAAsandbox',
};

let upstream: { server: TaskServer; http: Server; url: string; bodies: string[] } | undefined;
let cli: CliProcess | undefined;

afterEach(async () => {
  await cli?.kill();
  cli = undefined;
  if (upstream !== undefined) {
    upstream.http.closeAllConnections();
    await new Promise((resolve) => upstream?.http.close(resolve));
    await upstream.server.close();
    upstream = undefined;
  }
});

/** Starts a sandbox captask server on 127.0.0.1 that plays the upstream provider. */
async function startUpstream(): Promise<NonNullable<typeof upstream>> {
  const server = createTaskServer({
    clientKeys: [UPSTREAM_KEY],
    solvers: createSandboxSolver({ latencyMs: 100 }),
  });
  const bodies: string[] = [];
  const http = createServer(
    createNodeListener(async (request) => {
      bodies.push(await request.clone().text());
      return server(request);
    }),
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return { server, http, url, bodies };
}

async function resultOf(url: string, taskId: unknown): Promise<Record<string, unknown>> {
  let result: Record<string, unknown> = {};
  for (let poll = 0; poll < 100; poll++) {
    result = await post(`${url}/getTaskResult`, { clientKey: TEAM_KEY, taskId });
    if (result.status !== 'processing') return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return result;
}

describe('captask CLI in relay mode', () => {
  it('forwards tasks upstream and never shows the upstream key', async () => {
    upstream = await startUpstream();
    cli = await spawnCli({
      CAPTASK_CLIENT_KEYS: TEAM_KEY,
      CAPTASK_UPSTREAM_URL: upstream.url,
      CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY,
      CAPTASK_LOG_LEVEL: 'debug',
    });
    expect(cli.stdout()).toContain(
      `mode:  relay (forwards every task to ${upstream.url} as capmonster`,
    );

    const created = await post(`${cli.url}/createTask`, { clientKey: TEAM_KEY, task: TURNSTILE });
    expect(created.errorId).toBe(0);
    expect(await resultOf(cli.url, created.taskId)).toMatchObject({ errorId: 0, status: 'ready' });

    const failing = await post(`${cli.url}/createTask`, {
      clientKey: TEAM_KEY,
      task: { ...TURNSTILE, websiteKey: 'sandbox-error-ERROR_RECAPTCHA_INVALID_SITEKEY' },
    });
    expect(await resultOf(cli.url, failing.taskId)).toMatchObject({
      errorCode: 'ERROR_RECAPTCHA_INVALID_SITEKEY',
    });
    const rejected = await post(`${cli.url}/createTask`, {
      clientKey: TEAM_KEY,
      task: TURNSTILE,
      callbackUrl: 'http://169.254.169.254/latest/meta-data/',
    });
    expect(rejected.errorCode).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    const balance = await post(`${cli.url}/getBalance`, { clientKey: TEAM_KEY });
    expect(balance.errorId).toBe(0);

    // The relay really used the upstream, with the upstream key.
    expect(upstream.bodies.filter((body) => body.includes(UPSTREAM_KEY))).not.toHaveLength(0);
    const everything = JSON.stringify([created, failing, rejected, balance]);
    expect(everything).not.toContain(UPSTREAM_KEY);

    cli.child.kill('SIGTERM');
    await cli.exited;
    const output = cli.stdout();
    expect(output).toContain('"msg":"upstream task created"');
    expect(output).toContain('"msg":"server stopped"');
    expect(output).not.toContain(UPSTREAM_KEY);
  });

  it('exits with code 2 when only the upstream key is set', async () => {
    const started = spawnCli({ CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY });
    await expect(started).rejects.toThrow(
      /CAPTASK_UPSTREAM_KEY is set but CAPTASK_UPSTREAM_URL is not/,
    );
    await expect(started).rejects.not.toThrow(UPSTREAM_KEY);
  });
});
