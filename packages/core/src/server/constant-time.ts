const encoder = new TextEncoder();

/**
 * A SHA-256 function over a string's UTF-8 bytes. A synchronous one, such as Node's
 * `(value) => createHash('sha256').update(value).digest()`, spares each request the
 * asynchronous Web Crypto call.
 */
export type KeyDigest = (value: string) => Uint8Array | Promise<Uint8Array>;

/** SHA-256 digest of a string's UTF-8 bytes, via Web Crypto. */
export async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

/**
 * Compares two byte arrays in time that depends only on their lengths. Callers compare
 * SHA-256 digests, which always have 32 bytes, so the time reveals nothing about the key.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
