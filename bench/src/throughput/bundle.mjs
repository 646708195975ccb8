import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the Bun and Deno throughput server into one ESM file in a new temporary directory,
 * from the built packages (the `import` condition of their exports), so both runtimes start
 * the same code with no package resolution of their own.
 *
 * @returns {Promise<{ file: string; dir: string }>}
 */
export async function bundleServeRuntime() {
  const dir = await mkdtemp(join(tmpdir(), 'captask-bench-serve-'));
  const file = join(dir, 'serve-runtime.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('servers/serve-runtime.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    outfile: file,
    logLevel: 'error',
  });
  return { file, dir };
}
