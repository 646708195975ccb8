import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handleClientError, handleConnect, handleExpectation } from './client-error';
import { createNodeListener } from './node-listener';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  server = undefined;
});

async function start(
  options: { requestTimeout?: number; headersTimeout?: number } = {},
  replyDelayMs = 0,
): Promise<number> {
  const reply = async (): Promise<Response> => {
    if (replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
    return Response.json({ errorId: 0, balance: 1 });
  };
  server = createServer(
    { requireHostHeader: false, connectionsCheckingInterval: 50, ...options },
    createNodeListener(reply),
  );
  server.on('clientError', handleClientError);
  server.on('connect', handleConnect);
  server.on('checkExpectation', handleExpectation);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Sends raw bytes and returns everything the server sends until it closes the connection. */
async function exchange(port: number, raw: string, keepOpen = false): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  if (keepOpen) socket.write(raw);
  else socket.end(raw);
  await once(socket, 'close');
  return received;
}

interface RawResponse {
  status: number;
  headers: string;
  json: Record<string, unknown>;
}

function parse(text: string): RawResponse {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  return { status, headers: head.toLowerCase(), json: JSON.parse(body) };
}

describe('handleClientError', () => {
  it.each([
    [
      'an unknown method',
      'FOO /getBalance HTTP/1.1\r\nHost: x\r\n\r\n',
      400,
      'ERROR_NO_SUCH_METHOD',
    ],
    [
      'a bad Content-Length',
      'POST /getBalance HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}',
      400,
      'ERROR_TASK_ABSENT',
    ],
    [
      'headers over 16 KiB',
      `POST /getBalance HTTP/1.1\r\nHost: x\r\nX-Fill: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
    ],
    [
      'a missing Host',
      'POST /getBalance HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}',
      400,
      'ERROR_TASK_ABSENT',
    ],
  ])('answers %s with protocol JSON', async (_, raw, status, errorCode) => {
    const port = await start();
    const response = parse(await exchange(port, raw));
    expect(response.status).toBe(status);
    expect(response.headers).toContain('content-type: application/json');
    expect(response.headers).toContain('connection: close');
    expect(response.json).toMatchObject({ errorId: 1, errorCode });
    expect(typeof response.json.errorDescription).toBe('string');
  });

  it('answers a request timeout with 408', async () => {
    const port = await start({ requestTimeout: 200, headersTimeout: 200 });
    const raw = 'POST /getBalance HTTP/1.1\r\nHost: x\r\nContent-Le';
    const response = parse(await exchange(port, raw, true));
    expect(response.status).toBe(408);
    expect(response.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_TASK_ABSENT' });
  });

  it('never repeats the request', async () => {
    const port = await start();
    const text = await exchange(
      port,
      'POST /getBalance HTTP/1.1\r\nHost: secret-host\r\nContent-Length: x\r\n\r\n',
    );
    expect(text).not.toContain('secret-host');
  });

  it.each([
    ['at once', 0],
    ['later', 30],
  ])('answers a pipelined request %s before the bad bytes', async (_, delayMs) => {
    const port = await start({}, delayMs);
    const valid = 'POST /getBalance HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}';
    // The client keeps its side open: Node drops pending replies when a client half-closes.
    const text = await exchange(port, `${valid}FOO / HTTP/1.1\r\nHost: x\r\n\r\n`, true);
    const [first = '', second = ''] = text.split(/(?=HTTP\/1\.1 )/);

    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(first).toContain('"balance":1');
    expect(parse(second).status).toBe(400);
    expect(parse(second).json).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SUCH_METHOD' });
  });

  it('rejects CONNECT with 405', async () => {
    const port = await start();
    const response = parse(
      await exchange(port, 'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: x\r\n\r\n'),
    );

    expect(response.status).toBe(405);
    expect(response.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SUCH_METHOD' });
  });

  it('rejects an unknown Expect with 417', async () => {
    const port = await start();
    const raw =
      'POST /getBalance HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 2\r\n\r\n{}';
    const response = parse(await exchange(port, raw));

    expect(response.status).toBe(417);
    expect(response.headers).toContain('content-type: application/json');
    expect(response.json).toMatchObject({ errorId: 1, errorCode: 'ERROR_TASK_ABSENT' });
  });

  it('serves a valid request as before', async () => {
    const port = await start();
    const text = await exchange(
      port,
      'POST /getBalance HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(text).toMatch(/^HTTP\/1\.1 200/);
  });
});
