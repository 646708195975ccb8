import { inspect } from 'node:util';
import type { CaptaskError } from '@captask/core';
import { type ClientOptions, createClient } from '@captask/core/client';
import { describe, expect, it } from 'vitest';
import { createFakeTime, json, PROCESSING } from './client-fakes';

const BASE_KEY = 'sk-Very$ecret"Key\\0123456789';
const CLIENT_KEY = `${BASE_KEY}__nocache`;
const PROXY_PASSWORD = 'Pr0xy-P@ss/word!';
const TASK = {
  type: 'RecaptchaV2Task',
  websiteURL: 'https://example.test/login',
  websiteKey: 'site-key',
  proxyType: 'http',
  proxyAddress: '203.0.113.10',
  proxyPort: 3128,
  proxyLogin: 'proxy-user',
  proxyPassword: PROXY_PASSWORD,
} as const;

/** Every form in which a secret could leak: raw, JSON-escaped and URL-encoded. */
const FORBIDDEN = [CLIENT_KEY, BASE_KEY, PROXY_PASSWORD].flatMap((secret) => [
  secret,
  JSON.stringify(secret).slice(1, -1),
  encodeURIComponent(secret),
]);

function expectNoSecret(text: string): void {
  for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
}

/** Renders an error every way a program might print or ship it. */
function renderings(error: unknown): string[] {
  const cause = (error as { cause?: unknown }).cause;
  return [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String((error as Error).stack),
    inspect(cause, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    String(JSON.stringify(cause, Object.getOwnPropertyNames(cause ?? {}))),
  ];
}

function capturingLogger(lines: string[]): NonNullable<ClientOptions['logger']> {
  const write = (context: Record<string, unknown>, message: string): void => {
    lines.push(`${message} ${inspect(context, { depth: Number.POSITIVE_INFINITY })}`);
  };
  return { debug: write, info: write, warn: write, error: write };
}

/** Builds a fetch error that quotes the URL and the whole body, as some fetch wrappers do. */
function leakyFetchError(url: string, init: RequestInit): Error {
  const body = String(init.body);
  const socket = Object.assign(new Error(`socket closed while sending ${body}`), {
    code: `ECONNRESET ${body}`,
    cause: new Error(`innermost ${body}`),
  });
  return new TypeError(`POST ${url} failed with body ${body}`, { cause: socket });
}

function clientWith(fetch: ClientOptions['fetch'], lines: string[] = []) {
  const time = createFakeTime();
  const client = createClient({
    clientKey: CLIENT_KEY,
    baseUrl: 'http://127.0.0.1:9',
    fetch,
    clock: time,
    timers: time,
    logger: capturingLogger(lines),
    hooks: { onRetry: (event) => lines.push(inspect(event, { depth: 10 })) },
  });
  return { client, time };
}

describe('client secrets', () => {
  it('redacts fetch errors that quote the body', async () => {
    const { client, time } = clientWith(async (url, init) => {
      throw leakyFetchError(url, init);
    });

    const error = await time.run(client.solve(TASK)).catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('CLIENT_NETWORK_ERROR');
    expect(inspect(error, { depth: 10 })).toContain('[redacted]');
    for (const text of renderings(error)) expectNoSecret(text);
  });

  it('keeps the code of a fetch error cause', async () => {
    const { client } = clientWith(async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    });

    const error = (await client.getBalance().catch((caught: unknown) => caught)) as Error;
    const cause = error.cause as Error & { cause: Error & { code: string } };
    expect(cause.message).toBe('fetch failed');
    expect(cause.cause.code).toBe('ECONNREFUSED');
  });

  it('redacts non-error values thrown by fetch', async () => {
    const { client } = clientWith((_url, init) => Promise.reject({ body: init.body }));

    const error = await client.getBalance().catch((caught: unknown) => caught);
    for (const text of renderings(error)) expectNoSecret(text);
  });

  it('redacts error descriptions that echo secrets', async () => {
    const description = `key ${CLIENT_KEY} with proxy password ${PROXY_PASSWORD} refused`;
    const { client, time } = clientWith(async (url) => {
      if (url.endsWith('/createTask')) return json({ errorId: 0, taskId: 5 });
      return json({
        errorId: 1,
        errorCode: 'ERROR_PROXY_NOT_AUTHORISED',
        errorDescription: description,
      });
    });

    const error = await time.run(client.solve(TASK)).catch((caught: unknown) => caught);
    expect((error as { code?: string }).code).toBe('ERROR_PROXY_NOT_AUTHORISED');
    expect((error as { description?: string }).description).toContain('[redacted]');
    for (const text of renderings(error)) expectNoSecret(text);
  });

  it('redacts createTask errors that echo the proxy password', async () => {
    const { client } = clientWith(async (_url, init) =>
      json({ errorId: 1, errorCode: 'ERROR_PROXY_MISSING', errorDescription: String(init.body) }),
    );

    const error = await client.createTask(TASK).catch((caught: unknown) => caught);
    for (const text of renderings(error)) expectNoSecret(text);
  });

  it.each([
    ['the key as errorCode', CLIENT_KEY],
    ['the proxy password as errorCode', PROXY_PASSWORD],
    ['an upper-case key as errorCode', 'SECRETKEY0123456789'],
  ])('redacts %s', async (_, errorCode) => {
    const upperKey = 'SECRETKEY0123456789';
    const time = createFakeTime();
    const client = createClient({
      clientKey: errorCode === upperKey ? upperKey : CLIENT_KEY,
      baseUrl: 'http://127.0.0.1:9',
      fetch: async () => json({ errorId: 1, errorCode }),
      clock: time,
      timers: time,
    });

    const error = (await client.getBalance().catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('UNKNOWN_ERROR_CODE');
    expect(error.serverErrorCode).toBe('[redacted]');
    expect(error.toProtocol().errorCode).toBe('[redacted]');
    for (const text of renderings(error)) {
      expectNoSecret(text);
      expect(text).not.toContain(upperKey);
    }
  });

  it('keeps an unknown code of protocol shape', async () => {
    const { client } = clientWith(async () => json({ errorId: 1, errorCode: 'ERROR_NEW_THING' }));

    const error = (await client.getBalance().catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('UNKNOWN_ERROR_CODE');
    expect(error.serverErrorCode).toBe('ERROR_NEW_THING');
  });

  it('logs retries without secrets', async () => {
    const lines: string[] = [];
    let polls = 0;
    const { client, time } = clientWith(async (url, init) => {
      if (url.endsWith('/createTask')) return json({ errorId: 0, taskId: 6 });
      polls += 1;
      if (polls <= 2) throw leakyFetchError(url, init);
      if (polls === 3) return new Response(`<html>${String(init.body)}</html>`, { status: 502 });
      if (polls === 4) return json(PROCESSING);
      return json({ errorId: 0, status: 'ready', solution: { gRecaptchaResponse: 'token' } });
    }, lines);

    const result = await time.run(client.solve(TASK, { schedule: { intervalMs: 100 } }));
    expect(result.solution).toEqual({ gRecaptchaResponse: 'token' });
    expect(lines.filter((line) => line.includes('repeating'))).toHaveLength(3);
    for (const line of lines) expectNoSecret(line);
  });
});
