import { randomUUID } from 'node:crypto';
import { createWorker, type Worker } from '@captask/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, startTestRedis, type TestRedis } from '../../redis/test/redis-server';
import { type CliProcess, post, spawnCli } from './cli-process';

const CLIENT_KEY = 'failover-client-key';
const WORKER_KEY = 'failover-worker-key';
const TASKS = 240;
const KILL_AFTER = 100;
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

/** What the workers saw of one task, read from their claim and submit traffic. */
interface TaskRecord {
  claims: number;
  /** Tokens of every submit sent, including those to the killed instance that got no response. */
  submittedTokens: Set<string>;
  /** Submits whose response was `accepted: true`; each of them completed the task. */
  acceptedSubmits: number;
  acceptedToken?: string;
}

describe.skipIf(!redisAvailable)(suiteName('captask failover'), () => {
  let testRedis: TestRedis;
  let redis: Redis;
  const prefix = `captask-test:${randomUUID()}:`;

  beforeAll(async () => {
    testRedis = await startTestRedis();
    redis = new Redis(testRedis.url);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await testRedis.stop();
  });

  /**
   * An accepted task is one whose createTask returned a taskId. It is lost when, 25 s after
   * the load ends, the surviving instance still returns `processing` or ERROR_NO_SUCH_CAPCHA_ID for it.
   * It is completed twice when more than one worker submit for it was accepted.
   */
  it('loses no task when one instance is killed', { timeout: 120_000 }, async () => {
    const env = {
      CAPTASK_REDIS_URL: testRedis.url,
      CAPTASK_REDIS_PREFIX: prefix,
      CAPTASK_CLIENT_KEYS: `${CLIENT_KEY}:1000`,
      CAPTASK_WORKER_KEYS: WORKER_KEY,
    };
    const victim: CliProcess = await spawnCli(env);
    const survivor: CliProcess = await spawnCli(env);

    const records = new Map<number, TaskRecord>();
    const leases = new Map<string, number>();
    const recordOf = (taskId: number): TaskRecord => {
      let record = records.get(taskId);
      if (record === undefined) {
        record = { claims: 0, submittedTokens: new Set(), acceptedSubmits: 0 };
        records.set(taskId, record);
      }
      return record;
    };
    const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const sent = path.endsWith('/worker/submit')
        ? (JSON.parse(String(init?.body)) as { leaseId: string; solution?: { token: string } })
        : undefined;
      const sentTaskId = sent === undefined ? undefined : leases.get(sent.leaseId);
      if (sentTaskId !== undefined && sent?.solution !== undefined) {
        recordOf(sentTaskId).submittedTokens.add(sent.solution.token);
      }

      const response = await fetch(input, init);
      if (path.endsWith('/worker/claim')) {
        const body = (await response.clone().json()) as {
          tasks?: { taskId: number; leaseId: string }[];
        };
        for (const claimed of body.tasks ?? []) {
          leases.set(claimed.leaseId, claimed.taskId);
          recordOf(claimed.taskId).claims += 1;
        }
      }
      if (sentTaskId !== undefined) {
        const answer = (await response.clone().json()) as { accepted?: boolean };
        if (answer.accepted === true) {
          const record = recordOf(sentTaskId);
          record.acceptedSubmits += 1;
          record.acceptedToken = sent?.solution?.token;
        }
      }
      return response;
    }) as typeof fetch;

    const stopWorkers = new AbortController();
    const workers: Worker[] = [victim, survivor, victim, survivor].map((instance) =>
      createWorker({
        url: instance.url,
        key: WORKER_KEY,
        types: ['TurnstileTask'],
        concurrency: 8,
        leaseMs: 2_000,
        extendEveryMs: 400,
        idleDelayMs: 20,
        retryDelayMs: 100,
        fetch: recordingFetch,
        signal: stopWorkers.signal,
        solve: async (_task, context) => {
          await sleep(20 + Math.random() * 60);
          return { token: `${context.taskId}.${context.attempt}.${randomUUID()}` };
        },
      }),
    );

    const accepted: number[] = [];
    let createFailures = 0;
    let killed = false;
    const createLoop = async (index: number): Promise<void> => {
      let turn = index;
      while (accepted.length < TASKS) {
        const target = !killed && turn % 2 === 0 ? victim : survivor;
        turn += 1;
        try {
          const created = await post(`${target.url}/createTask`, { clientKey: CLIENT_KEY, task });
          if (created.errorId === 0 && accepted.length < TASKS)
            accepted.push(created.taskId as number);
        } catch {
          createFailures += 1;
        }
        if (!killed && accepted.length >= KILL_AFTER) {
          killed = true;
          await victim.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, index) => createLoop(index)));
    expect(killed).toBe(true);

    const finals = new Map<number, Record<string, unknown>>();
    const deadline = Date.now() + 25_000;
    while (finals.size < accepted.length && Date.now() < deadline) {
      const pending = accepted.filter((taskId) => !finals.has(taskId));
      const results = await Promise.all(
        pending.map((taskId) =>
          post(`${survivor.url}/getTaskResult`, { clientKey: CLIENT_KEY, taskId }),
        ),
      );
      results.forEach((result, index) => {
        if (result.status !== 'processing') finals.set(pending[index] as number, result);
      });
      await sleep(250);
    }
    stopWorkers.abort();
    await Promise.all(workers.map((worker) => worker.done));
    // A second completion would replace the stored result, so read every result once more.
    const rereads = await Promise.all(
      accepted.map((taskId) =>
        post(`${survivor.url}/getTaskResult`, { clientKey: CLIENT_KEY, taskId }),
      ),
    );

    const lost = accepted.filter((taskId) => {
      const result = finals.get(taskId);
      return result === undefined || result.errorCode === 'ERROR_NO_SUCH_CAPCHA_ID';
    });
    const tokenOf = (result: Record<string, unknown> | undefined): string | undefined =>
      (result?.solution as { token?: string } | undefined)?.token;
    const completedTwice = accepted.filter((taskId, index) => {
      const record = records.get(taskId);
      const changed = tokenOf(rereads[index]) !== tokenOf(finals.get(taskId));
      return changed || (record?.acceptedSubmits ?? 0) > 1;
    });
    // The stored solution must come from a submit for this task, and from the accepted one
    // when its response arrived.
    const mismatched = accepted.filter((taskId) => {
      const token = tokenOf(finals.get(taskId));
      const record = records.get(taskId);
      if (token === undefined || !record?.submittedTokens.has(token)) return true;
      return record.acceptedToken !== undefined && record.acceptedToken !== token;
    });
    const unanswered = accepted.filter(
      (taskId) => records.get(taskId)?.acceptedToken === undefined,
    );
    const redelivered = accepted.filter((taskId) => (records.get(taskId)?.claims ?? 0) > 1);
    console.log(
      `failover: ${accepted.length} accepted, ${createFailures} creates failed at the kill, ` +
        `${redelivered.length} redelivered, ${unanswered.length} completed without an answer to ` +
        `the worker, ${lost.length} lost, ${completedTwice.length} completed twice`,
    );

    expect(new Set(accepted).size).toBe(TASKS);
    expect(lost).toEqual([]);
    expect(completedTwice).toEqual([]);
    expect(mismatched).toEqual([]);
    for (const taskId of accepted) expect(finals.get(taskId)?.status).toBe('ready');
    await survivor.kill();
  });
});
