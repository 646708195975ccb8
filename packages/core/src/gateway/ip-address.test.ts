import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, isInPrefix, parseIpAddress, parseIpPrefix } from './ip-address';

const ipv6Bytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
// Runs of zero groups exercise the `::` compression far more often than uniform bytes would.
const sparseIpv6Bytes = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => Uint8Array.from(groups.flatMap((group) => [group >> 8, group & 0xff])));

/** `toFixedLengthString` exists at run time in ipaddr.js 2.x, but its type declarations lack it. */
function fixedLengthForm(address: ipaddr.IPv6): string {
  return (address as ipaddr.IPv6 & { toFixedLengthString(): string }).toFixedLengthString();
}

describe('parseIpAddress', () => {
  it('parses dotted quads', () => {
    expect(parseIpAddress('192.168.1.20')?.bytes).toEqual(Uint8Array.from([192, 168, 1, 20]));
    expect(parseIpAddress('0.0.0.0')?.version).toBe(4);
  });

  it.each([
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '0x7f.0.0.1',
    '127.1',
    '2130706433',
    '',
    'example.test',
    '1.2.3.-4',
  ])('rejects IPv4 form %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it.each([
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['[::1]', '0:0:0:0:0:0:0:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1'],
    ['64:ff9b::10.0.0.1', '64:ff9b:0:0:0:0:a00:1'],
    ['FD00:EC2::254', 'fd00:ec2:0:0:0:0:0:254'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('parses IPv6 %s', (text, expanded) => {
    const parsed = parseIpAddress(text);
    expect(parsed?.version).toBe(6);
    expect(ipaddr.IPv6.parse(expanded).toByteArray()).toEqual(Array.from(parsed?.bytes ?? []));
  });

  it.each([
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    ':::',
    'g::1',
    '::1.2.3',
    '::1.2.3.4:5',
    '1:2:3:4:5:6:7::8',
  ])('rejects IPv6 form %j', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  it('agrees with ipaddr.js on every IPv6 text form', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Bytes, sparseIpv6Bytes), (bytes) => {
        const reference = ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6;
        for (const text of [reference.toNormalizedString(), fixedLengthForm(reference)]) {
          expect(parseIpAddress(text)?.bytes).toEqual(bytes);
        }
        expect(parseIpAddress(reference.toRFC5952String())?.bytes).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with ipaddr.js on IPv4 validity', () => {
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '07'),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 3, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        expect(parseIpAddress(text) !== undefined).toBe(ipaddr.IPv4.isValidFourPartDecimal(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatIpAddress', () => {
  it('produces the RFC 5952 form that ipaddr.js produces', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6Bytes, sparseIpv6Bytes), (bytes) => {
        const text = formatIpAddress({ version: 6, bytes });
        expect(text).toBe(
          (ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6).toRFC5952String(),
        );
        expect(parseIpAddress(text)?.bytes).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('formats IPv4 as a dotted quad', () => {
    expect(formatIpAddress({ version: 4, bytes: Uint8Array.from([10, 0, 0, 255]) })).toBe(
      '10.0.0.255',
    );
  });
});

describe('isInPrefix', () => {
  it('matches ipaddr.js on random prefixes', () => {
    fc.assert(
      fc.property(ipv6Bytes, ipv6Bytes, fc.integer({ min: 0, max: 128 }), (a, b, length) => {
        const address = { version: 6 as const, bytes: a };
        const prefix = { address: { version: 6 as const, bytes: b }, length };
        const reference = (ipaddr.fromByteArray(Array.from(a)) as ipaddr.IPv6).match(
          ipaddr.fromByteArray(Array.from(b)) as ipaddr.IPv6,
          length,
        );
        expect(isInPrefix(address, prefix)).toBe(reference);
      }),
      { numRuns: 2000 },
    );
  });

  it('matches near prefix boundaries', () => {
    const prefix = parseIpPrefix('172.16.0.0/12');
    if (prefix === undefined) throw new Error('prefix did not parse');
    const check = (text: string): boolean =>
      isInPrefix(parseIpAddress(text) ?? prefix.address, prefix);
    expect(check('172.16.0.0')).toBe(true);
    expect(check('172.31.255.255')).toBe(true);
    expect(check('172.32.0.0')).toBe(false);
    expect(check('172.15.255.255')).toBe(false);
  });

  it('never matches across IP versions', () => {
    const prefix = parseIpPrefix('::/0');
    const address = parseIpAddress('1.2.3.4');
    if (prefix === undefined || address === undefined) throw new Error('fixture did not parse');
    expect(isInPrefix(address, prefix)).toBe(false);
  });
});

describe('parseIpPrefix', () => {
  it('reads address and length', () => {
    const prefix = parseIpPrefix('fc00::/7');
    expect(prefix?.length).toBe(7);
    expect(prefix?.address.version).toBe(6);
  });

  it('treats a bare address as a full-length prefix', () => {
    expect(parseIpPrefix('127.0.0.1')?.length).toBe(32);
    expect(parseIpPrefix('::1')?.length).toBe(128);
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/-1', 'host/8', '10.0.0.0/8/8'])(
    'rejects %j',
    (text) => {
      expect(parseIpPrefix(text)).toBeUndefined();
    },
  );
});
