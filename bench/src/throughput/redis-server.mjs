import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

/**
 * Starts a private redis-server on a free loopback port, without persistence, with its
 * pidfile and working directory in a new temporary directory. Returns undefined when no
 * `redis-server` binary is on the PATH. `stop()` ends that server by the pid in its pidfile.
 *
 * @returns {Promise<{ url: string; stop(): Promise<void> } | undefined>}
 */
export async function startRedis() {
  if (spawnSync('redis-server', ['--version']).error !== undefined) return undefined;

  const dir = await mkdtemp(join(tmpdir(), 'captask-bench-redis-'));
  const pidfile = join(dir, 'redis.pid');
  const port = await freePort();
  await run('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'yes',
    '--pidfile',
    pidfile,
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ]);

  const url = `redis://127.0.0.1:${port}`;
  const pid = await waitForPid(pidfile);
  const stop = async () => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Returns a port that was free a moment ago, by binding port 0 and closing. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

async function waitForPid(pidfile) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const text = await readFile(pidfile, 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    if (Number.isInteger(pid) && pid > 0) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server wrote no pid to ${pidfile} within 5 s`);
}

async function waitForPing(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 50,
  });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        await redis.connect().catch(() => undefined);
        if ((await redis.ping()) === 'PONG') return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server at ${url} did not respond to PING within 5 s`);
  } finally {
    redis.disconnect();
  }
}
