import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Writes a web `Response` to a Node response: status, headers (every `Set-Cookie` separately)
 * and the body as a stream that waits for `drain`. Resolves when the body is written, or when
 * the client disconnects, which cancels the rest of the body. Rejects when the body stream
 * errors; the socket is destroyed then because the status line was already sent.
 *
 * @example
 * await writeWebResponse(res, new Response('{"errorId":0}', { status: 200 }));
 */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = response.body;

  if (res.destroyed) {
    await body?.cancel();
    return;
  }

  const headers = toNodeHeaders(response.headers);
  if (response.statusText) res.writeHead(response.status, response.statusText, headers);
  else res.writeHead(response.status, headers);

  if (body === null || res.req?.method === 'HEAD') {
    await body?.cancel();
    res.end();
    return;
  }

  const reader = body.getReader();
  const onClose = (): void => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  };
  res.once('close', onClose);

  try {
    await pump(reader, res);
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  } finally {
    res.off('close', onClose);
    reader.releaseLock();
  }
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  res: ServerResponse,
): Promise<void> {
  for (;;) {
    const { done, value } = await reader.read();

    if (res.destroyed) return;
    if (done) break;

    if (!res.write(value)) await waitForDrain(res);
  }

  res.end();
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const settle = (): void => {
      res.off('drain', settle);
      res.off('close', settle);
      resolve();
    };

    res.on('drain', settle);
    res.on('close', settle);
  });
}

function toNodeHeaders(headers: Headers): OutgoingHttpHeaders {
  const result: OutgoingHttpHeaders = {};

  for (const [name, value] of headers) {
    if (name !== 'set-cookie') result[name] = value;
  }

  const cookies = headers.getSetCookie();
  if (cookies.length > 0) result['set-cookie'] = cookies;

  return result;
}
