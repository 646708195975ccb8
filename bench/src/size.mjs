import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { kib, ratio, table } from './report.mjs';

const require = createRequire(import.meta.url);
const BENCH_DIR = dirname(fileURLToPath(new URL('.', import.meta.url)));

/**
 * Bundles an entry with esbuild (minified ESM for Node, dependencies included, Node built-ins
 * left out) and returns the minified and gzipped sizes in bytes.
 *
 * @param {{ contents: string; label: string }} entry source of a module that imports the client
 */
async function measure(entry) {
  const result = await build({
    stdin: { contents: entry.contents, resolveDir: BENCH_DIR, sourcefile: `${entry.label}.mjs` },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/**
 * Benchmark 5: bundle size of the client entry next to the official client.
 *
 * @returns {Promise<string>} the RESULTS.md section
 */
export async function run() {
  const officialVersion = require('@zennolab_com/capmonstercloud-client/package.json').version;
  const entries = [
    {
      label: 'official',
      name: `official client, whole package entry (@zennolab_com/capmonstercloud-client ${officialVersion})`,
      contents: "export * from '@zennolab_com/capmonstercloud-client';",
    },
    {
      label: 'ours',
      name: 'ours, whole `@captask/core/client` entry',
      contents: "export * from '@captask/core/client';",
    },
    {
      label: 'ours-create-client',
      name: 'ours, `createClient` only (tree-shaken)',
      contents: "export { createClient } from '@captask/core/client';",
    },
  ];

  const rows = [];
  let official;
  for (const entry of entries) {
    const size = await measure(entry);
    official ??= size;
    rows.push([
      entry.name,
      kib(size.minified),
      ratio(size.minified / official.minified),
      kib(size.gzipped),
      ratio(size.gzipped / official.gzipped),
    ]);
  }

  return [
    '## 5. Client bundle size',
    '',
    'Each entry is bundled by esbuild (bundle, minify, ESM output, `platform: node`, target es2022, dependencies included, Node built-ins external) and the output is gzipped with zlib at level 9. Ours comes from the built dist (`@captask/core/client`, the `import` condition); the official client from its package entry (`dist/index.js`, CommonJS).',
    '',
    table(
      ['Bundle', 'Minified', 'Ratio to official', 'Minified + gzip', 'Ratio to official'],
      rows,
    ),
  ].join('\n');
}
