import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type CaptaskError, createClient, createWorkerClient } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { methodOf, type RawServer, sendJson, startRawServer } from './raw-http';

const KEY = 'size-test-key-0123456789';
const TASK = { type: 'ImageToTextTask', body: btoa('x'.repeat(300)) } as const;
const MIB = 1_048_576;

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Returns a valid protocol reply padded with `padBytes` spaces inside a string field. */
function padded(body: Record<string, unknown>, padBytes: number): string {
  return JSON.stringify({ ...body, pad: ' '.repeat(padBytes) });
}

/**
 * Writes a body that never ends: a valid JSON start, then 64 KiB chunks of spaces as fast as
 * the socket takes them, until the client goes away. Adds the bytes written to `written.bytes`.
 */
function endlessBody(res: ServerResponse, written: { bytes: number }): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"errorId":0,"balance":1,"pad":"');
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let stopped = false;
  res.on('close', () => {
    stopped = true;
  });
  const pump = (): void => {
    while (!stopped && res.write(chunk)) written.bytes += chunk.length;
    if (!stopped) res.once('drain', pump);
  };
  pump();
}

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: CaptaskError) => error,
  );
}

describe('response size limit', () => {
  it('stops reading an endless body', async () => {
    const written = { bytes: 0 };
    server = await startRawServer((res) => endlessBody(res, written));
    const client = createClient({ clientKey: KEY, baseUrl: server.url, requestTimeoutMs: 10_000 });

    const error = await rejection(client.getBalance());
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.description).toMatch(/larger than 1048576 bytes/);
    expect(error.details?.timedOut).toBeUndefined();
    // Socket buffers on both sides take some megabytes beyond the 1 MiB that was read.
    expect(written.bytes).toBeLessThan(64 * MIB);
  });

  it('stops inflating a gzip bomb', async () => {
    const bomb = gzipSync(Buffer.from(padded({ errorId: 0, balance: 7 }, 64 * MIB)));
    server = await startRawServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const client = createClient({ clientKey: KEY, baseUrl: server.url });

    const error = await rejection(client.getBalance());
    expect(bomb.length).toBeLessThan(MIB);
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
  });

  it.each([
    ['with Content-Length', true],
    ['chunked', false],
  ])('applies maxResponseBytes %s', async (_, withLength) => {
    const limit = 2_000;
    const exact = padded({ errorId: 0, balance: 3 }, 0);
    const fits = padded({ errorId: 0, balance: 3 }, limit - exact.length);
    const over = `${fits} `;
    let reply = fits;
    server = await startRawServer((res) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (withLength) headers['content-length'] = String(Buffer.byteLength(reply));
      res.writeHead(200, headers).end(reply);
    });
    const client = createClient({ clientKey: KEY, baseUrl: server.url, maxResponseBytes: limit });

    expect(Buffer.byteLength(fits)).toBe(limit);
    expect(await client.getBalance()).toBe(3);
    reply = over;
    const error = await rejection(client.getBalance());
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.details?.maxResponseBytes).toBe(limit);
  });

  it('repeats a poll whose reply was too large', async () => {
    let polls = 0;
    server = await startRawServer((res, request) => {
      if (methodOf(request) === 'createTask') return sendJson(res, { errorId: 0, taskId: 5 });
      polls += 1;
      if (polls === 1) return sendJson(res, padded({ errorId: 0, status: 'processing' }, 4_000));
      sendJson(res, { errorId: 0, status: 'ready', solution: { text: 'ok' } });
    });
    const client = createClient({
      clientKey: KEY,
      baseUrl: server.url,
      maxResponseBytes: 1_000,
      retry: { baseDelayMs: 1 },
    });

    const schedule = { firstDelayMs: 1, intervalMs: 1, deadlineMs: 5_000 };
    const result = await client.solve(TASK, { schedule });
    expect(result.solution).toEqual({ text: 'ok' });
    expect(result.polls).toBe(2);
  });

  it('marks a too-large createTask reply as possibly created', async () => {
    server = await startRawServer((res) => sendJson(res, padded({ errorId: 0, taskId: 9 }, 4_000)));
    const client = createClient({ clientKey: KEY, baseUrl: server.url, maxResponseBytes: 1_000 });

    const error = await rejection(client.createTask(TASK));
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.details?.taskMayExist).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('stops the worker client reading an endless body', async () => {
    const written = { bytes: 0 };
    server = await startRawServer((res) => endlessBody(res, written));
    const worker = createWorkerClient({ url: server.url, key: KEY, maxResponseBytes: MIB });

    const error = await rejection(worker.claim({ types: ['TurnstileTask'], max: 1, leaseMs: 1 }));
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.description).toMatch(/larger than 1048576 bytes/);
    expect(written.bytes).toBeLessThan(64 * MIB);
  });
});
