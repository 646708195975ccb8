import { sha256, timingSafeEqual } from '../server/constant-time';

/**
 * Builds a check for worker keys. It compares SHA-256 digests in constant time against every
 * configured key with no early exit, so the timing shows neither how much of a key was right
 * nor which entry matched. Keys are kept only as digests.
 *
 * @example
 * const isWorkerKey = createKeyMatcher(['w-secret']);
 * await isWorkerKey('w-secret'); // true
 */
export function createKeyMatcher(keys: readonly string[]): (key: string) => Promise<boolean> {
  const digests = Promise.all(keys.map(sha256));

  return async (key: string): Promise<boolean> => {
    const [candidate, stored] = await Promise.all([sha256(key), digests]);
    let found = false;
    for (const digest of stored) {
      if (timingSafeEqual(digest, candidate)) found = true;
    }
    return found;
  };
}
