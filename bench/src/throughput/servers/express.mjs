// Throughput server: Express 5 with the captask middleware. Prints `listening <port>`.
import { captask } from '@captask/express';
import { sha256Digest } from '@captask/node';
import express from 'express';
import { BARE_BODY, createBenchTaskServer } from './bench-task-server.mjs';

const app = express();
app.post('/bare', (_req, res) => {
  res.json(BARE_BODY);
});
app.post('/bare-parse', express.json(), (_req, res) => {
  res.json(BARE_BODY);
});
app.use('/captask', captask(createBenchTaskServer({ clientKeyDigest: sha256Digest })));

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
