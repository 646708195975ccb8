// Throughput server: Hono on Node through @hono/node-server. Prints `listening <port>`.
import { createCaptaskApp } from '@captask/hono';
import { sha256Digest } from '@captask/node';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { BARE_BODY, createBenchTaskServer } from './bench-task-server.mjs';

const app = new Hono();
app.post('/bare', (c) => c.json(BARE_BODY));
app.post('/bare-parse', async (c) => {
  await c.req.json();
  return c.json(BARE_BODY);
});
app.route('/captask', createCaptaskApp(createBenchTaskServer({ clientKeyDigest: sha256Digest })));

serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening ${info.port}`);
});
