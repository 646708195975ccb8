import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createWorker } from '@captask/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startTestRedis, type TestRedis } from '../../redis/test/redis-server';
import { type CliProcess, post, spawnCli } from './cli-process';

const CLIENT_KEY = 'multi-instance-client-key';
const WORKER_KEY = 'multi-instance-worker-key';
const STUCK_WORKER = fileURLToPath(new URL('./fixtures/stuck-worker.mjs', import.meta.url));
const task = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.com/',
  websiteKey: '0x4AAAAAAAsandbox',
};

const redisAvailable = Boolean(process.env.CAPTASK_TEST_REDIS_URL) || hasRedisServer();
const suiteName = (name: string): string =>
  redisAvailable
    ? name
    : `${name} (skipped: CAPTASK_TEST_REDIS_URL is unset and no redis-server is on PATH)`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisAvailable)(suiteName('captask instances sharing Redis'), () => {
  let testRedis: TestRedis;
  let redis: Redis;
  let prefix: string;
  const processes: CliProcess[] = [];

  beforeAll(async () => {
    testRedis = await startTestRedis();
    redis = new Redis(testRedis.url);
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((cli) => cli.kill()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis.quit();
    await testRedis.stop();
  });

  async function startInstance(env: Record<string, string> = {}): Promise<CliProcess> {
    const cli = await spawnCli({
      CAPTASK_REDIS_URL: testRedis.url,
      CAPTASK_REDIS_PREFIX: prefix,
      CAPTASK_CLIENT_KEYS: `${CLIENT_KEY}:1000`,
      ...env,
    });
    processes.push(cli);
    return cli;
  }

  async function waitForFinal(url: string, taskId: number): Promise<Record<string, unknown>> {
    for (let poll = 0; poll < 100; poll++) {
      const result = await post(`${url}/getTaskResult`, { clientKey: CLIENT_KEY, taskId });
      if (result.status !== 'processing') return result;
      await sleep(100);
    }
    throw new Error(`task ${taskId} still processing after 100 polls`);
  }

  it('creates on one instance and polls on the other', async () => {
    prefix = `captask-test:${randomUUID()}:`;
    const first = await startInstance({ CAPTASK_SANDBOX_LATENCY_MS: '10' });
    const second = await startInstance({ CAPTASK_SANDBOX_LATENCY_MS: '10' });
    expect(first.stdout()).toContain('store: redis at redis://127.0.0.1:');
    expect(first.stdout()).toContain(`key prefix ${prefix}`);

    const created = await post(`${first.url}/createTask`, { clientKey: CLIENT_KEY, task });
    expect(created.errorId).toBe(0);
    const result = await waitForFinal(second.url, created.taskId as number);
    expect(result).toMatchObject({ errorId: 0, status: 'ready' });

    const balances = await Promise.all(
      [first, second].map((cli) => post(`${cli.url}/getBalance`, { clientKey: CLIENT_KEY })),
    );
    expect(balances[0]?.balance).toBeCloseTo(999.998, 9);
    expect(balances[1]?.balance).toBe(balances[0]?.balance);
  });

  it('allows 120 of 500 polls split across instances', async () => {
    prefix = `captask-test:${randomUUID()}:`;
    const instances = [await startInstance(), await startInstance()];
    const created = await post(`${instances[0]?.url}/createTask`, { clientKey: CLIENT_KEY, task });

    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        post(`${instances[i % 2]?.url}/getTaskResult`, {
          clientKey: CLIENT_KEY,
          taskId: created.taskId,
        }),
      ),
    );
    const limited = answers.filter((answer) => answer.errorCode === 'ERROR_TOO_MUCH_REQUESTS');
    const others = answers.filter((answer) => answer.errorCode !== 'ERROR_TOO_MUCH_REQUESTS');
    expect(others).toHaveLength(120);
    expect(limited).toHaveLength(380);
    for (const answer of others) expect(answer.errorId).toBe(0);
  });

  it('completes a dead worker process task elsewhere', { timeout: 30_000 }, async () => {
    prefix = `captask-test:${randomUUID()}:`;
    const instance = await startInstance({ CAPTASK_WORKER_KEYS: WORKER_KEY });
    const created = await post(`${instance.url}/createTask`, { clientKey: CLIENT_KEY, task });
    const taskId = created.taskId as number;

    const stuck = spawn(process.execPath, [STUCK_WORKER, instance.url, WORKER_KEY], {
      stdio: 'pipe',
    });
    let stuckOutput = '';
    stuck.stdout.on('data', (chunk: Buffer) => {
      stuckOutput += chunk.toString('utf8');
    });
    const stuckExited = new Promise((resolve) => stuck.on('exit', resolve));
    for (let wait = 0; wait < 200 && !stuckOutput.includes('claimed'); wait++) await sleep(25);
    expect(stuckOutput).toBe(`claimed ${taskId} attempt 1\n`);

    // A second worker runs beside the stuck one: while that one extends its 2 s lease, the
    // task is not handed out again.
    const attempts: number[] = [];
    const controller = new AbortController();
    const second = createWorker({
      url: instance.url,
      key: WORKER_KEY,
      types: ['TurnstileTask'],
      leaseMs: 1_000,
      idleDelayMs: 50,
      signal: controller.signal,
      solve: async (_task, context) => {
        attempts.push(context.attempt);
        return { token: 'from-second-worker' };
      },
    });
    await sleep(3_000);
    expect(attempts).toEqual([]);

    if (stuck.pid !== undefined) process.kill(stuck.pid, 'SIGKILL');
    await stuckExited;
    const result = await waitForFinal(instance.url, taskId);
    controller.abort();
    await second.done;

    expect(result).toMatchObject({ status: 'ready', solution: { token: 'from-second-worker' } });
    expect(attempts).toEqual([2]);
  });
});
