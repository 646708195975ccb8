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
  /** Resolves with the first match of `pattern` in the output, waiting up to `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Sends SIGTERM to the process by pid and waits for it to exit (SIGKILL after 5 s). */
  stop(): Promise<ProcessExit>;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
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

  const stop = (): Promise<ProcessExit> => stopChild(child);

  const waitForOutput = (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> =>
    waitForMatch(child, () => output, pattern, timeoutMs);

  try {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const [url] = await waitForMatch(child, () => output, URL_PATTERN, timeoutMs);
    return { url, pid: child.pid ?? -1, output: () => output, waitForOutput, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForMatch(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(
        new Error(`no output matched ${pattern} within ${timeoutMs} ms. Output:\n${output()}`),
      );
    }, timeoutMs);

    const onData = (): void => {
      const match = pattern.exec(output());
      if (match) finish(undefined, match);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      const status = `code ${code}, signal ${signal}`;
      finish(
        new Error(`process exited (${status}) before printing ${pattern}. Output:\n${output()}`),
      );
    };
    const onError = (error: Error): void => finish(error);

    function finish(error: Error | undefined, match?: RegExpExecArray): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(match as RegExpExecArray);
    }

    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);

    onData();
    if (child.exitCode !== null || child.signalCode !== null)
      onExit(child.exitCode, child.signalCode);
  });
}

async function stopChild(child: ChildProcess): Promise<ProcessExit> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return { code: child.exitCode, signal: child.signalCode };
  }

  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  process.kill(child.pid, 'SIGTERM');

  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGKILL');
    }
  }, 5_000);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}
