import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account, AccountSource } from '@captask/core/server';
import type { Redis } from 'ioredis';
import { defineScript } from './scripts';

/** One key to register, with its starting balance. */
export interface RedisAccountEntry {
  key: string;
  /** Starting balance; ignored when the account already exists in Redis. Default: `defaultBalance`. */
  balance?: number;
}

export interface RedisAccountsOptions {
  /** An ioredis connection to a single Redis node; the account source never closes it. */
  redis: Redis;
  /** Prefix of every key written. Default `captask:`. */
  keyPrefix?: string;
  /** Keys registered at start. An existing account keeps its balance, so a restart resets nothing. */
  keys?: ReadonlyArray<string | RedisAccountEntry>;
  /** Starting balance of keys given without one. Default 100. */
  defaultBalance?: number;
  /**
   * How long the marker that a task was charged or refunded is kept, in ms. Default 24 hours.
   * A task that finishes after its marker expired is no longer refunded, so keep this above
   * the server's solve deadline.
   */
  chargeMarkerTtlMs?: number;
}

/** The Redis account source, with registration and top-up for administration. */
export interface RedisAccounts extends AccountSource {
  /** Settles when the `keys` option is registered; the other methods wait for it too. */
  readonly ready: Promise<void>;
  /** Registers a key, keeping the balance of an account that exists already. */
  addKey(entry: string | RedisAccountEntry): Promise<Account>;
  /** Adds `amount` (negative to deduct) and returns the new balance. */
  topUp(accountId: string, amount: number): Promise<number>;
}

/** Balances are integers in millionths, so repeated small charges add up exactly. */
const MICROS = 1_000_000;

/**
 * KEYS: account hash, charge marker. ARGV: amount in millionths, marker TTL in ms. Returns 1
 * when the task is charged (now or earlier), 0 when the balance is too low or the account is
 * unknown. A task id is charged at most once, whatever the number of calls and instances. The
 * marker holds the millionths charged, so a refund can give back no more than that.
 */
const CHARGE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
local balance = tonumber(redis.call('HGET', KEYS[1], 'balance'))
if not balance or balance < tonumber(ARGV[1]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'balance', -tonumber(ARGV[1]))
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
`;

/**
 * KEYS: account hash, charge marker. ARGV: amount in millionths. Adds back the smaller of the
 * amount and the millionths charged, and marks the task refunded while keeping the marker's
 * TTL. Returns 1 when it refunded now, 0 when the task was never charged, was refunded already
 * or the account is gone.
 */
const REFUND = `
local charged = tonumber(redis.call('GET', KEYS[2]))
if not charged or redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'balance', math.min(charged, tonumber(ARGV[1])))
redis.call('SET', KEYS[2], 'refunded', 'KEEPTTL')
return 1
`;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Creates an account source in Redis that several server instances share. Redis stores only
 * the SHA-256 digest of each key, never the key: authentication looks the digest up and then
 * compares it with the stored one in constant time. Account ids derive from a separate digest
 * (`acct-` and 16 hex digits), so they reveal nothing about the key. Charging is one Lua script
 * that checks a per-task marker and the balance before it deducts, and refunding is another
 * that gives back what the marker records, once.
 *
 * @example
 * const accounts = createRedisAccounts({ redis, keys: [{ key: 'dev-key', balance: 10 }] });
 * await accounts.ready;
 */
export function createRedisAccounts(options: RedisAccountsOptions): RedisAccounts {
  const { redis } = options;
  const prefix = options.keyPrefix ?? 'captask:';
  const defaultBalance = options.defaultBalance ?? 100;
  const markerTtlMs = options.chargeMarkerTtlMs ?? 24 * 60 * 60_000;
  const chargeScript = defineScript(redis, 'AccountsCharge', 2, CHARGE);
  const refundScript = defineScript(redis, 'AccountsRefund', 2, REFUND);

  const accountKey = (accountId: string): string => `${prefix}account:${accountId}`;
  const authKey = (digest: Buffer): string => `${prefix}auth:${digest.toString('hex')}`;

  async function register(entry: string | RedisAccountEntry): Promise<Account> {
    const { key, balance } = typeof entry === 'string' ? { key: entry, balance: undefined } : entry;
    if (key.length === 0 || key.includes('__')) {
      throw new TypeError('A client key is empty or contains "__", which separates modifiers.');
    }
    const digest = sha256(key);
    const id = `acct-${sha256(`captask account id:${key}`).toString('hex').slice(0, 16)}`;
    const micros = Math.round((balance ?? defaultBalance) * MICROS);

    await redis
      .multi()
      .hset(authKey(digest), 'accountId', id, 'digest', digest.toString('hex'))
      .hsetnx(accountKey(id), 'balance', micros)
      .exec();
    return { id };
  }

  const ready = Promise.all((options.keys ?? []).map(register)).then(() => undefined);
  // Callers see a registration failure through `ready` and every method; this keeps it from
  // also surfacing as an unhandled rejection.
  ready.catch(() => undefined);

  return {
    ready,

    addKey: register,

    async authenticate(clientKey: string): Promise<Account | undefined> {
      await ready;
      const digest = sha256(clientKey);
      const [accountId, stored] = await redis.hmget(authKey(digest), 'accountId', 'digest');
      if (!accountId || !stored) return undefined;
      const storedDigest = Buffer.from(stored, 'hex');
      if (storedDigest.length !== digest.length || !timingSafeEqual(storedDigest, digest)) {
        return undefined;
      }
      return { id: accountId };
    },

    async getBalance(accountId: string): Promise<number> {
      await ready;
      const micros = await redis.hget(accountKey(accountId), 'balance');
      return micros === null ? 0 : Number(micros) / MICROS;
    },

    async charge(accountId: string, amount: number, taskId: number): Promise<boolean> {
      await ready;
      const keys = [accountKey(accountId), `${prefix}charged:${taskId}`];
      const charged = await chargeScript(keys, [Math.round(amount * MICROS), markerTtlMs]);
      return charged === 1;
    },

    async refund(accountId: string, amount: number, taskId: number): Promise<boolean> {
      await ready;
      const keys = [accountKey(accountId), `${prefix}charged:${taskId}`];
      const micros = Math.max(0, Math.round(amount * MICROS));
      return (await refundScript(keys, [micros])) === 1;
    },

    async topUp(accountId: string, amount: number): Promise<number> {
      await ready;
      const micros = await redis.hincrby(
        accountKey(accountId),
        'balance',
        Math.round(amount * MICROS),
      );
      return micros / MICROS;
    },
  };
}
