import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../src/packaging';
import { denoBinary, runtimeEnv } from '../src/runtimes';

const execFileAsync = promisify(execFile);

/** Packages published to JSR too; `packages/deno.json` lists them as a Deno workspace. */
const JSR_PACKAGES = ['core', 'serve'];

interface JsrManifest {
  name: string;
  version: string;
  exports: string | Record<string, string>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

describe('JSR packages', () => {
  it.each(JSR_PACKAGES)('%s jsr.json matches package.json', (folder) => {
    const dir = join(WORKSPACE_ROOT, 'packages', folder);
    const jsr = readJson<JsrManifest>(join(dir, 'jsr.json'));
    const npm = readJson<{ name: string; version: string; exports: Record<string, unknown> }>(
      join(dir, 'package.json'),
    );
    const jsrEntries = typeof jsr.exports === 'string' ? ['.'] : Object.keys(jsr.exports);
    const npmEntries = Object.keys(npm.exports).filter((key) => key !== './package.json');

    expect(jsr.name).toBe(npm.name);
    expect(jsr.version).toBe(npm.version);
    expect(jsrEntries.sort()).toEqual(npmEntries.sort());
  });

  it('deno publish dry run passes', async () => {
    // A dry run type-checks the sources with Deno, rejects slow types (exports without
    // explicit types) and resolves @captask/core inside the workspace, so it needs no network.
    const { stdout, stderr } = await execFileAsync(
      denoBinary(),
      ['publish', '--dry-run', '--allow-dirty'],
      {
        cwd: join(WORKSPACE_ROOT, 'packages'),
        env: runtimeEnv({ NO_COLOR: '1' }),
        timeout: 120_000,
      },
    );
    const output = `${stdout}${stderr}`;

    for (const folder of JSR_PACKAGES) {
      expect(output).toContain(`Simulating publish of @captask/${folder}@`);
    }
    expect(output).toContain('Dry run complete');
  });
});
