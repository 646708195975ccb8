import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis server for tests: the one CAPTASK_TEST_REDIS_URL names, or one started here. */
export interface TestRedis {
  /** Empty when no Redis is available; tests then skip. */
  url: string;
  /** Why `url` is empty, for the skip message. */
  reason: string;
  stop(): Promise<void>;
}

/** Tells whether a `redis-server` binary is on PATH. */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Refused connections while the server starts are expected; connect() reports them.
  client.on('error', () => undefined);
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with code ${child.exitCode}`);
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        client.disconnect();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server did not respond to PING on ${url} within 5 s`);
  } finally {
    client.disconnect();
  }
}

/**
 * Returns the Redis to test against. CAPTASK_TEST_REDIS_URL wins; otherwise a `redis-server`
 * from PATH is started on a free loopback port with persistence off, and `stop()` kills it by
 * its pid. Without either, `url` is empty.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const configured = process.env.CAPTASK_TEST_REDIS_URL;
  if (configured) return { url: configured, reason: '', stop: async () => undefined };
  if (!hasRedisServer()) {
    const reason = 'CAPTASK_TEST_REDIS_URL is unset and no redis-server binary is on PATH';
    return { url: '', reason, stop: async () => undefined };
  }

  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, child);

  return {
    url,
    reason: '',
    stop: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}
