import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fixed, integer, ratio, table } from '../report.mjs';

const execFileAsync = promisify(execFile);
const MEASURE = fileURLToPath(new URL('measure.mjs', import.meta.url));

/** Description of each mode for the table. */
const MODES = {
  baseline: 'baseline: a Map of small objects (id, state, polls, createdAt)',
  store: '`createMemoryStore().create()`, called directly',
  server:
    'createTask through the `createTaskServer` handler (task stored, sandbox solve in flight)',
  solved:
    'createTask through the `createTaskServer` handler, solved at once (result kept, as for 5 minutes after a solve)',
};

/**
 * Benchmark 4: memory per token task, pending and solved, each mode in a fresh Node process
 * with `--expose-gc`.
 *
 * @param {{ quick: boolean }} options
 * @returns {Promise<string>} the RESULTS.md section
 */
export async function run(options) {
  const count = options.quick ? 10_000 : 100_000;
  const rows = [];
  let baseline;
  for (const mode of Object.keys(MODES)) {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--expose-gc', MEASURE, mode, String(count)],
      {
        maxBuffer: 1024 * 1024,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop());
    const heapPerTask = (result.after.heapUsed - result.before.heapUsed) / count;
    const rssPerTask = (result.after.rss - result.before.rss) / count;
    baseline ??= { heapPerTask, rssPerTask };
    rows.push([
      MODES[mode],
      fixed(heapPerTask),
      ratio(heapPerTask / baseline.heapPerTask),
      fixed(rssPerTask),
      ratio(rssPerTask / baseline.rssPerTask),
      `${fixed((result.after.heapUsed - result.before.heapUsed) / 1024 ** 2, 1)} MiB`,
    ]);
  }

  return [
    '## 4. Memory per task',
    '',
    `${integer(count)} TurnstileTask tasks (distinct websiteURL each) in the in-memory store, each mode in a fresh Node process started with \`--expose-gc\`. Heap used and RSS are read after two \`gc()\` calls before and after creating the tasks, with every task still referenced; the figures are the growth divided by the task count. In the server mode the sandbox latency and the solve deadline are 10 minutes, so every task stays pending with its solve in flight. In the solved mode the sandbox has no latency, and the figures cover the stored result of each task, which the server keeps for 5 minutes after the solve.`,
    '',
    table(
      [
        'What is created',
        'Heap per task (bytes)',
        'Ratio to baseline',
        'RSS per task (bytes)',
        'Ratio to baseline',
        'Heap growth',
      ],
      rows,
    ),
  ].join('\n');
}
