import { fixed } from './report.mjs';

/**
 * Renders the RESULTS.md header: command, machine, date and run time.
 *
 * @param {{ quick: boolean; only?: string[]; machine: ReturnType<typeof import('./machine.mjs').describeMachine>; date: Date; elapsedSeconds: number }} options
 */
export function renderHeader(options) {
  const { machine } = options;
  const flags = [
    options.quick ? '--quick' : '',
    options.only ? `--only=${options.only.join(',')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const command = flags === '' ? 'pnpm bench' : `pnpm bench ${flags}`;
  return [
    '# captask benchmark results',
    '',
    `- Command: \`${command}\` (builds the packages with turbo, then runs \`node bench/run.mjs\`)`,
    `- Date: ${options.date.toISOString()}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${fixed(machine.memoryGiB, 1)} GiB memory, ${machine.os}`,
    `- Runtimes: Node ${machine.node}, Bun ${machine.bun}, ${machine.deno}`,
    `- Run time: ${fixed(options.elapsedSeconds)} s`,
    '',
    'Every figure sits next to a baseline measured side by side in the same run, and the ratio between them is what to compare across machines. These are records of one run, not test thresholds; the machine is shared, so timings carry noise from other work on it.',
  ].join('\n');
}
