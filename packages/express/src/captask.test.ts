import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core/server';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningApp } from '../test/listen';
import { type CaptaskMiddleware, captask } from './captask';

const KEY = 'express-test-key';

let running: RunningApp | undefined;
let middleware: CaptaskMiddleware | undefined;

afterEach(async () => {
  await running?.close();
  await middleware?.server.close();
  running = undefined;
  middleware = undefined;
});

function createMiddleware(): CaptaskMiddleware {
  middleware = captask({
    clientKeys: [KEY],
    solvers: createSandboxSolver({ latencyMs: 0 }),
  });
  return middleware;
}

async function post(
  path: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; contentType: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`${running?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

/** Creates an image task and polls until it is ready, through whatever is mounted at `prefix`. */
async function solveImageTask(prefix: string): Promise<Record<string, unknown>> {
  const task = { type: 'ImageToTextTask', body: 'A'.repeat(200) };
  const created = await post(`${prefix}/createTask`, JSON.stringify({ clientKey: KEY, task }));
  expect(created.json).toMatchObject({ errorId: 0 });

  for (let poll = 0; poll < 50; poll++) {
    const result = await post(
      `${prefix}/getTaskResult`,
      JSON.stringify({ clientKey: KEY, taskId: created.json.taskId }),
    );
    if (result.json.status === 'ready') return result.json;
    expect(result.json).toMatchObject({ errorId: 0, status: 'processing' });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('The task was not ready after 50 polls.');
}

const mounts: { name: string; prefix: string; build(app: Express): void }[] = [
  { name: 'root', prefix: '', build: (app) => app.use(createMiddleware()) },
  { name: 'prefix', prefix: '/captcha', build: (app) => app.use('/captcha', createMiddleware()) },
];

const parsers: { name: string; install(app: Express): void }[] = [
  { name: 'no parser', install: () => {} },
  { name: 'express.json()', install: (app) => app.use(express.json()) },
  { name: 'express.text()', install: (app) => app.use(express.text({ type: '*/*' })) },
  { name: 'express.raw()', install: (app) => app.use(express.raw({ type: '*/*' })) },
];

describe('captask middleware', () => {
  for (const mount of mounts) {
    for (const parser of parsers) {
      it(`solves a task at ${mount.name} with ${parser.name}`, async () => {
        const app = express();
        parser.install(app);
        mount.build(app);
        running = await listen(app);

        const result = await solveImageTask(mount.prefix);

        expect(result.errorId).toBe(0);
        expect(result.solution).toMatchObject({ text: expect.any(String) });
      });
    }
  }

  it('leaves paths outside the mount to Express', async () => {
    const app = express();
    app.use('/captcha', createMiddleware());
    app.post('/other', (_req, res) => {
      res.send('other route');
    });
    running = await listen(app);

    const response = await fetch(`${running.url}/other`, { method: 'POST' });

    expect(await response.text()).toBe('other route');
  });

  it('answers unknown methods with protocol JSON', async () => {
    const app = express();
    app.use('/captcha', createMiddleware());
    running = await listen(app);

    const result = await post('/captcha/noSuchMethod', JSON.stringify({ clientKey: KEY }));

    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SUCH_METHOD' });
  });

  it('turns express.json() parse errors into protocol JSON', async () => {
    const app = express();
    app.use(express.json());
    app.use('/captcha', createMiddleware());
    running = await listen(app);

    const result = await post('/captcha/getBalance', '{"clientKey": ');

    expect(result.status).toBe(200);
    expect(result.contentType).toContain('application/json');
    expect(result.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_TASK_ABSENT' });
    expect(String(result.json.errorDescription)).toContain('not valid JSON');
  });

  it('reads a body the parser rejected unread', async () => {
    const app = express();
    app.use(express.json());
    app.use(createMiddleware());
    running = await listen(app);

    // express.json() rejects this charset before reading, so the body is still on the socket.
    const body = JSON.stringify({ clientKey: KEY });
    const result = await post('/getBalance', body, 'application/json; charset=latin1');

    expect(result.json).toMatchObject({ errorId: 0, balance: expect.any(Number) });
  });

  it('reports a body the parser dropped', async () => {
    const app = express();
    app.use(express.json({ limit: '1kb' }));
    app.use(createMiddleware());
    running = await listen(app);

    // express.json() reads and discards a body over its limit, so no text reaches the server.
    const padding = 'x'.repeat(4096);
    const result = await post('/createTask', JSON.stringify({ clientKey: KEY, padding }));

    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
      taskId: 0,
    });
    expect(result.json.errorDescription).toMatch(
      /^The request body of 4\d{3} bytes is larger than the 1024-byte limit of the body parser/,
    );
    expect(result.json.errorDescription).toMatch(/Raise that parser's limit option/);
  });

  it.each([
    ['gzip', 'not gzip at all', /does not decompress as its Content-Encoding "gzip" states/],
    ['br', 'x', /does not decompress as its Content-Encoding "br" states/],
    ['deflate', 'xyz', /does not decompress as its Content-Encoding "deflate" states/],
    ['compress', 'x', /Content-Encoding "compress" is not supported/],
  ])('answers a broken %s body with protocol JSON', async (encoding, body, description) => {
    const app = express();
    app.use(express.json());
    app.use(createMiddleware());
    running = await listen(app);

    const response = await fetch(`${running.url}/getBalance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body,
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(text).not.toMatch(/\bat \S+ \(/);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toMatchObject({ errorId: 1, errorCode: 'ERROR_TASK_ABSENT' });
    expect(json.errorDescription).toMatch(description);
  });

  it('passes other errors to the next error handler', async () => {
    const seen: unknown[] = [];
    const failure = new Error('an unrelated failure');
    const app = express();
    app.use(() => {
      throw failure;
    });
    app.use(createMiddleware());
    const recordError: ErrorRequestHandler = (error, _req, res, _next) => {
      seen.push(error);
      res.status(503).send('handled elsewhere');
    };
    app.use(recordError);
    running = await listen(app);

    const response = await fetch(`${running.url}/getBalance`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(503);
    expect(seen).toEqual([failure]);
  });

  it('accepts an existing TaskServer', async () => {
    const server: TaskServer = createTaskServer({
      clientKeys: [KEY],
      solvers: createSandboxSolver({ latencyMs: 0 }),
    });
    const app = express();
    const own = captask(server);
    app.use(own);
    running = await listen(app);

    const result = await post('/getBalance', JSON.stringify({ clientKey: KEY }));

    expect(own.server).toBe(server);
    expect(result.json).toMatchObject({ errorId: 0 });
    await server.close();
  });
});
