import { describe, expect, it } from 'vitest';
import { CaptaskError } from '../protocol/errors';
import { createCallbackUrlPolicy, type ResolveHost } from './callback-url';

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CaptaskError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Builds a resolver over a fixed table that records the requested names. */
function tableResolver(table: Record<string, string[]>): ResolveHost & { requested: string[] } {
  const requested: string[] = [];
  const resolve = async (hostname: string): Promise<string[]> => {
    requested.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses;
  };
  return Object.assign(resolve, { requested });
}

describe('createCallbackUrlPolicy', () => {
  const resolveHost = tableResolver({
    'hooks.example.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example.test': ['93.184.215.14', '10.0.0.5'],
    'mapped.example.test': ['::ffff:169.254.169.254'],
    'empty.example.test': [],
    'garbage.example.test': ['not-an-address'],
  });
  const policy = createCallbackUrlPolicy({ resolveHost });

  it.each([
    'https://hooks.example.test/done?task=1',
    'http://hooks.example.test:8080/',
    'http://93.184.215.14/cb',
    'http://[2606:4700::1111]/cb',
    'HTTPS://HOOKS.EXAMPLE.TEST./x',
  ])('accepts %s', async (url) => {
    expect((await policy.check(url)).href).toBe(new URL(url).href);
  });

  it.each([
    ['ftp://hooks.example.test/', /must use http or https, not ftp/],
    ['javascript:alert(1)', /must use http or https/],
    ['file:///etc/passwd', /must use http or https, not file/],
    ['/relative/path', /not a valid absolute URL/],
    ['', /non-empty string/],
  ])('rejects %j as ERROR_TASK_NOT_SUPPORTED', async (url, message) => {
    const error = await rejection(policy.check(url));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toMatch(message);
  });

  it('rejects non-string values', async () => {
    expect((await rejection(policy.check(42))).code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect((await rejection(policy.check({ url: 'x' }))).code).toBe('ERROR_TASK_NOT_SUPPORTED');
  });

  it('rejects URLs over the length limit', async () => {
    const short = createCallbackUrlPolicy({ resolveHost, maxLength: 40 });
    const error = await rejection(short.check(`https://hooks.example.test/${'a'.repeat(40)}`));
    expect(error.description).toMatch(/maximum is 40/);
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1.2.3:9000/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback (IPv4-mapped)'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fd12::1]/', 'unique local'],
    ['http://169.254.10.10/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'cloud metadata (IPv4-mapped)'],
  ])('rejects address literal %s', async (url, range) => {
    const error = await rejection(policy.check(url));
    expect(error.code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(error.description).toContain(`in the ${range} address range`);
  });

  it.each([
    'http://localhost:3000/',
    'http://api.localhost/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata/computeMetadata/v1/',
    'http://metadata.goog/',
    'http://db.corp.internal/',
    'http://printer.local/',
  ])('rejects reserved host name %s without resolving it', async (url) => {
    const before = resolveHost.requested.length;
    const error = await rejection(policy.check(url));
    expect(error.code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(resolveHost.requested.length).toBe(before);
  });

  it('rejects a name when any of its addresses is forbidden', async () => {
    const error = await rejection(policy.check('https://rebind.example.test/'));
    expect(error.code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(error.description).toContain('resolves to 10.0.0.5');
  });

  it('rejects a name that resolves to an IPv4-mapped metadata address', async () => {
    const error = await rejection(policy.check('https://mapped.example.test/'));
    expect(error.description).toContain('cloud metadata (IPv4-mapped)');
  });

  it.each([
    ['https://unknown.example.test/', /could not be resolved/],
    ['https://empty.example.test/', /has no addresses/],
    ['https://garbage.example.test/', /not an IP address/],
  ])('rejects %s', async (url, message) => {
    const error = await rejection(policy.check(url));
    expect(error.code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(error.description).toMatch(message);
  });

  it('rejects host names when no resolver is configured', async () => {
    const literalOnly = createCallbackUrlPolicy();
    const error = await rejection(literalOnly.check('https://hooks.example.test/'));
    expect(error.code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
    expect(error.description).toMatch(/no resolver/);
    expect((await literalOnly.check('http://93.184.215.14/')).hostname).toBe('93.184.215.14');
  });

  describe('allow list', () => {
    const allowing = createCallbackUrlPolicy({
      resolveHost,
      allow: ['127.0.0.1', '10.20.0.0/16', 'receiver.internal', 'fd00::/8', 'rebind.example.test'],
    });

    it.each([
      'http://127.0.0.1:45678/callback',
      'http://10.20.3.4/',
      'http://receiver.internal/',
      'http://RECEIVER.INTERNAL./',
      'http://[fd00::5]/',
      'https://rebind.example.test/',
    ])('lets %s through', async (url) => {
      expect((await allowing.check(url)).href).toBe(new URL(url).href);
    });

    it.each(['http://127.0.0.2/', 'http://10.21.0.1/', 'http://[fe80::1]/', 'http://localhost/'])(
      'still rejects %s',
      async (url) => {
        expect((await rejection(allowing.check(url))).code).toBe('ERROR_DOMAIN_NOT_ALLOWED');
      },
    );

    it('allows names without a resolver', async () => {
      const named = createCallbackUrlPolicy({ allow: ['receiver.internal'] });
      expect((await named.check('http://receiver.internal/x')).pathname).toBe('/x');
    });
  });
});
