import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connect, deleteKeys, describeWithRedis, uniquePrefix } from '../test/redis-test-context';
import { createRedisAccounts } from './redis-accounts';

describeWithRedis('createRedisAccounts', () => {
  let first: Redis;
  let second: Redis;
  let keyPrefix: string;

  beforeAll(() => {
    first = connect();
    second = connect();
  });
  afterEach(async () => {
    await deleteKeys(first, keyPrefix);
  });
  afterAll(async () => {
    await Promise.all([first.quit(), second.quit()]);
  });

  it('authenticates a registered key only', async () => {
    keyPrefix = uniquePrefix();
    const accounts = createRedisAccounts({
      redis: first,
      keyPrefix,
      keys: ['key-alpha', 'key-beta'],
    });
    await accounts.ready;

    const alpha = await accounts.authenticate('key-alpha');
    const beta = await accounts.authenticate('key-beta');
    expect(alpha?.id).toMatch(/^acct-[0-9a-f]{16}$/);
    expect(beta?.id).toMatch(/^acct-[0-9a-f]{16}$/);
    expect(alpha?.id).not.toBe(beta?.id);
    expect(await accounts.authenticate('key-alph')).toBeUndefined();
    expect(await accounts.authenticate('')).toBeUndefined();
  });

  it('never writes the key itself to Redis', async () => {
    keyPrefix = uniquePrefix();
    const accounts = createRedisAccounts({ redis: first, keyPrefix, keys: ['secret-key-123'] });
    await accounts.ready;

    const keys = await first.keys(`${keyPrefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('secret-key-123');
      const values = Object.values(await first.hgetall(key)).join(' ');
      expect(values).not.toContain('secret-key-123');
    }
  });

  it('charges a task once across instances', async () => {
    keyPrefix = uniquePrefix();
    const a = createRedisAccounts({ redis: first, keyPrefix, keys: [{ key: 'k', balance: 1 }] });
    const b = createRedisAccounts({ redis: second, keyPrefix });
    await a.ready;
    const account = await a.authenticate('k');
    if (account === undefined) throw new Error('key not registered');

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).charge(account.id, 0.002, 4242)),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(await b.getBalance(account.id)).toBeCloseTo(0.998, 9);

    expect(await a.charge(account.id, 0.002, 4243)).toBe(true);
    expect(await a.getBalance(account.id)).toBeCloseTo(0.996, 9);
  });

  it('never lets concurrent charges overdraw', async () => {
    keyPrefix = uniquePrefix();
    const a = createRedisAccounts({ redis: first, keyPrefix, keys: [{ key: 'k', balance: 0.01 }] });
    const b = createRedisAccounts({ redis: second, keyPrefix });
    await a.ready;
    const account = await a.authenticate('k');
    if (account === undefined) throw new Error('key not registered');

    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).charge(account.id, 0.002, 10_000 + i),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await a.getBalance(account.id)).toBe(0);
  });

  it('refunds a task once across instances', async () => {
    keyPrefix = uniquePrefix();
    const a = createRedisAccounts({ redis: first, keyPrefix, keys: [{ key: 'k', balance: 1 }] });
    const b = createRedisAccounts({ redis: second, keyPrefix });
    await a.ready;
    const account = await a.authenticate('k');
    if (account === undefined) throw new Error('key not registered');

    expect(await a.refund(account.id, 0.002, 5150)).toBe(false);
    expect(await a.charge(account.id, 0.002, 5150)).toBe(true);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).refund(account.id, 0.002, 5150)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await b.getBalance(account.id)).toBe(1);
    // A refunded task stays settled: charging it again deducts nothing.
    expect(await b.charge(account.id, 0.002, 5150)).toBe(true);
    expect(await a.getBalance(account.id)).toBe(1);
  });

  it('refunds at most the charged amount', async () => {
    keyPrefix = uniquePrefix();
    const accounts = createRedisAccounts({
      redis: first,
      keyPrefix,
      keys: [{ key: 'k', balance: 1 }],
    });
    const account = await accounts.authenticate('k');
    if (account === undefined) throw new Error('key not registered');

    await accounts.charge(account.id, 0.002, 6160);
    const ttl = await first.pttl(`${keyPrefix}charged:6160`);
    expect(await accounts.refund(account.id, 3, 6160)).toBe(true);
    expect(await accounts.getBalance(account.id)).toBe(1);
    expect(await first.pttl(`${keyPrefix}charged:6160`)).toBeGreaterThan(ttl - 60_000);
  });

  it('rejects a charge above the balance', async () => {
    keyPrefix = uniquePrefix();
    const accounts = createRedisAccounts({
      redis: first,
      keyPrefix,
      keys: [{ key: 'k', balance: 0.001 }],
    });
    const account = await accounts.authenticate('k');
    if (account === undefined) throw new Error('key not registered');

    expect(await accounts.charge(account.id, 0.002, 77)).toBe(false);
    expect(await accounts.getBalance(account.id)).toBeCloseTo(0.001, 9);
    await accounts.topUp(account.id, 1);
    expect(await accounts.charge(account.id, 0.002, 77)).toBe(true);
    expect(await accounts.getBalance(account.id)).toBeCloseTo(0.999, 9);
    expect(await accounts.charge('acct-unknown', 0.002, 78)).toBe(false);
  });

  it('keeps an existing balance when a key is registered again', async () => {
    keyPrefix = uniquePrefix();
    const before = createRedisAccounts({
      redis: first,
      keyPrefix,
      keys: [{ key: 'k', balance: 5 }],
    });
    const account = await before.authenticate('k');
    if (account === undefined) throw new Error('key not registered');
    await before.charge(account.id, 1, 1);

    const restarted = createRedisAccounts({
      redis: second,
      keyPrefix,
      keys: [{ key: 'k', balance: 5 }],
    });
    await restarted.ready;
    expect(await restarted.getBalance(account.id)).toBe(4);
    expect((await restarted.authenticate('k'))?.id).toBe(account.id);
  });

  it('rejects a key that contains the modifier separator', async () => {
    keyPrefix = uniquePrefix();
    const accounts = createRedisAccounts({ redis: first, keyPrefix });
    await expect(accounts.addKey('abc__nocache')).rejects.toThrow(TypeError);
  });
});
