import { afterEach, describe, expect, it, vi } from 'vitest';
import { readEnv } from './env';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('readEnv', () => {
  it('reads process.env on Node', () => {
    vi.stubEnv('CAPTASK_TEST_VALUE', 'from-node');

    expect(readEnv('CAPTASK_TEST_VALUE')).toBe('from-node');
    expect(readEnv('CAPTASK_TEST_MISSING')).toBeUndefined();
  });

  it('prefers Deno.env and explains a missing permission', () => {
    const denied = new Error('Requires env access to "CAPTASK_TEST_VALUE"');
    vi.stubGlobal('Deno', {
      env: {
        get(name: string): string {
          if (name === 'CAPTASK_TEST_VALUE') throw denied;
          return `deno:${name}`;
        },
      },
    });

    expect(readEnv('OTHER')).toBe('deno:OTHER');
    expect(() => readEnv('CAPTASK_TEST_VALUE')).toThrow('--allow-env=CAPTASK_TEST_VALUE');
  });

  it('reads Bun.env under Bun', () => {
    vi.stubGlobal('Bun', { env: { CAPTASK_TEST_VALUE: 'from-bun' } });

    expect(readEnv('CAPTASK_TEST_VALUE')).toBe('from-bun');
  });
});
