import { CaptaskError } from '../protocol/errors';
import { type IpPrefix, isInPrefix, parseIpAddress, parseIpPrefix } from './ip-address';
import { specialRangeOf } from './special-addresses';

/**
 * Returns every address a hostname resolves to, as text (`93.184.215.14`, `2606:2800::1`).
 * Core stays runtime-agnostic, so the runtime supplies this; the CLI passes one built on
 * `node:dns/promises` `lookup` with `all: true`.
 */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface CallbackUrlPolicyOptions {
  /**
   * Resolves host names. Without it, only IP literals are checked and every host name is
   * rejected unless `allow` names it, because its addresses cannot be checked.
   */
  resolveHost?: ResolveHost;
  /**
   * Hosts that pass even though they are special: host names (exact, case-insensitive), IP
   * addresses or prefixes such as `127.0.0.1`, `10.0.0.0/8` or `fd00::/8`. A host name here
   * passes without resolution.
   */
  allow?: readonly string[];
  /** Longest accepted callbackUrl, in characters. Default 2048. */
  maxLength?: number;
}

/** Checks callbackUrl values before a task is stored and before each delivery. */
export interface CallbackUrlPolicy {
  /**
   * Resolves to the parsed URL when the server may POST to it. Rejects with a CaptaskError:
   * ERROR_TASK_NOT_SUPPORTED for a value that is not an absolute http(s) URL, and
   * ERROR_DOMAIN_NOT_ALLOWED for a host that is or resolves to a forbidden address.
   */
  check(url: unknown): Promise<URL>;
}

/**
 * Host names that lead into the server's own machine or cloud account whatever DNS returns:
 * `localhost` and its subdomains, the cloud metadata names, and the `.internal` and `.local`
 * suffixes reserved for private and multicast-DNS networks.
 */
function forbiddenHostName(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
  if (host === 'metadata' || host === 'metadata.goog' || host === 'metadata.google.internal') {
    return 'a cloud metadata name';
  }
  if (host.endsWith('.internal')) return 'a private-network name (.internal)';
  if (host.endsWith('.local')) return 'a multicast DNS name (.local)';
  return undefined;
}

/**
 * Creates the check that keeps callback POSTs away from the server's own network: loopback,
 * private, link-local, carrier-grade NAT, unspecified, multicast, reserved and cloud metadata
 * addresses, in IPv4 and IPv6 (IPv4-mapped and other embedding forms included). A host name
 * passes only when every address it resolves to passes.
 *
 * NOTE: the check and the later POST resolve the name separately, so a DNS server that
 * returns a different address the second time can still steer the POST. The sender checks again
 * before every attempt, which narrows that window but does not close it.
 *
 * @example
 * const policy = createCallbackUrlPolicy({ resolveHost, allow: ['127.0.0.1'] });
 * await policy.check('http://127.0.0.1:8080/captcha-done'); // URL
 * await policy.check('http://169.254.169.254/'); // throws ERROR_DOMAIN_NOT_ALLOWED
 */
export function createCallbackUrlPolicy(options: CallbackUrlPolicyOptions = {}): CallbackUrlPolicy {
  const maxLength = options.maxLength ?? 2048;
  const allowedNames = new Set<string>();
  const allowedPrefixes: IpPrefix[] = [];
  for (const entry of options.allow ?? []) {
    const prefix = parseIpPrefix(entry);
    if (prefix !== undefined) allowedPrefixes.push(prefix);
    else allowedNames.add(normalizeHostName(entry));
  }

  const reject = (description: string): CaptaskError =>
    new CaptaskError('ERROR_DOMAIN_NOT_ALLOWED', { description });

  const checkAddress = (host: string, text: string): void => {
    const address = parseIpAddress(text);
    if (address === undefined) {
      throw reject(
        `callbackUrl host ${host} resolved to ${JSON.stringify(text)}, which is not an IP address.`,
      );
    }
    if (allowedPrefixes.some((prefix) => isInPrefix(address, prefix))) return;
    const range = specialRangeOf(address);
    if (range === undefined) return;
    const subject = text === host ? host : `${host} resolves to ${text}, which`;
    throw reject(
      `callbackUrl host ${subject} is in the ${range} address range; this server sends no callbacks there.`,
    );
  };

  return {
    async check(value: unknown): Promise<URL> {
      const url = parseCallbackUrl(value, maxLength);
      const host = normalizeHostName(url.hostname);
      if (allowedNames.has(host)) return url;

      if (parseIpAddress(host) !== undefined) {
        checkAddress(host, host);
        return url;
      }
      const forbidden = forbiddenHostName(host);
      if (forbidden !== undefined) {
        throw reject(
          `callbackUrl host ${host} is ${forbidden}; this server sends no callbacks there.`,
        );
      }
      if (options.resolveHost === undefined) {
        throw reject(
          `callbackUrl host ${host} is a host name, and this server has no resolver to check its addresses; use a public IP address or ask the operator to allow the host.`,
        );
      }

      let addresses: string[];
      try {
        addresses = await options.resolveHost(host);
      } catch {
        throw reject(`callbackUrl host ${host} could not be resolved.`);
      }
      if (addresses.length === 0) throw reject(`callbackUrl host ${host} has no addresses.`);
      for (const address of addresses) checkAddress(host, address);
      return url;
    },
  };
}

function parseCallbackUrl(value: unknown, maxLength: number): URL {
  const invalid = (description: string): CaptaskError =>
    new CaptaskError('ERROR_TASK_NOT_SUPPORTED', { description });

  if (typeof value !== 'string' || value.length === 0) {
    throw invalid('callbackUrl must be a non-empty string with an absolute http or https URL.');
  }
  if (value.length > maxLength) {
    throw invalid(`callbackUrl is ${value.length} characters long; the maximum is ${maxLength}.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('callbackUrl is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`callbackUrl must use http or https, not ${url.protocol.slice(0, -1)}.`);
  }
  return url;
}

/** Lowercases a host and drops IPv6 brackets and a trailing root dot. */
function normalizeHostName(host: string): string {
  let value = host.trim().toLowerCase();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  if (value.endsWith('.')) value = value.slice(0, -1);
  return value;
}
