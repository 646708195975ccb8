// Throughput server: node:http with createNodeListener, on the memory store or, when
// REDIS_URL is set, the Redis store. Prints `listening <port>`.
import { createServer } from 'node:http';
import { createNodeListener, sha256Digest } from '@captask/node';
import { createRedisStore } from '@captask/redis';
import { Redis } from 'ioredis';
import { BARE_BODY, createBenchTaskServer } from './bench-task-server.mjs';

const redisUrl = process.env.REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl) : undefined;
const store = redis ? createRedisStore({ redis, keyPrefix: 'captask-bench:' }) : undefined;
const listener = createNodeListener(
  createBenchTaskServer({ store, clientKeyDigest: sha256Digest }),
);
const bare = JSON.stringify(BARE_BODY);

const server = createServer((req, res) => {
  if (req.url === '/bare') {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(bare);
    return;
  }
  if (req.url === '/bare-parse') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(bare);
    });
    return;
  }
  listener(req, res);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis?.disconnect();
  process.exit(0);
});
