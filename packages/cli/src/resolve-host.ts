import { lookup } from 'node:dns/promises';

/**
 * Resolves a host name to every address the system resolver returns, IPv4 and IPv6, for the
 * callbackUrl check: a callback is rejected when any of them is private or reserved.
 *
 * @example
 * await resolveHost('hooks.example.com'); // ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']
 */
export async function resolveHost(hostname: string): Promise<string[]> {
  const addresses = await lookup(hostname, { all: true, verbatim: true });
  return addresses.map((entry) => entry.address);
}
