import { createSandboxSolver } from '@captask/core/server';
import {
  CapMonsterCloudClientFactory,
  ClientOptions,
  ImageToTextRequest,
} from '@zennolab_com/capmonstercloud-client';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningApp } from '../test/listen';
import { type CaptaskMiddleware, captask } from './captask';

const KEY = 'official-client-key';

let running: RunningApp | undefined;
let middleware: CaptaskMiddleware | undefined;

afterEach(async () => {
  await running?.close();
  await middleware?.server.close();
  running = undefined;
  middleware = undefined;
});

describe('official client against Express', () => {
  // The official client drops any path prefix under Node, so the server is mounted at the root.
  it('solves an image task at the root', async () => {
    const app = express();
    app.use(express.json());
    middleware = captask({ clientKeys: [KEY], solvers: createSandboxSolver({ latencyMs: 5 }) });
    app.use(middleware);
    running = await listen(app);

    const client = CapMonsterCloudClientFactory.Create(
      new ClientOptions({ clientKey: KEY, serviceUrl: running.url }),
    );
    const balance = await client.getBalance();
    const result = await client.Solve(
      new ImageToTextRequest({ body: Buffer.alloc(300, 7).toString('base64') }),
      { firstRequestDelay: 10, requestsInterval: 10, timeout: 10_000 },
    );

    expect(balance.balance).toEqual(expect.any(Number));
    expect(result.error).toBeUndefined();
    expect(result.solution?.text).toEqual(expect.any(String));
  });

  it('gets the protocol error for a wrong key', async () => {
    const app = express();
    middleware = captask({ clientKeys: [KEY], solvers: createSandboxSolver({ latencyMs: 5 }) });
    app.use(middleware);
    running = await listen(app);

    const client = CapMonsterCloudClientFactory.Create(
      new ClientOptions({ clientKey: 'not-a-key', serviceUrl: running.url }),
    );
    const result = await client.Solve(
      new ImageToTextRequest({ body: Buffer.alloc(300, 7).toString('base64') }),
    );

    expect(result.solution).toBeUndefined();
    // The official client maps ERROR_KEY_DOES_NOT_EXIST to its ErrorType value without the prefix.
    expect(result.error).toBe('KEY_DOES_NOT_EXIST');
  });
});
