/**
 * Reads a request body stream whole, or returns undefined once more than `maxBytes` arrive,
 * after cancelling the stream, so an oversized body is never buffered whole.
 *
 * @example
 * const bytes = await readStreamBytes(request.body, 1_048_576);
 * if (bytes === undefined) throw new Error('body larger than 1 MiB');
 */
export async function readStreamBytes(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
