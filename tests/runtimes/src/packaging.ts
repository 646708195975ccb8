import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const execFileAsync = promisify(execFile);

/** Root folder of the workspace. */
export const WORKSPACE_ROOT: string = fileURLToPath(new URL('../../../', import.meta.url));

/** A package from `packages/` that is published to npm. */
export interface PublishedPackage {
  name: string;
  dir: string;
  /** Subpaths of the `exports` map that load code, such as `.` and `./client`. */
  entryPoints: string[];
}

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

/**
 * Lists the packages in `packages/` that are published: not private, with an `exports` entry
 * for `.` and a `src/index.ts`. A new package that meets these conditions is checked without
 * any change to the tests.
 */
export function listPublishedPackages(): PublishedPackage[] {
  const packagesDir = join(WORKSPACE_ROOT, 'packages');
  const found: PublishedPackage[] = [];

  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    const dir = join(packagesDir, entry.name);
    const manifestPath = join(dir, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) continue;

    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const exportsMap = manifest.exports ?? {};
    if (manifest.private || !('.' in exportsMap) || !existsSync(join(dir, 'src/index.ts'))) {
      continue;
    }

    const entryPoints = Object.keys(exportsMap).filter((key) => key !== './package.json');
    found.push({ name: manifest.name, dir, entryPoints });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Returns the command that runs pnpm: the running pnpm when a pnpm script started us. */
function pnpmCommand(): { command: string; prefix: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm\.(c?js|mjs)$/.test(execPath)) {
    return { command: process.execPath, prefix: [execPath] };
  }
  return { command: 'pnpm', prefix: [] };
}

/**
 * Packs a package with `pnpm pack`, which rewrites `workspace:` ranges to real versions as
 * `pnpm publish` does, and returns the tarball's path.
 */
export async function packPackage(pkg: PublishedPackage, destination: string): Promise<string> {
  const target = await mkdtemp(join(destination, 'pack-'));
  const { command, prefix } = pnpmCommand();
  await execFileAsync(command, [...prefix, 'pack', '--pack-destination', target], {
    cwd: pkg.dir,
    timeout: 60_000,
  });

  const [tarball] = (await readdir(target)).filter((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${pkg.name} in ${target}`);
  return join(target, tarball);
}

/** Runs publint on a tarball and returns its warnings and errors as readable lines. */
export async function publintTarball(tarballPath: string): Promise<string[]> {
  const data = await readFile(tarballPath);
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const result = await publint({ pack: { tarball }, level: 'warning', strict: true });

  return result.messages.map(
    (message) => `${message.type}: ${formatMessage(message, result.pkg, { color: false })}`,
  );
}

/** Problem that attw found in one entry point under one module resolution mode. */
export interface TypesProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/**
 * Runs `attw` (Are the Types Wrong?) on a tarball and returns the problems it found, for
 * TypeScript's node16 and bundler module resolution, as ESM and as CJS. `@types` packages are
 * not looked up.
 *
 * NOTE: node10 resolution (`moduleResolution: "node"`) is not checked. It ignores `exports`,
 * so subpath entry points such as `@captask/core/client` have no types there.
 */
export async function attwTarball(tarballPath: string): Promise<TypesProblem[]> {
  const attw = join(WORKSPACE_ROOT, 'tests/runtimes/node_modules/.bin/attw');
  const args = [tarballPath, '--format', 'json', '--no-definitely-typed'];
  const { stdout } = await execFileAsync(attw, args, { timeout: 60_000 }).catch(
    // attw exits with code 1 when it finds problems and still prints the JSON report.
    (error: { stdout?: string }) => {
      if (typeof error.stdout === 'string' && error.stdout.startsWith('{')) {
        return { stdout: error.stdout };
      }
      throw error;
    },
  );

  // The JSON report lists the problems of every resolution mode, whatever the profile.
  const report = JSON.parse(stdout) as { analysis: { problems?: TypesProblem[] } };
  const problems = report.analysis.problems ?? [];
  return problems.filter((problem) => problem.resolutionKind !== 'node10');
}
