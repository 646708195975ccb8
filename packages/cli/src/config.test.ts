import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const options = { generateKey: () => 'generated-demo-key' };

describe('loadConfig', () => {
  it('applies defaults', () => {
    expect(loadConfig({}, options)).toEqual({
      host: '127.0.0.1',
      port: 8080,
      mode: 'sandbox',
      store: 'memory',
      clientKeys: [{ key: 'generated-demo-key' }],
      generatedKey: true,
      sandboxLatencyMs: undefined,
      logLevel: 'info',
    });
  });

  it('reads keys, port and latency', () => {
    const config = loadConfig(
      {
        PORT: '0',
        CAPTASK_CLIENT_KEYS: 'a, b:5',
        CAPTASK_SANDBOX_LATENCY_MS: '20',
        CAPTASK_LOG_LEVEL: 'warn',
      },
      options,
    );
    expect(config.port).toBe(0);
    expect(config.clientKeys).toEqual([{ key: 'a' }, { key: 'b', balance: 5 }]);
    expect(config.generatedKey).toBe(false);
    expect(config.sandboxLatencyMs).toBe(20);
    expect(config.logLevel).toBe('warn');
  });

  it('generates a key for a blank key list', () => {
    expect(loadConfig({ CAPTASK_CLIENT_KEYS: '  ' }, options).generatedKey).toBe(true);
  });

  it.each([
    ['dev:abc', /entry 1 has an invalid balance/],
    ['dev:-5', /entry 1 has an invalid balance/],
    ['dev:NaN', /entry 1 has an invalid balance/],
    ['a:1:2', /entry 1 has more than one ":"/],
    ['x:5,x:7', /entries 1 and 2 have the same key/],
    [',,', /entry 1 is empty/],
    [' , ', /entry 1 is empty/],
  ])('rejects CAPTASK_CLIENT_KEYS=%j', (value, message) => {
    const load = (): unknown => loadConfig({ CAPTASK_CLIENT_KEYS: value }, options);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it.each(['abc', '-1', '65536', '80.5'])('rejects PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port }, options)).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: port }, options)).toThrow(/PORT must be an integer/);
  });

  it('rejects an invalid key list without echoing it', () => {
    const load = (): unknown => loadConfig({ CAPTASK_CLIENT_KEYS: 'good, topsecret__x' }, options);
    expect(load).toThrow(/CAPTASK_CLIENT_KEYS is invalid: Client key entry 2/);
    expect(load).not.toThrow(/topsecret/);
  });

  it('rejects an unknown log level', () => {
    expect(() => loadConfig({ CAPTASK_LOG_LEVEL: 'loud' }, options)).toThrow(/CAPTASK_LOG_LEVEL/);
  });

  it('rejects a non-numeric latency', () => {
    expect(() => loadConfig({ CAPTASK_SANDBOX_LATENCY_MS: '1s' }, options)).toThrow(/milliseconds/);
  });
});
