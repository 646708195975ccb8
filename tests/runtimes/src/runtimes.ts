import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A JavaScript runtime that the tests start as a child process. */
export type ProcessRuntime = 'node' | 'bun' | 'deno';

/**
 * Returns the path of the Bun binary from the `bun` npm package. The package's postinstall
 * script puts the binary at `bin/bun.exe` on every platform, so pnpm must be allowed to run it
 * (`onlyBuiltDependencies` in `pnpm-workspace.yaml`).
 */
export function bunBinary(): string {
  return join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe');
}

/**
 * Returns the path of the Deno binary from the `deno` npm package. The package's own install
 * API links the binary from its platform package when the postinstall script did not run.
 */
export function denoBinary(): string {
  const installApi = require('deno/install_api.cjs') as { runInstall(): string };
  return installApi.runInstall();
}

/** Returns the executable for a runtime: the current Node binary, or Bun or Deno from npm. */
export function runtimeBinary(runtime: ProcessRuntime): string {
  if (runtime === 'bun') return bunBinary();
  if (runtime === 'deno') return denoBinary();
  return process.execPath;
}

/**
 * Returns the environment for a child runtime: the parent's, with Deno's update check, Bun's
 * telemetry (`DO_NOT_TRACK`) and wrangler's metrics turned off, so that no runtime contacts a
 * host outside this machine.
 */
export function runtimeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DENO_NO_UPDATE_CHECK: '1',
    DENO_NO_PROMPT: '1',
    WRANGLER_SEND_METRICS: 'false',
    DO_NOT_TRACK: '1',
    ...extra,
  };
}
