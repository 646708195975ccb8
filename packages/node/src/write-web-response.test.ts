import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, listen, type RunningServer } from '../test/listen';
import { createNodeListener } from './node-listener';

let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function get(url: string): Promise<IncomingMessage> {
  const req = httpRequest(url);
  req.on('error', () => {});
  req.end();
  return new Promise((resolve) => req.on('response', resolve));
}

describe('writeWebResponse', () => {
  it('streams the body as it is produced', async () => {
    const firstChunkReceived = deferred();
    const encoder = new TextEncoder();

    running = await listen(
      createNodeListener(async () => {
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('one;'));
            await firstChunkReceived.promise;
            controller.enqueue(encoder.encode('two'));
            controller.close();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      }),
    );

    const res = await get(`${running.url}/stream`);
    const parts: string[] = [];
    for await (const part of res) {
      parts.push(String(part));
      firstChunkReceived.resolve();
    }

    expect(parts).toEqual(['one;', 'two']);
  });

  it('cancels the body when the client disconnects', async () => {
    const cancelled = deferred<boolean>();

    running = await listen(
      createNodeListener(async () => {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(64 * 1024));
          },
          cancel() {
            cancelled.resolve(true);
          },
        });
        return new Response(body);
      }),
    );

    const res = await get(`${running.url}/endless`);
    await new Promise((resolve) => res.once('data', resolve));
    res.destroy();

    expect(await cancelled.promise).toBe(true);
  });

  it('destroys the socket when the body fails', async () => {
    const reported = deferred<unknown>();
    const failure = new Error('upstream stream failed');

    running = await listen(
      createNodeListener(
        async () => {
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('partial'));
            },
            pull(controller) {
              controller.error(failure);
            },
          });
          return new Response(body);
        },
        { onError: (error) => reported.resolve(error) },
      ),
    );

    // Depending on timing the client sees a truncated response or a reset before any response.
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest(`${running?.url}/broken`);
      req.on('error', () => resolve('reset'));
      req.on('response', (res) => {
        res.on('error', () => {});
        res.on('close', () => resolve(res.complete ? 'complete' : 'truncated'));
        res.resume();
      });
      req.end();
    });

    expect(outcome).not.toBe('complete');
    expect(await reported.promise).toBe(failure);
  });
});
