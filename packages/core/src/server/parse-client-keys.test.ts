import { describe, expect, it } from 'vitest';
import { parseClientKeys } from './parse-client-keys';

function failure(value: string): string {
  try {
    parseClientKeys(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('parseClientKeys accepted the value');
}

describe('parseClientKeys', () => {
  it('splits keys and optional balances', () => {
    expect(parseClientKeys(' dev-key , rich : 500, broke:0,frac:0.25 ')).toEqual([
      { key: 'dev-key' },
      { key: 'rich', balance: 500 },
      { key: 'broke', balance: 0 },
      { key: 'frac', balance: 0.25 },
    ]);
  });

  it('returns an empty list for a blank value', () => {
    expect(parseClientKeys('')).toEqual([]);
    expect(parseClientKeys('  ')).toEqual([]);
  });

  it.each([
    ['secretdev:abc', 1, /invalid balance/],
    ['secretdev:-5', 1, /invalid balance/],
    ['secretdev:NaN', 1, /invalid balance/],
    ['secretdev:1e3', 1, /invalid balance/],
    ['secretdev:0.0000001', 1, /invalid balance/],
    ['secretdev:9000000001', 1, /invalid balance/],
    ['ok, secretdev:1:2', 2, /more than one ":"/],
    ['ok, secretdev:', 2, /no balance after it/],
    [',,', 1, /is empty; remove the extra comma/],
    ['ok,,secretdev', 2, /is empty/],
    ['ok, secretdev,', 3, /is empty/],
    ['ok, :5', 2, /empty key/],
    ['secret__dev', 1, /contains "__"/],
  ])('rejects %j at entry %i', (value, position, message) => {
    const text = failure(value);
    expect(text).toMatch(new RegExp(`^Client key entry ${position} `));
    expect(text).toMatch(message);
    expect(text).not.toMatch(/secret/);
  });

  it('rejects a key listed twice', () => {
    const text = failure('secretx:5, other, secretx:7');
    expect(text).toBe('Client key entries 1 and 3 have the same key.');
  });

  it('accepts the bounds of a balance', () => {
    expect(parseClientKeys('big:9000000000, tiny:0.000001')).toEqual([
      { key: 'big', balance: 9_000_000_000 },
      { key: 'tiny', balance: 0.000001 },
    ]);
  });
});
