import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, listen, type RunningServer } from '../test/listen';
import { RequestBodyTooLargeError } from './body-stream';
import { createNodeListener } from './node-listener';

let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Sends `chunk` repeatedly, waiting for `drain`, until `total` bytes are sent or it fails. */
async function sendSlowly(
  url: string,
  options: { chunk: Buffer; total: number },
): Promise<{ status: number; body: string; sentAtResponse: number; socketClosed: Promise<void> }> {
  const req = httpRequest(`${url}/upload`, { method: 'POST' });
  const closed = deferred();
  req.on('error', () => {});
  req.on('close', () => closed.resolve());

  let sent = 0;
  let sentAtResponse = -1;
  const responded = new Promise<IncomingMessage>((resolve) => {
    req.on('response', (res) => {
      sentAtResponse = sent;
      resolve(res);
    });
  });

  const drained = (): Promise<unknown> =>
    new Promise((resolve) => {
      req.once('drain', resolve);
      req.once('close', resolve);
    });

  void (async () => {
    while (sent < options.total && !req.destroyed && sentAtResponse < 0) {
      sent += options.chunk.byteLength;
      if (!req.write(options.chunk)) await Promise.race([drained(), responded]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();

  const res = await responded;
  let body = '';
  for await (const part of res) body += part;

  return { status: res.statusCode ?? 0, body, sentAtResponse, socketClosed: closed.promise };
}

describe('request body stream', () => {
  it('delivers chunks while the client is still sending', async () => {
    const firstChunkSeen = deferred<string>();

    running = await listen(
      createNodeListener(async (request) => {
        const reader = (request.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        const first = await reader.read();
        firstChunkSeen.resolve(decoder.decode(first.value));

        let rest = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          rest += decoder.decode(value);
        }
        return new Response(`${decoder.decode(first.value)}|${rest}`);
      }),
    );

    const req = httpRequest(`${running.url}/stream`, { method: 'POST' });
    req.write('first');

    // The second chunk is only written after the handler has read the first one.
    expect(await firstChunkSeen.promise).toBe('first');
    req.end('second');

    const [res] = (await once(req, 'response')) as [IncomingMessage];
    let text = '';
    for await (const part of res) text += part;
    expect(text).toBe('first|second');
  });

  it('pauses the socket between reads', async () => {
    const states: { flowingBeforeRead: boolean | null; pausedAfterRead: boolean }[] = [];
    const captured = deferred<IncomingMessage>();

    running = await listen((req, res) => {
      captured.resolve(req);
      createNodeListener(async (request) => {
        const flowingBeforeRead = req.readableFlowing;
        const reader = (request.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        states.push({ flowingBeforeRead, pausedAfterRead: req.isPaused() });
        await reader.cancel();
        return Response.json({ ok: true });
      })(req, res);
    });

    const result = await sendSlowly(running.url, {
      chunk: Buffer.alloc(64 * 1024, 1),
      total: 64 * 1024 * 1024,
    });

    expect(result.status).toBe(200);
    expect(states).toEqual([{ flowingBeforeRead: null, pausedAfterRead: true }]);
  });

  it('keeps every byte of a large body', async () => {
    running = await listen(
      createNodeListener(async (request) => {
        const bytes = new Uint8Array(await request.arrayBuffer());
        let sum = 0;
        for (const byte of bytes) sum = (sum + byte) % 65_521;
        return Response.json({ length: bytes.byteLength, sum });
      }),
    );

    const body = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    let expectedSum = 0;
    for (const byte of body) expectedSum = (expectedSum + byte) % 65_521;

    const response = await fetch(`${running.url}/big`, { method: 'POST', body });
    expect(await response.json()).toEqual({ length: body.length, sum: expectedSum });
  });

  it('stops reading when the consumer cancels', async () => {
    const serverBytesRead = deferred<number>();

    running = await listen((req, res) => {
      req.socket.once('close', () => serverBytesRead.resolve(req.socket.bytesRead));
      createNodeListener(async (request) => {
        const reader = (request.body as ReadableStream<Uint8Array>).getReader();
        let received = 0;
        while (received < 256 * 1024) {
          const { done, value } = await reader.read();
          if (done) break;
          received += value.byteLength;
        }
        await reader.cancel();
        return Response.json({ errorId: 1, errorCode: 'BODY_TOO_LARGE' });
      })(req, res);
    });

    const total = 64 * 1024 * 1024;
    const result = await sendSlowly(running.url, { chunk: Buffer.alloc(64 * 1024, 7), total });

    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ errorId: 1, errorCode: 'BODY_TOO_LARGE' });
    expect(result.sentAtResponse).toBeLessThan(total);

    await result.socketClosed;
    expect(await serverBytesRead.promise).toBeLessThan(total / 2);
  });

  it('errors the stream past maxBodyBytes', async () => {
    const readError = deferred<unknown>();

    running = await listen(
      createNodeListener(
        async (request) => {
          try {
            await request.arrayBuffer();
          } catch (error) {
            readError.resolve(error);
          }
          return Response.json({ errorId: 1 }, { status: 413 });
        },
        { maxBodyBytes: 100_000 },
      ),
    );

    const result = await sendSlowly(running.url, {
      chunk: Buffer.alloc(16 * 1024, 3),
      total: 64 * 1024 * 1024,
    });

    expect(result.status).toBe(413);
    expect(result.sentAtResponse).toBeLessThan(64 * 1024 * 1024);
    await result.socketClosed;

    expect(await readError.promise).toBeInstanceOf(RequestBodyTooLargeError);
  });

  it('rejects a declared Content-Length past maxBodyBytes', async () => {
    running = await listen(
      createNodeListener(
        async (request) => {
          const failed = await request.text().then(
            () => false,
            () => true,
          );
          return Response.json({ failed });
        },
        { maxBodyBytes: 10 },
      ),
    );

    const response = await fetch(`${running.url}/x`, { method: 'POST', body: 'x'.repeat(11) });
    expect(await response.json()).toEqual({ failed: true });
    expect(response.headers.get('connection')).toBe('close');
  });

  it('aborts the signal when the client disconnects', async () => {
    const handlerStarted = deferred();
    const abortSeen = deferred<{ aborted: boolean; reason: unknown }>();

    running = await listen(
      createNodeListener(async (request) => {
        handlerStarted.resolve();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        abortSeen.resolve({ aborted: request.signal.aborted, reason: request.signal.reason });
        return new Response('too late');
      }),
    );

    const req = httpRequest(`${running.url}/slow`, { method: 'POST' });
    req.on('error', () => {});
    req.write('{"clientKey":');
    await handlerStarted.promise;
    req.destroy();

    const seen = await abortSeen.promise;
    expect(seen.aborted).toBe(true);
    expect(seen.reason).toBeInstanceOf(DOMException);
    expect((seen.reason as DOMException).name).toBe('AbortError');
  });
});
