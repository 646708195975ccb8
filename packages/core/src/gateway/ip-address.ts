/**
 * IPv4 and IPv6 address parsing and prefix matching, written here so that `@captask/core`
 * stays free of runtime dependencies. The tests compare the results with `ipaddr.js`.
 */

/** An IP address as network-order bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** An address prefix such as `10.0.0.0/8` or `fc00::/7`. */
export interface IpPrefix {
  readonly address: IpAddress;
  readonly length: number;
}

const IPV4_PART = /^(0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

/**
 * Parses an IPv4 dotted quad or an IPv6 address, with or without brackets and zone id.
 * Returns undefined for anything else, including IPv4 parts with leading zeros, whose
 * meaning (octal or decimal) differs between resolvers.
 *
 * @example
 * parseIpAddress('[::ffff:127.0.0.1]'); // { version: 6, bytes: [0, ..., 0xff, 0xff, 127, 0, 0, 1] }
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (value.includes(':')) return parseIpv6(value);
  const bytes = parseIpv4Bytes(value);
  return bytes === undefined ? undefined : { version: 4, bytes };
}

function parseIpv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [index, part] of parts.entries()) {
    if (!IPV4_PART.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[index] = value;
  }
  return bytes;
}

function parseIpv6(text: string): IpAddress | undefined {
  const zoneStart = text.indexOf('%');
  const value = zoneStart === -1 ? text : text.slice(0, zoneStart);
  const halves = value.split('::');
  if (halves.length > 2) return undefined;

  const head = parseIpv6Groups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseIpv6Groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;

  const groupCount = head.length + tail.length;
  if (halves.length === 1 && groupCount !== 8) return undefined;
  if (halves.length === 2 && groupCount > 7) return undefined;

  const groups = [...head, ...new Array<number>(8 - groupCount).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [index, group] of groups.entries()) {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  }
  return { version: 6, bytes };
}

/** Parses colon-separated groups; a dotted quad is allowed as the last part (two groups). */
function parseIpv6Groups(text: string): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (index === parts.length - 1 && part.includes('.')) {
      const bytes = parseIpv4Bytes(part);
      if (bytes === undefined) return undefined;
      groups.push(
        ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0),
        ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0),
      );
      continue;
    }
    if (!IPV6_GROUP.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/**
 * Parses `address/length`; a bare address is a prefix of its full length.
 *
 * @example
 * parseIpPrefix('172.16.0.0/12'); // { address: 172.16.0.0, length: 12 }
 */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.lastIndexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const maxLength = address.bytes.length * 8;
  if (slash === -1) return { address, length: maxLength };

  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  return length <= maxLength ? { address, length } : undefined;
}

/** Tells whether an address lies inside a prefix of the same IP version. */
export function isInPrefix(address: IpAddress, prefix: IpPrefix): boolean {
  if (address.version !== prefix.address.version) return false;
  const fullBytes = Math.floor(prefix.length / 8);
  for (let index = 0; index < fullBytes; index++) {
    if (address.bytes[index] !== prefix.address.bytes[index]) return false;
  }
  const remainingBits = prefix.length % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  const addressByte = address.bytes[fullBytes] ?? 0;
  const prefixByte = prefix.address.bytes[fullBytes] ?? 0;
  return (addressByte & mask) === (prefixByte & mask);
}

/** Formats an address: dotted quad for IPv4, lowercase groups with `::` compression for IPv6. */
export function formatIpAddress(address: IpAddress): string {
  if (address.version === 4) return Array.from(address.bytes).join('.');
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) {
    groups.push(((address.bytes[index] ?? 0) << 8) | (address.bytes[index + 1] ?? 0));
  }

  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength && length > 1) {
      bestStart = start;
      bestLength = length;
    }
  }

  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
