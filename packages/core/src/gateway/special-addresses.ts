import { type IpAddress, type IpPrefix, isInPrefix, parseIpPrefix } from './ip-address';

/**
 * Address ranges that a server-side request (such as a callback POST) must never reach,
 * because they lead into the server's own host or network, or nowhere routable.
 */
interface SpecialRange {
  /** Short name used in error messages, such as `loopback`. */
  readonly name: string;
  readonly prefixes: readonly IpPrefix[];
}

/** Ranges that carry an IPv4 address inside an IPv6 one; the embedded address is checked too. */
interface EmbeddingRange {
  readonly name: string;
  readonly prefix: IpPrefix;
  /** Offset of the four IPv4 bytes inside the 16 IPv6 bytes. */
  readonly offset: number;
}

function prefixes(...texts: string[]): IpPrefix[] {
  return texts.map((text) => {
    const prefix = parseIpPrefix(text);
    if (prefix === undefined) throw new Error(`invalid built-in prefix ${text}`);
    return prefix;
  });
}

// Order matters: the first matching entry names the range, so the narrow cloud metadata
// addresses come before the link-local and unique local ranges that contain them.
const SPECIAL_RANGES: readonly SpecialRange[] = [
  { name: 'cloud metadata', prefixes: prefixes('169.254.169.254/32', 'fd00:ec2::254/128') },
  { name: 'unspecified', prefixes: prefixes('0.0.0.0/8', '::/128') },
  { name: 'loopback', prefixes: prefixes('127.0.0.0/8', '::1/128') },
  { name: 'private', prefixes: prefixes('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16') },
  { name: 'carrier-grade NAT', prefixes: prefixes('100.64.0.0/10') },
  { name: 'link-local', prefixes: prefixes('169.254.0.0/16', 'fe80::/10') },
  { name: 'unique local', prefixes: prefixes('fc00::/7') },
  { name: 'site-local', prefixes: prefixes('fec0::/10') },
  { name: 'multicast', prefixes: prefixes('224.0.0.0/4', 'ff00::/8') },
  { name: 'reserved', prefixes: prefixes('240.0.0.0/4', '192.0.0.0/24', '100::/64') },
  {
    name: 'documentation',
    prefixes: prefixes(
      '192.0.2.0/24',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '2001:db8::/32',
      '3fff::/20',
    ),
  },
  { name: 'benchmarking', prefixes: prefixes('198.18.0.0/15', '2001:2::/48') },
  { name: '6to4 relay anycast', prefixes: prefixes('192.88.99.0/24') },
  { name: 'local NAT64', prefixes: prefixes('64:ff9b:1::/48') },
  { name: 'Teredo', prefixes: prefixes('2001::/32') },
];

const EMBEDDING_RANGES: readonly EmbeddingRange[] = [
  { name: 'IPv4-mapped', prefix: prefixes('::ffff:0:0/96')[0] as IpPrefix, offset: 12 },
  { name: 'IPv4-translated', prefix: prefixes('::ffff:0:0:0/96')[0] as IpPrefix, offset: 12 },
  { name: 'IPv4-compatible', prefix: prefixes('::/96')[0] as IpPrefix, offset: 12 },
  { name: 'NAT64', prefix: prefixes('64:ff9b::/96')[0] as IpPrefix, offset: 12 },
  { name: '6to4', prefix: prefixes('2002::/16')[0] as IpPrefix, offset: 2 },
];

/**
 * Returns the name of the special range an address belongs to, or undefined for a public
 * unicast address. IPv6 forms that embed an IPv4 address (mapped, translated, compatible,
 * NAT64 and 6to4) are judged by the embedded address, so `::ffff:127.0.0.1` is `loopback`.
 *
 * @example
 * specialRangeOf(parseIpAddress('169.254.169.254')!); // 'cloud metadata'
 * specialRangeOf(parseIpAddress('::ffff:10.1.2.3')!); // 'private (IPv4-mapped)'
 */
export function specialRangeOf(address: IpAddress): string | undefined {
  for (const range of SPECIAL_RANGES) {
    if (range.prefixes.some((prefix) => isInPrefix(address, prefix))) return range.name;
  }
  if (address.version === 4) return undefined;

  for (const range of EMBEDDING_RANGES) {
    if (!isInPrefix(address, range.prefix)) continue;
    const embedded: IpAddress = {
      version: 4,
      bytes: address.bytes.slice(range.offset, range.offset + 4),
    };
    const inner = specialRangeOf(embedded);
    return inner === undefined ? undefined : `${inner} (${range.name})`;
  }
  return undefined;
}
