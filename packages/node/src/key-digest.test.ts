import { describe, expect, it } from 'vitest';
import { sha256Digest } from './key-digest';

describe('sha256Digest', () => {
  it('matches the SHA-256 test vector', () => {
    expect(Buffer.from(sha256Digest('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes UTF-8 bytes', () => {
    // U+00E9 is two bytes in UTF-8, so a Latin-1 hash would differ.
    expect(Buffer.from(sha256Digest('\u00e9')).toString('hex')).toBe(
      '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c',
    );
  });
});
