import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { TaskId } from '@captask/core/client';
import type { PollerTaskOutcome } from './poller-child';

const CHILD_SCRIPT = fileURLToPath(new URL('./poller-child.ts', import.meta.url));
const CLIENT_MODULE = fileURLToPath(
  new URL('../../../packages/core/src/client/index.ts', import.meta.url),
);
const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

export interface PollerOptions {
  baseUrl: string;
  clientKey: string;
  taskIds: TaskId[];
  /** Time between two polls of one task, in ms. */
  intervalMs: number;
  /** Polls per task at most, in each process. */
  maxPollsPerTask: number;
  /** Time after which each process stops polling, in ms. */
  maxMs: number;
}

/**
 * Starts `processes` Node processes that each poll every task of `options` with the client's
 * raw getTaskResult, and resolves with each process's outcomes. A process that runs
 * `maxMs + 15 s` is killed by its pid and reported as a failure.
 */
export async function spawnPollers(
  processes: number,
  options: PollerOptions,
): Promise<PollerTaskOutcome[][]> {
  const settings = JSON.stringify({ ...options, clientModule: CLIENT_MODULE });
  const runs = Array.from({ length: processes }, () => runChild(settings, options.maxMs + 15_000));
  return Promise.all(runs);
}

function runChild(settings: string, killAfterMs: number): Promise<PollerTaskOutcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHILD_SCRIPT, settings], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`poller process exited with ${code}: ${stderr.slice(0, 2_000)}`));
        return;
      }
      resolve(JSON.parse(stdout.trim()) as PollerTaskOutcome[]);
    });
  });
}
