import { type KeyDigest, sha256, timingSafeEqual } from './constant-time';
import type { Account, AccountSource } from './types';

/** One account of a static key list. */
export interface ClientKeyEntry {
  key: string;
  /** Starting balance in the currency of the price table. Default: `defaultBalance`. */
  balance?: number;
}

export interface StaticAccountsOptions {
  /** Accepted keys, as strings or entries with a balance. Keys must not contain `__`. */
  keys: ReadonlyArray<string | ClientKeyEntry>;
  /** Balance of keys given without one. Default 100. */
  defaultBalance?: number;
  /**
   * Charged task ids remembered per account, so that a repeated charge or refund is a no-op.
   * Default 100,000. The oldest are forgotten first, and a forgotten task can no longer be
   * refunded, so keep it above the tasks an account can have in progress.
   */
  chargeMemory?: number;
  /**
   * SHA-256 of a key's UTF-8 bytes. Default: Web Crypto's `crypto.subtle.digest`, which is
   * asynchronous and costs more per request than a synchronous hash such as Node's
   * `createHash('sha256')`. It must return SHA-256, because keys are compared by digest.
   */
  digest?: KeyDigest;
}

interface AccountRecord {
  id: string;
  key: string;
  /** Balance in millionths, so repeated small charges add up exactly. */
  balanceMicros: number;
  /** Millionths charged per task id, or `refunded` once the charge was given back. */
  charges: Map<number, number | 'refunded'>;
}

const MICROS = 1_000_000;

/** Maximum number of matched keys `authenticate` remembers; past it the memory starts over. */
const MATCHED_KEYS_MAX = 1_024;

/**
 * Creates an in-memory account source from a fixed key list. Keys are matched by comparing
 * SHA-256 digests in constant time against every account, with no early exit, so response
 * time does not depend on which key matched or how much of it was right. A key that matched
 * is then remembered, and its later requests are found by a map lookup without hashing. A
 * key that never matched always takes the digest comparison. Account ids are
 * `static-1`, `static-2`, ... in list order and never contain the key.
 *
 * @example
 * const accounts = createStaticAccounts({ keys: ['dev-key', { key: 'poor-key', balance: 0 }] });
 */
export function createStaticAccounts(options: StaticAccountsOptions): AccountSource {
  const defaultBalance = options.defaultBalance ?? 100;
  const chargeMemory = options.chargeMemory ?? 100_000;
  const records = new Map<string, AccountRecord>();

  options.keys.forEach((entry, index) => {
    const { key, balance } = typeof entry === 'string' ? { key: entry, balance: undefined } : entry;
    if (key.length === 0 || key.includes('__')) {
      throw new TypeError(
        `Client key ${index + 1} is empty or contains "__", which separates modifiers.`,
      );
    }
    const id = `static-${index + 1}`;
    const balanceMicros = Math.round((balance ?? defaultBalance) * MICROS);
    records.set(id, { id, key, balanceMicros, charges: new Map() });
  });

  const digest = options.digest ?? sha256;
  // Keys that matched once, so that every later request with the key skips the digest. Only
  // keys of this list get in, at most MATCHED_KEYS_MAX key strings with their modifiers
  // already split off. A key never matched still goes through the digest comparison.
  const matchedKeys = new Map<string, string>();
  let stored: Array<{ id: string; digest: Uint8Array }> | undefined;
  let storing: Promise<Array<{ id: string; digest: Uint8Array }>> | undefined;
  const storedDigests = async (): Promise<Array<{ id: string; digest: Uint8Array }>> => {
    storing ??= Promise.all(
      [...records.values()].map(async (record) => ({
        id: record.id,
        digest: await digest(record.key),
      })),
    );
    stored = await storing;
    return stored;
  };

  return {
    async authenticate(clientKey: string): Promise<Account | undefined> {
      const knownId = matchedKeys.get(clientKey);
      if (knownId !== undefined) return { id: knownId };
      const candidate = digest(clientKey);
      const candidateDigest = candidate instanceof Uint8Array ? candidate : await candidate;
      const accounts = stored ?? (await storedDigests());
      let matchedId: string | undefined;
      for (const account of accounts) {
        const equal = timingSafeEqual(candidateDigest, account.digest);
        matchedId = equal ? account.id : matchedId;
      }
      if (matchedId === undefined) return undefined;
      if (matchedKeys.size >= MATCHED_KEYS_MAX) matchedKeys.clear();
      matchedKeys.set(clientKey, matchedId);
      return { id: matchedId };
    },

    async getBalance(accountId: string): Promise<number> {
      const record = records.get(accountId);
      return record === undefined ? 0 : record.balanceMicros / MICROS;
    },

    // No await in charge and refund, so concurrent calls cannot interleave their read and write.
    async charge(accountId: string, amount: number, taskId: number): Promise<boolean> {
      const record = records.get(accountId);
      if (record === undefined) return false;
      if (record.charges.has(taskId)) return true;
      const amountMicros = Math.round(amount * MICROS);
      if (amountMicros > record.balanceMicros) return false;
      record.balanceMicros -= amountMicros;
      record.charges.set(taskId, amountMicros);
      if (record.charges.size > chargeMemory) {
        const oldest = record.charges.keys().next().value;
        if (oldest !== undefined) record.charges.delete(oldest);
      }
      return true;
    },

    async refund(accountId: string, amount: number, taskId: number): Promise<boolean> {
      const record = records.get(accountId);
      const charged = record?.charges.get(taskId);
      if (record === undefined || charged === undefined || charged === 'refunded') return false;
      record.balanceMicros += Math.min(charged, Math.max(0, Math.round(amount * MICROS)));
      record.charges.set(taskId, 'refunded');
      return true;
    },
  };
}
