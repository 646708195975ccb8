import { fixed, integer, ratio, table } from '../report.mjs';
import { runThroughput } from './run-throughput.mjs';

const ROUTE_LABELS = {
  bare: 'bare route',
  bareParse: 'bare route, body parsed (reference)',
};

/** Share of the bare route's rate that the captask routes should reach. */
const TARGET_RATIO = 0.85;

/**
 * Benchmark 3: server throughput with autocannon.
 *
 * @param {{ quick: boolean; log?: (message: string) => void }} options
 * @returns {Promise<string>} the RESULTS.md section
 */
export async function run(options) {
  const settings = options.quick
    ? { durationSeconds: 1, warmupSeconds: 1, rounds: 1 }
    : { durationSeconds: 3, warmupSeconds: 1, rounds: 3 };
  return render(await runThroughput({ ...settings, log: options.log }));
}

function render(result) {
  const { settings, connections } = result;
  const frameworkRows = [];
  for (const server of result.frameworks) {
    for (const name of ['bare', 'bareParse', 'getTaskResult', 'createTask']) {
      const figures = server[name];
      const share = figures.rps / server.bare.rps;
      let target = '';
      if (name !== 'bare' && name !== 'bareParse') {
        target = share >= TARGET_RATIO ? 'met' : 'missed';
      }
      frameworkRows.push([
        server.name,
        ROUTE_LABELS[name] ?? name,
        integer(figures.rps),
        fixed(figures.p99Ms),
        ratio(share),
        target,
        integer(figures.failures),
      ]);
    }
  }

  const lines = [
    '## 3. Server throughput',
    '',
    `autocannon 9 (programmatic API, in the benchmark process) sends POSTs with a JSON body over ${connections} keep-alive connections, no pipelining, to a server in its own child process on 127.0.0.1, port 0. Each load runs ${settings.durationSeconds} s after a ${settings.warmupSeconds} s warm-up; there are ${settings.rounds} rounds with the order reversed every other round, and the table shows the median over the rounds (failed requests: the most in any round). The Node servers (Hono, Express and the stores below) pass \`clientKeyDigest: sha256Digest\` from \`@captask/node\` as the CLI and \`@captask/express\` do, while Bun and Deno use the default Web Crypto digest; static accounts remember a key once it has matched, so neither digest runs again for the bench key after its first request. Express and the store servers run the task server on \`node:http\` through \`createNodeListener\`, which calls its plain entry (\`handlePlain\`) and builds no web \`Request\` or \`Response\`; Hono on Node uses the lightweight Request and Response of \`@hono/node-server\`. The bare route is a POST route of the same framework that returns \`{"errorId":0,"status":"processing"}\` without reading the body. The reference row "body parsed" is a second bare route that reads and parses the JSON body with the framework's own parser (Hono \`c.req.json()\`, \`express.json()\`, \`request.json()\` on Bun and Deno) before it returns the same object; it shows how much of the gap body reading alone explains, and it has no target. getTaskResult polls one pre-created task that stays processing; the bench server sets \`limits.maxPollsPerTask\` to 1,000,000,000 so that one task serves the whole run. createTask creates TurnstileTask tasks that the sandbox solves at once. Bun and Deno run one esbuild bundle of \`@captask/serve\` with a handler that sends \`/bare\` and \`/bare-parse\` to the bare routes and the rest to the task server. Target: each captask route at ${TARGET_RATIO} of the bare route or more.`,
    '',
    table(
      ['Server', 'Route', 'Requests/s', 'p99 (ms)', 'Ratio to bare', 'Target', 'Failed requests'],
      frameworkRows,
    ),
    '',
  ];

  const stores = result.stores;
  if (stores.skipped !== undefined) {
    lines.push(`Redis store: not measured, because ${stores.skipped}.`);
  } else {
    lines.push(
      `getTaskResult through \`node:http\` and \`createNodeListener\` on the memory store, on \`createRedisStore\` (ioredis, one private redis-server 7 on 127.0.0.1 with persistence off), and as two such processes sharing that Redis with ${connections / 2} connections each (two autocannon loads at once; requests/s summed, p99 the higher of the two). All three servers run side by side and the loads alternate per round.`,
      '',
      table(
        ['Store', 'Requests/s', 'p99 (ms)', 'Ratio', 'Failed requests'],
        [
          [
            'memory, 1 process',
            integer(stores.memory.rps),
            fixed(stores.memory.p99Ms),
            '1.00 (baseline)',
            integer(stores.memory.failures),
          ],
          [
            'Redis, 1 process',
            integer(stores.redisOne.rps),
            fixed(stores.redisOne.p99Ms),
            `${ratio(stores.redisOne.rps / stores.memory.rps)} of memory`,
            integer(stores.redisOne.failures),
          ],
          [
            'Redis, 2 processes',
            integer(stores.redisTwo.rps),
            fixed(stores.redisTwo.p99Ms),
            `${ratio(stores.redisTwo.rps / stores.redisOne.rps)} of 1 process`,
            integer(stores.redisTwo.failures),
          ],
        ],
      ),
    );
  }
  return lines.join('\n');
}
