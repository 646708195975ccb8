/**
 * Reads a response body as UTF-8 text of at most `maxBytes` bytes, counted after content
 * decoding, so a small gzip body that inflates to gigabytes stops at the limit too. Returns
 * undefined once the body is longer, after cancelling it. Rejects with the signal's reason
 * when `signal` aborts, and cancels the body then as well.
 *
 * @example
 * const text = await readCappedText(response, 1_048_576, signal);
 * if (text === undefined) throw new Error('response larger than 1 MiB');
 */
export async function readCappedText(
  response: Response,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const body = response.body;
  if (body === null) return '';

  // Content-Length counts encoded bytes, so it proves an overrun only for an unencoded body.
  const declared = Number(response.headers.get('content-length'));
  if (!response.headers.has('content-encoding') && declared > maxBytes) {
    await body.cancel().catch(() => undefined);
    return undefined;
  }

  if (signal?.aborted) {
    await body.cancel().catch(() => undefined);
    throw signal.reason;
  }
  const reader = body.getReader();
  const onAbort = (): void => {
    reader.cancel(signal?.reason).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const decoder = new TextDecoder();
    const parts: string[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      // A cancelled reader ends the stream as if it were complete, so check the signal first.
      if (signal?.aborted) throw signal.reason;
      if (done) break;

      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return parts.join('');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
