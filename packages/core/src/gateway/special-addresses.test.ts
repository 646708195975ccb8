import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { type IpAddress, parseIpAddress } from './ip-address';
import { specialRangeOf } from './special-addresses';

function rangeOf(text: string): string | undefined {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(`fixture ${text} did not parse`);
  return specialRangeOf(address);
}

/** ipaddr.js range names that must be rejected. */
const REQUIRED_IPV4 = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
]);
const REQUIRED_IPV6 = new Set([
  'unspecified',
  'linkLocal',
  'multicast',
  'loopback',
  'uniqueLocal',
  'deprecatedSiteLocal',
  'discard',
  'teredo',
  'benchmarking',
]);

// Addresses near the special ranges, so that random runs land inside and around them often.
const RANGE_STARTS = [0, 10, 100, 127, 169, 172, 192, 198, 203, 224, 240, 255];
const ipv4Bytes = fc.oneof(
  fc.uint8Array({ minLength: 4, maxLength: 4 }),
  fc
    .tuple(fc.constantFrom(...RANGE_STARTS), fc.uint8Array({ minLength: 3, maxLength: 3 }))
    .map(([first, rest]) => Uint8Array.from([first, ...rest])),
);
const IPV6_STARTS = [
  0, 0x64, 0x100, 0x2001, 0x2002, 0x3fff, 0xfc00, 0xfd00, 0xfe80, 0xfec0, 0xff00,
];
const ipv6Bytes = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc
    .tuple(fc.constantFrom(...IPV6_STARTS), fc.uint8Array({ minLength: 14, maxLength: 14 }))
    .map(([first, rest]) => Uint8Array.from([first >> 8, first & 0xff, ...rest])),
);

function embed(prefix: number[], v4: Uint8Array, offset = 12): IpAddress {
  const bytes = new Uint8Array(16);
  bytes.set(prefix);
  bytes.set(v4, offset);
  return { version: 6, bytes };
}

describe('specialRangeOf', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.100.100.200', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (IPv4-mapped)'],
    ['::ffff:7f00:1', 'loopback (IPv4-mapped)'],
    ['::ffff:169.254.169.254', 'cloud metadata (IPv4-mapped)'],
    ['::ffff:0:10.0.0.1', 'private (IPv4-translated)'],
    ['::10.0.0.1', 'private (IPv4-compatible)'],
    ['64:ff9b::192.168.1.1', 'private (NAT64)'],
    ['2002:7f00:1::', 'loopback (6to4)'],
    ['2001::1', 'Teredo'],
  ])('classifies %s as %s', (text, expected) => {
    expect(rangeOf(text)).toBe(expected);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::',
  ])('accepts public address %s', (text) => {
    expect(rangeOf(text)).toBeUndefined();
  });

  it('rejects every IPv4 range that ipaddr.js calls special and no public one', () => {
    fc.assert(
      fc.property(ipv4Bytes, (bytes) => {
        const reference = ipaddr.fromByteArray(Array.from(bytes)).range();
        const ours = specialRangeOf({ version: 4, bytes });
        if (REQUIRED_IPV4.has(reference)) expect(ours).toBeDefined();
        if (ours !== undefined) expect(reference).not.toBe('unicast');
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects every IPv6 range that ipaddr.js calls special and no public one', () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        const reference = ipaddr.fromByteArray(Array.from(bytes)).range();
        const ours = specialRangeOf({ version: 6, bytes });
        if (REQUIRED_IPV6.has(reference)) expect(ours).toBeDefined();
        if (ours !== undefined) expect(reference).not.toBe('unicast');
      }),
      { numRuns: 5000 },
    );
  });

  it('judges IPv6 forms that embed IPv4 by the embedded address', () => {
    fc.assert(
      fc.property(ipv4Bytes, (v4) => {
        const expected = specialRangeOf({ version: 4, bytes: v4 }) !== undefined;
        const forms = [
          embed([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], v4),
          embed([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], v4),
          embed([0, 0x64, 0xff, 0x9b], v4),
          embed([0x20, 0x02], v4, 2),
        ];
        for (const form of forms) {
          expect(specialRangeOf(form) !== undefined).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
