import type { ClientKeyEntry } from './static-accounts';

/** A balance written as a plain decimal number with at most six decimal places. */
const BALANCE = /^\d+(\.\d{1,6})?$/;

/** Largest balance accepted: its millionths stay below 2^53, so account sources store it exactly. */
const MAX_BALANCE = 9_000_000_000;

/**
 * Parses a key list such as the `CAPTASK_CLIENT_KEYS` environment variable: entries separated
 * by commas, each `key` or `key:balance`, with whitespace around entries and around the colon
 * ignored. A balance is a plain decimal such as `500` or `0.25`, with at most six decimal
 * places and at most 9,000,000,000. A blank value returns an empty list, so that callers can
 * treat it as unset.
 *
 * Throws a TypeError for an empty entry (such as `a,,b`), an empty key, a key containing `__`
 * (which separates key modifiers), more than one `:`, an invalid balance, or a key listed
 * twice. The message names the entry's position, never the key or the balance text.
 *
 * @example
 * parseClientKeys('dev-key, rich-key:500, broke-key:0');
 * // [{ key: 'dev-key' }, { key: 'rich-key', balance: 500 }, { key: 'broke-key', balance: 0 }]
 */
export function parseClientKeys(value: string): ClientKeyEntry[] {
  if (value.trim().length === 0) return [];

  const entries: ClientKeyEntry[] = [];
  const positions = new Map<string, number>();
  value.split(',').forEach((part, index) => {
    const position = index + 1;
    const entry = parseEntry(part.trim(), position);
    const first = positions.get(entry.key);
    if (first !== undefined) {
      throw new TypeError(`Client key entries ${first} and ${position} have the same key.`);
    }
    positions.set(entry.key, position);
    entries.push(entry);
  });
  return entries;
}

function parseEntry(text: string, position: number): ClientKeyEntry {
  const fail = (problem: string): never => {
    throw new TypeError(`Client key entry ${position} ${problem}.`);
  };
  if (text.length === 0) fail('is empty; remove the extra comma');

  const parts = text.split(':');
  if (parts.length > 2) fail('has more than one ":"; write key or key:balance');
  const key = (parts[0] ?? '').trim();
  if (key.length === 0) fail('has an empty key');
  if (key.includes('__')) fail('contains "__", which separates key modifiers');
  if (parts.length === 1) return { key };

  const balanceText = (parts[1] ?? '').trim();
  if (balanceText.length === 0) fail('ends with ":" but has no balance after it');
  if (!BALANCE.test(balanceText) || Number(balanceText) > MAX_BALANCE) {
    fail(
      `has an invalid balance; write a number from 0 to ${MAX_BALANCE} with at most 6 decimal places, such as 500 or 0.25`,
    );
  }
  return { key, balance: Number(balanceText) };
}
