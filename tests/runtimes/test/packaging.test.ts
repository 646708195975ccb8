import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTarballs } from '../src/install-tarballs';
import {
  attwTarball,
  listPublishedPackages,
  type PublishedPackage,
  packPackage,
  publintTarball,
} from '../src/packaging';

const execFileAsync = promisify(execFile);
const packages = listPublishedPackages();
const tarballs = new Map<string, string>();
let workDir = '';

/** Turns an `exports` subpath into the specifier a user imports: `./client` to `pkg/client`. */
function specifiersOf(pkg: PublishedPackage): string[] {
  return pkg.entryPoints.map((entry) =>
    entry === '.' ? pkg.name : `${pkg.name}${entry.slice(1)}`,
  );
}

// Packs the built packages, so `pnpm test` runs this after `turbo run build`.
describe('published packages', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'captask-packaging-'));
    for (const pkg of packages) {
      if (!existsSync(join(pkg.dir, 'dist'))) {
        throw new Error(`${pkg.name} has no dist folder: run pnpm build before this test`);
      }
      tarballs.set(pkg.name, await packPackage(pkg, workDir));
    }
  }, 180_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('list includes core', () => {
    const names = packages.map((pkg) => pkg.name);

    expect(names).toContain('@captask/core');
    expect(names.length).toBeGreaterThanOrEqual(2);
  });

  it.each(packages.map((pkg) => [pkg.name]))('%s passes publint', async (name) => {
    const messages = await publintTarball(tarballs.get(name) as string);

    expect(messages).toEqual([]);
  });

  it.each(packages.map((pkg) => [pkg.name]))('%s passes attw', async (name) => {
    const problems = await attwTarball(tarballs.get(name) as string);

    expect(problems).toEqual([]);
  });

  it('install with npm and load by require and import', async () => {
    const project = await installTarballs(workDir, [...tarballs.values()]);
    const script = join(project, 'load-packages.mjs');
    await copyFile(
      fileURLToPath(new URL('../fixtures/load-packages.mjs', import.meta.url)),
      script,
    );

    const specifiers = packages.flatMap(specifiersOf);
    const { stdout } = await execFileAsync(process.execPath, [script, JSON.stringify(specifiers)], {
      cwd: project,
      timeout: 60_000,
    });
    const report = JSON.parse(stdout);

    for (const specifier of specifiers) {
      const loaded = report.exports[specifier];
      expect(loaded.import.length, `${specifier} exports nothing`).toBeGreaterThan(0);
      expect(loaded.require, `${specifier}: require and import differ`).toEqual(loaded.import);
    }
    expect(report.captaskError).toEqual({
      separateClasses: true,
      cjsErrorIsEsmInstance: true,
      esmErrorIsCjsInstance: true,
      plainErrorIsInstance: false,
      protocolBody: expect.objectContaining({ errorId: 1, errorCode: 'ERROR_TASK_ABSENT' }),
    });
  });
});
