import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvServer } from './env-server';

function post(path: string, body: unknown): Request {
  return new Request(`http://127.0.0.1${path}`, { method: 'POST', body: JSON.stringify(body) });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createEnvServer', () => {
  it('accepts the keys from CAPTASK_CLIENT_KEYS', async () => {
    vi.stubEnv('CAPTASK_CLIENT_KEYS', 'first-key,second-key');
    const server = createEnvServer();

    const first = await server.fetch(post('/getBalance', { clientKey: 'first-key' }));
    const second = await server.fetch(post('/getBalance', { clientKey: 'second-key' }));
    const unknown = await server.fetch(post('/getBalance', { clientKey: 'third-key' }));

    expect(await first.json()).toMatchObject({ errorId: 0 });
    expect(await second.json()).toMatchObject({ errorId: 0 });
    expect(await unknown.json()).toMatchObject({ errorCode: 'ERROR_KEY_DOES_NOT_EXIST' });
  });

  it('names the variable when no keys are set', async () => {
    vi.stubEnv('CAPTASK_CLIENT_KEYS', '');
    const server = createEnvServer();

    const response = await server.fetch(post('/getBalance', { clientKey: 'any' }));
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body.errorId).toBe(1);
    expect(body.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(body.errorDescription).toContain('CAPTASK_CLIENT_KEYS');
  });

  it('reports an invalid key list', async () => {
    vi.stubEnv('CAPTASK_CLIENT_KEYS', 'secret-key:');
    const server = createEnvServer();

    const response = await server.fetch(post('/getBalance', { clientKey: 'secret-key' }));
    const body = (await response.json()) as Record<string, unknown>;

    expect(body.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(body.errorDescription).toContain('CAPTASK_CLIENT_KEYS could not be used');
    expect(body.errorDescription).not.toContain('secret-key');
  });

  it('reads the environment on the first request', async () => {
    vi.stubEnv('CAPTASK_CLIENT_KEYS', '');
    const server = createEnvServer();
    vi.stubEnv('CAPTASK_CLIENT_KEYS', 'late-key');

    const response = await server.fetch(post('/getBalance', { clientKey: 'late-key' }));

    expect(await response.json()).toMatchObject({ errorId: 0 });
  });

  it('sets the Bun server options', () => {
    const server = createEnvServer();

    expect(server.hostname).toBe('127.0.0.1');
    expect(server.development).toBe(false);
  });
});
