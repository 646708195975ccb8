import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type ProcessRuntime, runtimeBinary, runtimeEnv } from './runtimes';

const execFileAsync = promisify(execFile);

/** Command-line arguments that run one ESM file in each runtime, with no network access. */
export function runArgs(runtime: ProcessRuntime, file: string): string[] {
  if (runtime === 'bun') return ['run', file];
  // Deno: no permissions at all, and no module may come from a remote URL or a registry.
  if (runtime === 'deno') return ['run', '--no-remote', '--cached-only', '--no-prompt', file];
  return [file];
}

/**
 * Runs one ESM file to completion in a runtime and returns its stdout. Rejects with the
 * runtime's stderr when the process exits with a non-zero code or runs past `timeoutMs`.
 *
 * @example
 * const stdout = await runScript('deno', '/tmp/bundle.mjs');
 */
export async function runScript(
  runtime: ProcessRuntime,
  file: string,
  timeoutMs = 30_000,
): Promise<string> {
  const { stdout } = await execFileAsync(runtimeBinary(runtime), runArgs(runtime, file), {
    env: runtimeEnv(),
    timeout: timeoutMs,
    maxBuffer: 4 * 1024 * 1024,
  });
  return stdout;
}
