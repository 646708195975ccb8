import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** A spawned `captask` process. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Base URL once the process printed its listening line. */
  url: string;
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGKILL to the process by its pid and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns the built CLI with the given environment on PORT=0 and resolves once it listens.
 * Rejects with its output when it exits first or prints nothing within 15 s.
 */
export async function spawnCli(env: Record<string, string>): Promise<CliProcess> {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing; run "pnpm build" (or the root "pnpm test") first.`);
  }
  const child = spawn(process.execPath, [BIN], {
    env: { ...process.env, PORT: '0', CAPTASK_LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });

  const deadline = Date.now() + 15_000;
  let url = '';
  while (url === '' && Date.now() < deadline && child.exitCode === null) {
    url = /captask listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
    if (url === '') await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (url === '') {
    child.kill('SIGKILL');
    throw new Error(`The CLI did not start. stdout:\n${stdout}\nstderr:\n${stderr}`);
  }

  return {
    child,
    url,
    stdout: () => stdout,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
      await exited;
    },
  };
}

/** POSTs a JSON body and returns the parsed JSON response. */
export async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}
