import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** Time a server process has to print its port, in ms. */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts a server process that prints `listening <port>` once it accepts connections, and
 * returns its port and a `stop` that ends that process by its pid. Standard error is kept
 * for the message when the process exits early.
 *
 * @param {{ command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string }} options
 * @returns {Promise<{ port: number; pid: number; stop(): Promise<void> }>}
 */
export async function startChildServer(options) {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const port = await readPort(child, exited, () => stderr);
    return { port, pid: /** @type {number} */ (child.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readPort(child, exited, stderr) {
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `${child.spawnfile} printed no port within ${START_TIMEOUT_MS} ms: ${stderr()}`,
          ),
        ),
      START_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      resolve(Number(match[1]));
    });
    exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(
        new Error(`${child.spawnfile} exited with ${signal ?? code} before listening: ${stderr()}`),
      );
    });
  });
}
