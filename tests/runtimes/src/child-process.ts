import { type ChildProcess, spawn } from 'node:child_process';

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to wait for the first URL; 30 000 by default. */
  startTimeoutMs?: number;
}

/** A started server process and the URL it printed. */
export interface ServerProcess {
  /** The first `http://127.0.0.1:PORT` URL in the output, without a trailing slash. */
  url: string;
  pid: number;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Sends SIGTERM to the process by pid and waits for it to exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Starts a server as a child process and resolves once it prints its URL. The
 * process is expected to bind 127.0.0.1 and print the real URL, also when `PORT=0`.
 *
 * @example
 * const server = await startServerProcess({ command: 'node', args: ['server.js'] });
 * await fetch(`${server.url}/getBalance`, { method: 'POST', body: '{}' });
 * await server.stop();
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });

  const stop = (): Promise<void> => stopChild(child);

  try {
    const url = await waitForUrl(child, () => output, options.startTimeoutMs ?? 30_000);
    return { url, pid: child.pid ?? -1, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForUrl(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(new Error(`server printed no URL within ${timeoutMs} ms. Output:\n${output()}`));
    }, timeoutMs);

    const onData = (): void => {
      const match = URL_PATTERN.exec(output());
      if (match) finish(undefined, match[0]);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      finish(
        new Error(
          `server exited (code ${code}, signal ${signal}) before printing a URL:\n${output()}`,
        ),
      );
    };
    const onError = (error: Error): void => finish(error);

    function finish(error: Error | undefined, url?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(url as string);
    }

    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');

  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGKILL');
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
