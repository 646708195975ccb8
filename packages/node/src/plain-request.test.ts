import { request as httpRequest } from 'node:http';
import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core/server';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, listen, type RunningServer } from '../test/listen';
import { createNodeListener } from './node-listener';

const KEY = 'plain-path-key';
let running: RunningServer | undefined;
let server: TaskServer | undefined;

afterEach(async () => {
  await running?.close();
  await server?.close();
  running = undefined;
  server = undefined;
});

interface LogRecord {
  method: string | null;
  outcome: string;
  durationMs: number;
}

async function start(options: { maxBodyBytes?: number; serverMaxBodyBytes?: number } = {}) {
  const records: LogRecord[] = [];
  const logged = (record: object, message: string): void => {
    if (message === 'request') records.push(record as LogRecord);
  };
  server = createTaskServer({
    clientKeys: [KEY],
    solvers: createSandboxSolver({ latencyMs: 60_000 }),
    logger: { debug() {}, info: logged, warn() {}, error() {} },
    ...(options.serverMaxBodyBytes === undefined
      ? {}
      : { limits: { maxBodyBytes: options.serverMaxBodyBytes } }),
  });
  running = await listen(createNodeListener(server, { maxBodyBytes: options.maxBodyBytes }));
  return { records, url: (running as RunningServer).url };
}

/** Sends one request with a raw body and no automatic headers beyond those given. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; chunks?: string[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers });
    req.on('error', reject);
    req.on('response', async (res) => {
      let body = '';
      for await (const part of res) body += part;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
    });
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('createNodeListener with a task server', () => {
  it('serves createTask and getTaskResult with a Content-Length', async () => {
    const { url } = await start();
    const createBody = JSON.stringify({
      clientKey: KEY,
      task: { type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: 'k' },
    });
    const created = await send(`${url}/createTask`, {
      headers: { 'content-type': 'application/json' },
      chunks: [createBody],
    });
    const { taskId } = JSON.parse(created.body);
    const polled = await send(`${url}/api/getTaskResult`, {
      chunks: [JSON.stringify({ clientKey: KEY, taskId })],
    });

    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    // The plain path sends a Content-Length; a web Response body would go out chunked.
    expect(created.headers['content-length']).toBe(String(Buffer.byteLength(created.body)));
    expect(created.headers['transfer-encoding']).toBeUndefined();
    expect(taskId).toBeGreaterThan(2 ** 31);
    expect(JSON.parse(polled.body)).toEqual({ errorId: 0, status: 'processing' });
  });

  it('sends a wrapper copy a Request', async () => {
    await start();
    const task = server as TaskServer;
    const seen: string[] = [];
    // A wrapper that handles one path itself, with the task server's properties copied over.
    const wrapper = Object.assign(async (request: Request) => {
      seen.push(new URL(request.url).pathname);
      if (request.url.endsWith('/health')) return Response.json({ ok: true });
      return task(request);
    }, task);
    await running?.close();
    running = await listen(createNodeListener(wrapper));
    const health = await send(`${running.url}/health`, { chunks: ['{}'] });
    const balance = await send(`${running.url}/getBalance`, {
      chunks: [JSON.stringify({ clientKey: KEY })],
    });

    expect(JSON.parse(health.body)).toEqual({ ok: true });
    expect(JSON.parse(balance.body)).toMatchObject({ errorId: 0, balance: 100 });
    expect(seen).toEqual(['/health', '/getBalance']);
  });

  it('sends a parsed body a Request', async () => {
    await start();
    const task = server as TaskServer;
    const listener = createNodeListener(task);
    await running?.close();
    // A stand-in for a body parser: it reads the whole body and sets req.body.
    running = await listen((req, res) => {
      let text = '';
      req.on('data', (part) => {
        text += part;
      });
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(text) });
        listener(req, res);
      });
    });
    const reply = await send(`${running.url}/getBalance`, {
      chunks: [JSON.stringify({ clientKey: KEY })],
    });

    expect(JSON.parse(reply.body)).toMatchObject({ errorId: 0, balance: 100 });
    expect(reply.headers['content-length']).toBeUndefined();
  });

  it('reads a chunked body sent in pieces', async () => {
    const { url } = await start();
    const text = JSON.stringify({ clientKey: KEY });
    const reply = await send(`${url}/getBalance`, {
      headers: { 'transfer-encoding': 'chunked' },
      chunks: [text.slice(0, 5), text.slice(5, 9), text.slice(9)],
    });

    expect(JSON.parse(reply.body)).toMatchObject({ errorId: 0, balance: 100 });
  });

  it('rejects a declared length over the cap', async () => {
    const { url } = await start({ serverMaxBodyBytes: 64 });
    const reply = await send(`${url}/getBalance`, {
      headers: { 'content-length': '100000' },
      chunks: ['{"clientKey":"'],
    }).catch((error: unknown) => ({
      status: 0,
      headers: {} as Record<string, unknown>,
      body: String(error),
    }));

    expect(JSON.parse(reply.body).errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
    expect(reply.headers.connection).toBe('close');
  });

  it('stops a chunked body at the bridge cap', async () => {
    const { url } = await start({ maxBodyBytes: 32 });
    const reply = await send(`${url}/getBalance`, {
      headers: { 'transfer-encoding': 'chunked' },
      chunks: [`{"clientKey":"${KEY}","padding":"`, 'x'.repeat(64), '"}'],
    });

    expect(JSON.parse(reply.body)).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
    });
  });

  it('rejects a body that is not JSON', async () => {
    const { url } = await start();
    const reply = await send(`${url}/createTask`, { chunks: ['<html>'] });

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_TASK_ABSENT',
      taskId: 0,
    });
  });

  it('handles GET, HEAD and OPTIONS', async () => {
    const { url } = await start();
    const get = await send(`${url}/getBalance`, { method: 'GET' });
    const head = await send(`${url}/getBalance`, { method: 'HEAD' });
    const options = await send(`${url}/getBalance`, { method: 'OPTIONS' });

    expect(get.headers.allow).toBe('POST');
    expect(JSON.parse(get.body).errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(head.headers.allow).toBe('POST');
    expect(head.body).toBe('');
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('OPTIONS, POST');
  });

  it('keeps the connection after a GET', async () => {
    const { url } = await start();
    const get = await send(`${url}/getBalance`, { method: 'GET' });
    const withBody = await send(`${url}/getBalance`, { method: 'PUT', chunks: ['{}'] });

    expect(JSON.parse(get.body).errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(get.headers.connection).not.toBe('close');
    expect(JSON.parse(withBody.body).errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(withBody.headers.connection).toBe('close');
  });

  it('ends a held long poll when the client disconnects', async () => {
    const { url, records } = await start();
    const created = await send(`${url}/createTask`, {
      chunks: [
        JSON.stringify({
          clientKey: KEY,
          task: { type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: 'k' },
        }),
      ],
    });
    const { taskId } = JSON.parse(created.body);
    const clientGone = deferred();
    const req = httpRequest(`${url}/getTaskResult`, { method: 'POST' });
    req.on('error', () => clientGone.resolve());
    req.end(JSON.stringify({ clientKey: KEY, taskId, captask: { waitMs: 15_000 } }));
    // Leave once the server has counted the poll, so the request is held.
    for (let i = 0; i < 200 && (await server?.store.get(taskId))?.polls !== 1; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    req.destroy();
    await clientGone.promise;
    for (let i = 0; i < 100 && records.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(records.map((record) => record.outcome)).toEqual(['created', 'processing']);
    expect(records[1]?.durationMs).toBeLessThan(15_000);
  });
});
