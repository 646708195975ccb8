import { describe, expect, it } from 'vitest';
import type { CliConfig } from './config';
import { startServer } from './start';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function config(overrides: Partial<CliConfig> = {}): CliConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    mode: 'workers',
    store: 'memory',
    clientKeys: [{ key: 'backend-client-key', balance: 1 }],
    generatedKey: false,
    sandboxLatencyMs: 0,
    logLevel: 'silent',
    workerKeys: ['backend-worker-key'],
    ...overrides,
  };
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

describe('createBackend', () => {
  it('serves the worker API on the memory store', async () => {
    const running = await startServer(config(), { logger: silent });
    try {
      const created = await post(`${running.url}/createTask`, {
        clientKey: 'backend-client-key',
        task: {
          type: 'TurnstileTask',
          websiteURL: 'https://example.com/',
          websiteKey: '0x4AAAAAAAsandbox',
        },
      });
      expect(created.errorId).toBe(0);

      let tasks: { leaseId: string; taskId: number }[] = [];
      for (let attempt = 0; attempt < 50 && tasks.length === 0; attempt++) {
        const claimed = await post(`${running.url}/worker/claim`, {
          workerKey: 'backend-worker-key',
        });
        tasks = claimed.tasks as typeof tasks;
      }
      expect(tasks[0]?.taskId).toBe(created.taskId);

      const submitted = await post(`${running.url}/worker/submit`, {
        workerKey: 'backend-worker-key',
        leaseId: tasks[0]?.leaseId,
        solution: { token: 'from-worker' },
      });
      expect(submitted).toEqual({ errorId: 0, accepted: true });

      const result = await post(`${running.url}/getTaskResult`, {
        clientKey: 'backend-client-key',
        taskId: created.taskId,
      });
      expect(result).toMatchObject({ status: 'ready', solution: { token: 'from-worker' } });
      const balance = await post(`${running.url}/getBalance`, { clientKey: 'backend-client-key' });
      expect(balance.balance).toBeCloseTo(0.998, 9);
    } finally {
      await running.close();
    }
  });

  it('keeps client and worker keys apart', async () => {
    const running = await startServer(config(), { logger: silent });
    try {
      const claimed = await post(`${running.url}/worker/claim`, {
        workerKey: 'backend-client-key',
      });
      expect(claimed.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
      const balance = await post(`${running.url}/getBalance`, { clientKey: 'backend-worker-key' });
      expect(balance.errorCode).toBe('ERROR_KEY_DOES_NOT_EXIST');
    } finally {
      await running.close();
    }
  });

  it('serves no worker API in sandbox mode', async () => {
    const running = await startServer(config({ mode: 'sandbox', workerKeys: undefined }), {
      logger: silent,
    });
    try {
      const claimed = await post(`${running.url}/worker/claim`, {
        workerKey: 'backend-worker-key',
      });
      expect(claimed.errorCode).toBe('ERROR_NO_SUCH_METHOD');
    } finally {
      await running.close();
    }
  });
});
