import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { sourceAliases } from '../../../vitest.shared';

/** Options of {@link bundleScript}. */
export interface BundleOptions {
  /** Entry file, TypeScript or JavaScript. */
  entry: string;
  /** File name of the bundle inside a new temporary folder; `bundle.mjs` by default. */
  fileName?: string;
  /** Resolve `@captask/*` to their built `dist` (true) or to their sources (false, default). */
  useBuiltPackages?: boolean;
}

/**
 * Bundles an entry file and everything it imports into one ESM file in a new temporary folder,
 * and returns the file's path. The bundle targets no platform in particular: an import of a
 * Node built-in module fails the build, which proves the code runs on any runtime with web
 * standard APIs. Workspace packages resolve to their sources, as in the vitest configs.
 *
 * @example
 * const file = await bundleScript({ entry: 'fixtures/check-cli.ts' });
 * execFileSync(bunBinary(), ['run', file]);
 */
export async function bundleScript(options: BundleOptions): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'captask-bundle-'));
  const outfile = join(folder, options.fileName ?? 'bundle.mjs');

  const result = await build({
    entryPoints: [options.entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['worker', 'import', 'default'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: options.useBuiltPackages ? [] : [workspaceSources()],
  });

  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild wrote no output for ${options.entry}`);
  await writeFile(outfile, file.contents);
  return outfile;
}

/** Deletes a bundle that {@link bundleScript} wrote, with its temporary folder. */
export async function removeBundle(file: string): Promise<void> {
  await rm(dirname(file), { recursive: true, force: true });
}

/** Resolves `@captask/*` imports to their TypeScript sources. */
function workspaceSources(): Plugin {
  return {
    name: 'captask-workspace-sources',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@captask\// }, (args) => {
        for (const alias of sourceAliases) {
          const matches =
            typeof alias.find === 'string' ? alias.find === args.path : alias.find.test(args.path);
          if (matches) return { path: alias.replacement };
        }
        return undefined;
      });
    },
  };
}
