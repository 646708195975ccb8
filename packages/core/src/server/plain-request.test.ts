import { describe, expect, it } from 'vitest';
import { createSandboxSolver } from './sandbox-solver';
import { createTaskServer, plainEntryOf } from './task-server';

const KEY = 'plain-entry-key';

function plainRequest(method: string, path: string, text: string | null) {
  const bytes = text === null ? new Uint8Array(0) : new TextEncoder().encode(text);
  const calls = { discarded: 0, read: 0 };
  return {
    calls,
    request: {
      method,
      url: `http://localhost${path}`,
      contentLength: text === null ? null : String(bytes.byteLength),
      signal: new AbortController().signal,
      async readBody() {
        calls.read++;
        return bytes;
      },
      async discardBody() {
        calls.discarded++;
      },
    },
  };
}

describe('plainEntryOf', () => {
  const server = createTaskServer({ clientKeys: [KEY], solvers: createSandboxSolver() });

  it('finds the plain entry of a task server only', () => {
    const copy = Object.assign(async (request: Request) => server(request), server);

    expect(plainEntryOf(server)).toBeTypeOf('function');
    expect(plainEntryOf(copy)).toBeUndefined();
    expect(plainEntryOf(async () => new Response())).toBeUndefined();
    expect(plainEntryOf(undefined)).toBeUndefined();
  });

  it('matches the Request entry', async () => {
    const plain = plainEntryOf(server);
    const body = JSON.stringify({ clientKey: KEY });
    const post = plainRequest('POST', '/api/getBalance', body);
    const get = plainRequest('GET', '/getBalance', null);

    const postReply = await plain?.(post.request);
    const getReply = await plain?.(get.request);
    const webReply = await server(
      new Request('http://localhost/api/getBalance', { method: 'POST', body }),
    );

    expect(postReply?.status).toBe(200);
    expect(JSON.parse(postReply?.body ?? '')).toEqual(await webReply.json());
    expect(postReply?.headers['content-type']).toBe(webReply.headers.get('content-type'));
    expect(post.calls).toEqual({ discarded: 0, read: 1 });
    expect(getReply?.headers.allow).toBe('POST');
    expect(get.calls).toEqual({ discarded: 1, read: 0 });
  });

  it('rejects a declared length over the cap unread', async () => {
    const small = createTaskServer({
      clientKeys: [KEY],
      solvers: createSandboxSolver(),
      limits: { maxBodyBytes: 10 },
    });
    const big = plainRequest('POST', '/getBalance', JSON.stringify({ clientKey: KEY }));

    const reply = await plainEntryOf(small)?.(big.request);

    expect(JSON.parse(reply?.body ?? '').errorCode).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
    expect(big.calls).toEqual({ discarded: 1, read: 0 });
    await small.close();
  });
});
