import { isTaskOutcomeCode } from '@captask/core';
import { describe, expect, it } from 'vitest';
import { createTestServer, KEY, TURNSTILE_TASK } from './server-helpers';

describe('task outcome codes', () => {
  it.each(['CAPTCHA_NOT_READY', 'ERROR_NO_SLOT_AVAILABLE', 'ERROR_TOO_MUCH_REQUESTS'])(
    'rejects retry signal %s',
    (code) => {
      expect(isTaskOutcomeCode(code)).toBe(false);
    },
  );

  it.each(['ERROR_CAPTCHA_UNSOLVABLE', 'ERROR_PROXY_BANNED', 'ERROR_TOKEN_EXPIRED'])(
    'accepts final code %s',
    (code) => {
      expect(isTaskOutcomeCode(code)).toBe(true);
    },
  );

  it.each(['ERROR_NO_SLOT_AVAILABLE', 'ERROR_TOO_MUCH_REQUESTS'])(
    'server fails a task thrown with %s as unsolvable',
    async (code) => {
      const test = createTestServer();
      const created = await test.call('createTask', {
        clientKey: KEY,
        task: { ...TURNSTILE_TASK, websiteKey: `sandbox-error-${code}` },
      });
      await test.advance(60_000);

      const { json } = await test.call('getTaskResult', {
        clientKey: KEY,
        taskId: created.json.taskId,
      });
      expect(json.errorId).toBe(1);
      expect(json.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    },
  );
});
