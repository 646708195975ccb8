import { describe, expect, it } from 'vitest';
import { CaptaskError } from '../protocol/errors';
import { createSandboxSolver } from './sandbox-solver';
import { createTaskServer } from './task-server';

function erroringBody(name: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const error = new Error('adapter stopped the body');
      error.name = name;
      controller.error(error);
    },
  });
}

describe('request body handling', () => {
  const server = createTaskServer({ clientKeys: ['k'], solvers: createSandboxSolver() });

  it('maps an adapter body cap to the size error', async () => {
    const response = await server(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        body: erroringBody('RequestBodyTooLargeError'),
        duplex: 'half',
      } as RequestInit),
    );
    const body = await response.json();
    expect(body.errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
  });

  it('maps other stream errors to an unreadable body', async () => {
    const response = await server(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        body: erroringBody('Error'),
        duplex: 'half',
      } as RequestInit),
    );
    const body = await response.json();
    expect(body.errorCode).toBe('ERROR_TASK_ABSENT');
  });

  it('sends a protocol error the stream fails with', async () => {
    const failure = new CaptaskError('ERROR_TOO_BIG_CAPTCHA_FILESIZE', {
      description: 'The body parser limit is 1 KB.',
    });
    const response = await server(
      new Request('http://localhost/createTask', {
        method: 'POST',
        body: new ReadableStream({ pull: (controller) => controller.error(failure) }),
        duplex: 'half',
      } as RequestInit),
    );
    expect(await response.json()).toEqual({
      errorId: 1,
      errorCode: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
      errorDescription: 'The body parser limit is 1 KB.',
      taskId: 0,
    });
  });

  it('cancels the body of an unknown path', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(16));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await server(
      new Request('http://localhost/nope', { method: 'POST', body, duplex: 'half' } as RequestInit),
    );
    expect((await response.json()).errorCode).toBe('ERROR_NO_SUCH_METHOD');
    expect(cancelled).toBe(true);
  });

  it.each([
    ['RequestBodyTooLargeError', 'ERROR_TOO_BIG_CAPTCHA_FILESIZE'],
    ['Error', 'ERROR_TASK_ABSENT'],
  ])('maps a %s with a declared length', async (name, errorCode) => {
    const response = await server(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        headers: { 'content-length': '20' },
        body: erroringBody(name),
        duplex: 'half',
      } as RequestInit),
    );
    expect((await response.json()).errorCode).toBe(errorCode);
  });

  it('rejects a body longer than its declared length', async () => {
    const small = createTaskServer({
      clientKeys: ['k'],
      solvers: createSandboxSolver(),
      limits: { maxBodyBytes: 64 },
    });
    const text = JSON.stringify({ clientKey: 'k', padding: 'x'.repeat(100) });
    const response = await small(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        headers: { 'content-length': '10' },
        body: new Blob([text]).stream(),
        duplex: 'half',
      } as RequestInit),
    );
    expect((await response.json()).errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
    await small.close();
  });

  it('reads a body with a declared length', async () => {
    const text = JSON.stringify({ clientKey: 'k' });
    const response = await server(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        headers: { 'content-length': String(text.length) },
        body: text,
      }),
    );
    expect(await response.json()).toMatchObject({ errorId: 0, balance: 100 });
  });

  it('rejects invalid UTF-8 with a declared length', async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x7d]);
    const response = await server(
      new Request('http://localhost/getBalance', {
        method: 'POST',
        headers: { 'content-length': '3' },
        body: bytes,
      }),
    );
    const body = await response.json();
    expect(body.errorCode).toBe('ERROR_TASK_ABSENT');
    expect(body.errorDescription).toMatch(/UTF-8/);
  });

  it('reads a valid body after one cut inside a UTF-8 sequence', async () => {
    const post = (bytes: Uint8Array) =>
      server(
        new Request('http://localhost/getBalance', {
          method: 'POST',
          headers: { 'content-length': String(bytes.byteLength) },
          body: bytes,
        }),
      );
    const encoder = new TextEncoder();
    // A body that ends in the first byte of a two-byte sequence, then a valid body.
    const cut = await post(encoder.encode('{"clientKey":"k\u00e9"}').slice(0, 16));
    const whole = await post(encoder.encode(JSON.stringify({ clientKey: 'k' })));

    expect((await cut.json()).errorDescription).toMatch(/UTF-8/);
    expect(await whole.json()).toMatchObject({ errorId: 0, balance: 100 });
  });
});
