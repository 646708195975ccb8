import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Returns the Bun binary of the `bun` npm package. `node_modules/.bin/bun` is a shell shim
 * around it; starting the binary itself gives a pid that ends the server when killed.
 */
export function bunBinary() {
  return join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe');
}

/**
 * Returns the Deno binary of the `deno` npm package, linked by the package's own install API
 * (pnpm skips its postinstall script). `node_modules/.bin/deno` runs it through a Node
 * wrapper process, which would leave the server behind when the wrapper is killed.
 */
export function denoBinary() {
  return require('deno/install_api.cjs').runInstall();
}

/** Environment for child runtimes: no update checks and no telemetry. */
export function runtimeEnv(extra = {}) {
  return {
    ...process.env,
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    DO_NOT_TRACK: '1',
    ...extra,
  };
}

/** Returns the first line of `<binary> --version`, or `not found` when it fails to start. */
export function versionOf(binaryPath) {
  try {
    const output = execFileSync(binaryPath(), ['--version'], {
      env: runtimeEnv(),
      encoding: 'utf8',
    });
    return output.split('\n')[0].trim();
  } catch {
    return 'not found';
  }
}
