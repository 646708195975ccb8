import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bunBinary, denoBinary, runtimeEnv } from '../runtimes.mjs';
import { bundleServeRuntime } from './bundle.mjs';
import { startChildServer } from './child-server.mjs';
import { runLoad, runLoads } from './load.mjs';
import { startRedis } from './redis-server.mjs';
import { BENCH_KEY } from './servers/bench-task-server.mjs';

const CONNECTIONS = 50;

const serverFile = (name) => fileURLToPath(new URL(`servers/${name}`, import.meta.url));

/**
 * Bodies of the loads. The bare route receives the getTaskResult body and does not read it; the
 * parsing bare route reads and parses it.
 */
function bodies(taskId) {
  return {
    bare: JSON.stringify({ clientKey: BENCH_KEY, taskId }),
    bareParse: JSON.stringify({ clientKey: BENCH_KEY, taskId }),
    getTaskResult: JSON.stringify({ clientKey: BENCH_KEY, taskId }),
    createTask: JSON.stringify({
      clientKey: BENCH_KEY,
      task: {
        type: 'TurnstileTask',
        websiteURL: 'https://example.test/',
        websiteKey: 'bench-site-key',
      },
    }),
  };
}

/** Path of each load; the task server routes by the last path segment. */
const PATHS = {
  bare: '/bare',
  bareParse: '/bare-parse',
  getTaskResult: '/captask/getTaskResult',
  createTask: '/captask/createTask',
};

/**
 * Creates a task that stays processing and checks that each route returns the expected reply, so a
 * broken route fails the run instead of producing a rate of error replies.
 */
async function prepare(baseUrl) {
  const created = await postJson(`${baseUrl}/captask/createTask`, {
    clientKey: BENCH_KEY,
    task: {
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/hold',
      websiteKey: 'bench-site-key',
    },
  });
  if (created.errorId !== 0) throw new Error(`createTask failed: ${JSON.stringify(created)}`);
  const polled = await postJson(`${baseUrl}/captask/getTaskResult`, {
    clientKey: BENCH_KEY,
    taskId: created.taskId,
  });
  if (polled.status !== 'processing')
    throw new Error(`getTaskResult returned ${JSON.stringify(polled)}`);
  const bare = await postJson(`${baseUrl}/bare`, {});
  if (bare.status !== 'processing')
    throw new Error(`the bare route returned ${JSON.stringify(bare)}`);
  const bareParse = await postJson(`${baseUrl}/bare-parse`, { clientKey: BENCH_KEY });
  if (bareParse.status !== 'processing')
    throw new Error(`the parsing bare route returned ${JSON.stringify(bareParse)}`);
  return created.taskId;
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

/**
 * Measures bare, bareParse, getTaskResult and createTask on one server, alternating the order per round,
 * each after a warm-up load. Returns the median rate and p99 over the rounds per load.
 */
async function measureServer(baseUrl, settings) {
  const taskId = await prepare(baseUrl);
  const body = bodies(taskId);
  const samples = { bare: [], bareParse: [], getTaskResult: [], createTask: [] };
  for (let round = 0; round < settings.rounds; round++) {
    const order =
      round % 2 === 0
        ? ['bare', 'bareParse', 'getTaskResult', 'createTask']
        : ['createTask', 'getTaskResult', 'bareParse', 'bare'];
    for (const name of order) {
      const load = { url: `${baseUrl}${PATHS[name]}`, body: body[name], connections: CONNECTIONS };
      await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
      samples[name].push(await runLoad({ ...load, durationSeconds: settings.durationSeconds }));
    }
  }
  // Every reply of the loads is HTTP 200, errors included, so check that createTask still works.
  await prepare(baseUrl);
  return Object.fromEntries(Object.entries(samples).map(([name, runs]) => [name, summarize(runs)]));
}

/**
 * Sums up the rounds of one load: the median rate, p99 and request count, so that one round
 * disturbed by other work on the machine does not move the figure, and the most failures of
 * any round.
 */
function summarize(runs) {
  const median = (key) => {
    const sorted = runs.map((run) => run[key]).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  return {
    rps: median('rps'),
    p99Ms: median('p99Ms'),
    requests: median('requests'),
    failures: Math.max(...runs.map((run) => run.failures)),
  };
}

/** Returns the servers of the framework comparison; each `start` starts a child server. */
function frameworkServers(bundle) {
  const node = process.execPath;
  return [
    {
      name: 'Hono on Node (@hono/node-server)',
      start: () => startChildServer({ command: node, args: [serverFile('hono-node.mjs')] }),
    },
    {
      name: 'Express 5 (@captask/express)',
      start: () => startChildServer({ command: node, args: [serverFile('express.mjs')] }),
    },
    {
      name: '@captask/serve on Bun',
      start: () =>
        startChildServer({ command: bunBinary(), args: ['run', bundle.file], env: runtimeEnv() }),
    },
    {
      name: '@captask/serve on Deno',
      start: () =>
        startChildServer({
          command: denoBinary(),
          args: ['run', '--no-remote', '--no-prompt', '--allow-net=127.0.0.1', bundle.file],
          env: runtimeEnv(),
        }),
    },
  ];
}

/**
 * Runs the throughput benchmark: the framework servers one after another, then the Node
 * bridge on the memory store, on the Redis store, and as two processes sharing Redis.
 *
 * @param {{ durationSeconds: number; warmupSeconds: number; rounds: number; log?: (message: string) => void }} settings
 */
export async function runThroughput(settings) {
  const frameworks = [];
  const bundle = await bundleServeRuntime();
  try {
    for (const server of frameworkServers(bundle)) {
      const running = await server.start();
      try {
        frameworks.push({
          name: server.name,
          ...(await measureServer(`http://127.0.0.1:${running.port}`, settings)),
        });
        settings.log?.(`${server.name} measured`);
      } finally {
        await running.stop();
      }
    }
  } finally {
    await rm(bundle.dir, { recursive: true, force: true });
  }
  return { frameworks, stores: await measureStores(settings), connections: CONNECTIONS, settings };
}

/**
 * Measures getTaskResult through the Node bridge on the memory store, on the Redis store with
 * one instance, and with two instances that share the Redis and each take half the
 * connections. All three run at once and the loads alternate per round.
 */
async function measureStores(settings) {
  const redis = await startRedis();
  if (redis === undefined) return { skipped: 'redis-server is not installed on this machine' };
  const started = [];
  try {
    const start = (env) =>
      startChildServer({
        command: process.execPath,
        args: [serverFile('node-store.mjs')],
        env: { ...process.env, ...env },
      }).then((server) => {
        started.push(server);
        return `http://127.0.0.1:${server.port}`;
      });
    const memory = await start({});
    const redisA = await start({ REDIS_URL: redis.url });
    const redisB = await start({ REDIS_URL: redis.url });

    const memoryTask = await prepare(memory);
    const redisTask = await prepare(redisA);
    const load = (baseUrl, taskId, connections) => ({
      url: `${baseUrl}${PATHS.getTaskResult}`,
      body: bodies(taskId).getTaskResult,
      connections,
    });
    const configurations = {
      memory: [load(memory, memoryTask, CONNECTIONS)],
      redisOne: [load(redisA, redisTask, CONNECTIONS)],
      redisTwo: [
        load(redisA, redisTask, CONNECTIONS / 2),
        load(redisB, redisTask, CONNECTIONS / 2),
      ],
    };

    const samples = { memory: [], redisOne: [], redisTwo: [] };
    for (let round = 0; round < settings.rounds; round++) {
      const names = Object.keys(configurations);
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        const loads = configurations[name];
        await runLoads(
          loads.map((entry) => ({ ...entry, durationSeconds: settings.warmupSeconds })),
        );
        samples[name].push(
          await runLoads(
            loads.map((entry) => ({ ...entry, durationSeconds: settings.durationSeconds })),
          ),
        );
      }
    }
    settings.log?.('stores measured');
    return Object.fromEntries(
      Object.entries(samples).map(([name, runs]) => [name, summarize(runs)]),
    );
  } finally {
    for (const server of started) await server.stop();
    await redis.stop();
  }
}
