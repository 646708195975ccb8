import { describe, expect, it } from 'vitest';
import type { CliConfig } from './config';
import { formatBanner, startServer } from './start';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function config(overrides: Partial<CliConfig> = {}): CliConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    mode: 'sandbox',
    store: 'memory',
    clientKeys: [{ key: 'start-test-key' }],
    generatedKey: false,
    sandboxLatencyMs: 0,
    logLevel: 'silent',
    ...overrides,
  };
}

describe('startServer', () => {
  it('listens on a free port and closes', async () => {
    const running = await startServer(config(), { logger: silent });
    expect(running.port).toBeGreaterThan(0);
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    const response = await fetch(`${running.url}/getBalance`, {
      method: 'POST',
      body: JSON.stringify({ clientKey: 'start-test-key' }),
    });
    expect(await response.json()).toEqual({
      errorId: 0,
      balance: 100,
      captask: { longPoll: { maxWaitMs: 20_000 } },
    });
    await running.close();
    await expect(fetch(`${running.url}/getBalance`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('formatBanner', () => {
  it('shows the generated demo key', () => {
    const banner = formatBanner(
      config({ generatedKey: true, clientKeys: [{ key: 'demo-abc' }] }),
      'http://127.0.0.1:9',
    );
    expect(banner).toContain('captask listening on http://127.0.0.1:9');
    expect(banner).toContain('demo key demo-abc');
    expect(banner).toContain('"clientKey":"demo-abc"');
  });

  it('hides configured keys', () => {
    const banner = formatBanner(config(), 'http://127.0.0.1:9');
    expect(banner).toContain('1 from CAPTASK_CLIENT_KEYS');
    expect(banner).toContain('"clientKey":"YOUR_KEY"');
    expect(banner).not.toContain('start-test-key');
  });
});
