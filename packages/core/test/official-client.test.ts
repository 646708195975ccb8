import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core';
import { createNodeListener } from '@captask/node';
import {
  CapMonsterCloudClientFactory,
  ClientOptions,
  ErrorType,
  ImageToTextRequest,
  RecaptchaV2Request,
  TurnstileRequest,
} from '@zennolab_com/capmonstercloud-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BASE64, KEY } from './server-helpers';

// The official client sends requests to `/<method>` under Node and ignores any path prefix in
// serviceUrl, so the server is mounted at the root of a real port on 127.0.0.1.
let taskServer: TaskServer;
let httpServer: Server;
let serviceUrl: string;

beforeAll(async () => {
  taskServer = createTaskServer({
    clientKeys: [{ key: KEY, balance: 25 }],
    solvers: createSandboxSolver({ latencyMs: 50 }),
  });
  httpServer = createServer(createNodeListener(taskServer));
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  serviceUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const closed = new Promise((resolve) => httpServer.close(resolve));
  httpServer.closeAllConnections();
  await closed;
  await taskServer.close();
});

const clientFor = (clientKey: string) =>
  CapMonsterCloudClientFactory.Create(new ClientOptions({ clientKey, serviceUrl }));

describe('official CapMonster Cloud client', () => {
  it('reads the balance', async () => {
    const balance = await clientFor(KEY).getBalance();
    expect(balance.errorId).toBe(0);
    expect(balance.balance).toBeGreaterThan(0);
    expect(balance.balance).toBeLessThanOrEqual(25);
  });

  it('solves an ImageToTextTask', async () => {
    const result = await clientFor(KEY).Solve(
      new ImageToTextRequest({ body: IMAGE_BASE64, Case: true }),
    );
    expect(result.error).toBeUndefined();
    expect(typeof result.solution?.text).toBe('string');
    expect(result.solution?.text.length).toBeGreaterThan(0);
  });

  it('solves reCAPTCHA v2 sent as NoCaptchaTask', async () => {
    const request = new RecaptchaV2Request({
      websiteURL: 'https://shop.example.test/login',
      websiteKey: '6Lc-sandbox-site-key',
    });
    expect(request.type).toBe('NoCaptchaTask');
    const result = await clientFor(KEY).Solve(request);
    expect(result.error).toBeUndefined();
    expect(result.solution?.gRecaptchaResponse.length).toBeGreaterThanOrEqual(500);
  });

  it('solves a Turnstile task', async () => {
    const request = new TurnstileRequest({
      websiteURL: 'https://shop.example.test/',
      websiteKey: '0x4AAAAAAAsandbox',
    });
    const result = await clientFor(KEY).Solve(request);
    expect(result.error).toBeUndefined();
    expect(typeof result.solution?.token).toBe('string');
  });

  it('charges a solved task to the balance', async () => {
    const client = clientFor(KEY);
    const before = await client.getBalance();
    await client.Solve(new ImageToTextRequest({ body: IMAGE_BASE64 }));
    const after = await client.getBalance();
    expect(after.balance).toBeCloseTo(before.balance - 0.0003, 6);
  });

  it('receives ERROR_CAPTCHA_UNSOLVABLE from the sandbox', async () => {
    const request = new RecaptchaV2Request({
      websiteURL: 'https://shop.example.test/login',
      websiteKey: 'sandbox-error-ERROR_CAPTCHA_UNSOLVABLE',
    });
    const result = await clientFor(KEY).Solve(request);
    expect(result.error).toBe(ErrorType.CAPTCHA_UNSOLVABLE);
    expect(result.solution).toBeUndefined();
  });

  it('receives ERROR_KEY_DOES_NOT_EXIST for an unknown key', async () => {
    const client = clientFor('not-a-key-of-this-server');
    await expect(client.getBalance()).rejects.toMatchObject({
      errorType: ErrorType.KEY_DOES_NOT_EXIST,
    });
    const result = await client.Solve(new ImageToTextRequest({ body: IMAGE_BASE64 }));
    expect(result.error).toBe(ErrorType.KEY_DOES_NOT_EXIST);
  });
});
