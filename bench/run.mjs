#!/usr/bin/env node
// Runs the captask benchmarks and writes RESULTS.md. Usage:
//   node bench/run.mjs [--quick] [--only=polling-sim,polling-http,throughput,memory,size] [--out=FILE]
// --quick runs every benchmark with small samples and short durations and, unless --out is
// given, writes results-quick.md instead of RESULTS.md.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderHeader } from './src/header.mjs';
import { describeMachine } from './src/machine.mjs';

const BENCHMARKS = [
  { id: 'polling-sim', load: () => import('./src/sim/index.mjs') },
  { id: 'polling-http', load: () => import('./src/http/index.mjs') },
  { id: 'throughput', load: () => import('./src/throughput/index.mjs') },
  { id: 'memory', load: () => import('./src/memory/index.mjs') },
  { id: 'size', load: () => import('./src/size.mjs') },
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick;
const only = values.only?.split(',');
const unknown = only?.filter((id) => !BENCHMARKS.some((benchmark) => benchmark.id === id));
if (unknown?.length) {
  console.error(
    `Unknown benchmark ${unknown.join(', ')}; the benchmarks are ${BENCHMARKS.map((b) => b.id).join(', ')}.`,
  );
  process.exit(2);
}

const started = performance.now();
const sections = [];
let failed = false;
for (const benchmark of BENCHMARKS) {
  if (only && !only.includes(benchmark.id)) continue;
  const benchmarkStarted = performance.now();
  console.log(`[bench] ${benchmark.id}: started`);
  try {
    const module = await benchmark.load();
    sections.push(
      await module.run({
        quick,
        log: (message) => console.log(`[bench] ${benchmark.id}: ${message}`),
      }),
    );
  } catch (error) {
    failed = true;
    console.error(`[bench] ${benchmark.id} failed:`, error);
    sections.push(
      `## ${benchmark.id}\n\nFailed in this run: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  console.log(
    `[bench] ${benchmark.id}: done in ${((performance.now() - benchmarkStarted) / 1000).toFixed(1)} s`,
  );
}

const elapsedSeconds = (performance.now() - started) / 1000;
const header = renderHeader({
  quick,
  only,
  machine: describeMachine(),
  date: new Date(),
  elapsedSeconds,
});
const defaultName = quick ? 'results-quick.md' : 'RESULTS.md';
const outFile = values.out ?? fileURLToPath(new URL(defaultName, import.meta.url));
await writeFile(outFile, `${[header, ...sections].join('\n\n')}\n`);
console.log(`[bench] wrote ${outFile} in ${elapsedSeconds.toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;
