import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, timingSafeEqual } from './constant-time';
import { createStaticAccounts } from './static-accounts';

describe('createStaticAccounts', () => {
  it('authenticates known keys to stable ids', async () => {
    const accounts = createStaticAccounts({ keys: ['alpha', 'beta'] });
    expect(await accounts.authenticate('alpha')).toEqual({ id: 'static-1' });
    expect(await accounts.authenticate('beta')).toEqual({ id: 'static-2' });
  });

  it('rejects unknown, prefix and longer keys', async () => {
    const accounts = createStaticAccounts({ keys: ['alpha'] });
    expect(await accounts.authenticate('alph')).toBeUndefined();
    expect(await accounts.authenticate('alphaa')).toBeUndefined();
    expect(await accounts.authenticate('ALPHA')).toBeUndefined();
    expect(await accounts.authenticate('')).toBeUndefined();
  });

  it('hashes a matched key once and an unknown key on every request', async () => {
    const hashed: string[] = [];
    const digest = (value: string): Uint8Array => {
      hashed.push(value);
      return new Uint8Array(createHash('sha256').update(value).digest());
    };
    const accounts = createStaticAccounts({ keys: ['alpha', 'beta'], digest });
    // The first call also digests the key list.
    expect(await accounts.authenticate('warm-up')).toBeUndefined();
    const listDigests = hashed.length;

    expect(await accounts.authenticate('alpha')).toEqual({ id: 'static-1' });
    expect(await accounts.authenticate('alpha')).toEqual({ id: 'static-1' });
    expect(await accounts.authenticate('beta')).toEqual({ id: 'static-2' });
    expect(await accounts.authenticate('beta')).toEqual({ id: 'static-2' });
    expect(await accounts.authenticate('gamma')).toBeUndefined();
    expect(await accounts.authenticate('gamma')).toBeUndefined();
    expect(hashed.slice(listDigests)).toEqual(['alpha', 'beta', 'gamma', 'gamma']);
  });

  it('never puts the key into the account id', async () => {
    const accounts = createStaticAccounts({ keys: ['secret-key-value'] });
    const account = await accounts.authenticate('secret-key-value');
    expect(JSON.stringify(account)).not.toContain('secret');
  });

  it('charges once per task id', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 1 }] });
    expect(await accounts.charge('static-1', 0.0003, 7)).toBe(true);
    expect(await accounts.charge('static-1', 0.0003, 7)).toBe(true);
    expect(await accounts.getBalance('static-1')).toBe(0.9997);
  });

  it('adds up small charges exactly', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 1 }] });
    for (let taskId = 1; taskId <= 1000; taskId++)
      await accounts.charge('static-1', 0.0003, taskId);
    expect(await accounts.getBalance('static-1')).toBe(0.7);
  });

  it('refuses a charge above the balance', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 0.001 }] });
    expect(await accounts.charge('static-1', 0.002, 1)).toBe(false);
    expect(await accounts.getBalance('static-1')).toBe(0.001);
  });

  it('refunds a charged task once', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 1 }] });
    await accounts.charge('static-1', 0.002, 7);
    expect(await accounts.refund('static-1', 0.002, 7)).toBe(true);
    expect(await accounts.refund('static-1', 0.002, 7)).toBe(false);
    expect(await accounts.getBalance('static-1')).toBe(1);
    // A refunded task stays settled: charging it again deducts nothing.
    expect(await accounts.charge('static-1', 0.002, 7)).toBe(true);
    expect(await accounts.getBalance('static-1')).toBe(1);
  });

  it('refunds nothing for an uncharged task', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 1 }] });
    expect(await accounts.refund('static-1', 0.002, 8)).toBe(false);
    expect(await accounts.refund('static-9', 0.002, 8)).toBe(false);
    expect(await accounts.getBalance('static-1')).toBe(1);
  });

  it('refunds at most the charged amount', async () => {
    const accounts = createStaticAccounts({ keys: [{ key: 'k', balance: 1 }] });
    await accounts.charge('static-1', 0.002, 9);
    expect(await accounts.refund('static-1', 5, 9)).toBe(true);
    expect(await accounts.getBalance('static-1')).toBe(1);
  });

  it('uses the default balance', async () => {
    const accounts = createStaticAccounts({ keys: ['k'], defaultBalance: 42 });
    expect(await accounts.getBalance('static-1')).toBe(42);
  });

  it('matches keys through a synchronous digest', async () => {
    const hashed: string[] = [];
    const digest = (value: string): Uint8Array => {
      hashed.push(value);
      return createHash('sha256').update(value).digest();
    };
    const accounts = createStaticAccounts({ keys: ['alpha', 'beta'], digest });
    expect(await accounts.authenticate('beta')).toEqual({ id: 'static-2' });
    expect(await accounts.authenticate('alpha')).toEqual({ id: 'static-1' });
    expect(await accounts.authenticate('alphb')).toBeUndefined();
    // Stored keys are hashed once, the candidate on every call.
    expect(hashed.filter((value) => value === 'alpha')).toHaveLength(2);
  });

  it('matches keys through an asynchronous digest', async () => {
    const digest = async (value: string): Promise<Uint8Array> =>
      createHash('sha256').update(value).digest();
    const accounts = createStaticAccounts({ keys: ['alpha', 'beta'], digest });
    const results = await Promise.all([
      accounts.authenticate('alpha'),
      accounts.authenticate('beta'),
      accounts.authenticate('gamma'),
    ]);
    expect(results).toEqual([{ id: 'static-1' }, { id: 'static-2' }, undefined]);
  });

  it('rejects keys containing the modifier separator', () => {
    expect(() => createStaticAccounts({ keys: ['a__b'] })).toThrow(/contains "__"/);
  });
});

describe('timingSafeEqual', () => {
  it('compares digests byte by byte', async () => {
    const a = await sha256('alpha');
    expect(a).toHaveLength(32);
    expect(timingSafeEqual(a, await sha256('alpha'))).toBe(true);
    expect(timingSafeEqual(a, await sha256('alphb'))).toBe(false);
  });

  it('treats different lengths as unequal', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
  });

  it('has no early exit on the first differing byte', () => {
    // A Proxy counts element reads: the loop must read every byte even after a mismatch.
    let reads = 0;
    const counted = new Proxy(new Uint8Array(32).fill(1), {
      get(target, property) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property);
      },
    });
    expect(timingSafeEqual(counted, new Uint8Array(32).fill(2))).toBe(false);
    expect(reads).toBe(32);
  });
});
