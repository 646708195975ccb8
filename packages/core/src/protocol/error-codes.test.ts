import { describe, expect, test } from 'vitest';
import {
  CLIENT_ERROR_CODES,
  ERROR_CATALOGUE,
  type ErrorClass,
  isProtocolErrorCode,
  PROTOCOL_ERROR_CODES,
  type ProtocolErrorCode,
} from './error-codes';
import { CaptaskError } from './errors';

/**
 * The protocol's error table: class and whether retrying (a new request or task) can help.
 * Codes the table classes as either caller or transient list both.
 */
const TABLE: Record<ProtocolErrorCode, { classes: ErrorClass[]; retryable: boolean }> = {
  ERROR_KEY_DOES_NOT_EXIST: { classes: ['account'], retryable: false },
  ERROR_ZERO_BALANCE: { classes: ['account'], retryable: false },
  ERROR_TOO_BIG_CAPTCHA_FILESIZE: { classes: ['caller'], retryable: false },
  ERROR_ZERO_CAPTCHA_FILESIZE: { classes: ['caller'], retryable: false },
  ERROR_NO_SUCH_CAPCHA_ID: { classes: ['caller'], retryable: false },
  WRONG_CAPTCHA_ID: { classes: ['caller'], retryable: false },
  ERROR_CAPTCHA_UNSOLVABLE: { classes: ['outcome'], retryable: true },
  CAPTCHA_NOT_READY: { classes: ['progress'], retryable: true },
  ERROR_IP_NOT_ALLOWED: { classes: ['account'], retryable: false },
  ERROR_IP_BANNED: { classes: ['account'], retryable: false },
  ERROR_NO_SUCH_METHOD: { classes: ['caller'], retryable: false },
  ERROR_TOO_MUCH_REQUESTS: { classes: ['caller'], retryable: true },
  ERROR_DOMAIN_NOT_ALLOWED: { classes: ['account'], retryable: false },
  ERROR_TOKEN_EXPIRED: { classes: ['caller'], retryable: true },
  ERROR_NO_SLOT_AVAILABLE: { classes: ['transient'], retryable: true },
  ERROR_RECAPTCHA_INVALID_SITEKEY: { classes: ['caller'], retryable: false },
  ERROR_RECAPTCHA_INVALID_DOMAIN: { classes: ['caller'], retryable: false },
  ERROR_RECAPTCHA_TIMEOUT: { classes: ['transient'], retryable: true },
  ERROR_IP_BLOCKED: { classes: ['account'], retryable: false },
  ERROR_PROXY_CONNECT_REFUSED: { classes: ['caller', 'transient'], retryable: true },
  ERROR_PROXY_BANNED: { classes: ['caller'], retryable: false },
  ERROR_PROXY_MISSING: { classes: ['caller'], retryable: false },
  ERROR_PROXY_NOT_AUTHORISED: { classes: ['caller'], retryable: false },
  ERROR_PROXY_READ_TIMEOUT: { classes: ['caller', 'transient'], retryable: true },
  ERROR_TASK_NOT_SUPPORTED: { classes: ['caller'], retryable: false },
  ERROR_TASK_ABSENT: { classes: ['caller'], retryable: false },
  ERROR_WRONG_USERAGENT: { classes: ['caller'], retryable: false },
};

describe('error catalogue', () => {
  test('27 protocol codes', () => {
    expect(PROTOCOL_ERROR_CODES).toHaveLength(27);
    expect(new Set(PROTOCOL_ERROR_CODES).size).toBe(27);
    expect([...PROTOCOL_ERROR_CODES].sort()).toEqual(Object.keys(TABLE).sort());
  });

  test.each(PROTOCOL_ERROR_CODES)('%s class and retryability', (code) => {
    const info = ERROR_CATALOGUE[code];
    expect(TABLE[code].classes).toContain(info.class);
    expect(info.retryable).toBe(TABLE[code].retryable);
    expect(info.description.length).toBeGreaterThan(0);
  });

  test('historical spelling and alias', () => {
    expect(isProtocolErrorCode('ERROR_NO_SUCH_CAPCHA_ID')).toBe(true);
    expect(isProtocolErrorCode('ERROR_NO_SUCH_CAPTCHA_ID')).toBe(false);
    expect(ERROR_CATALOGUE.WRONG_CAPTCHA_ID).toEqual({
      ...ERROR_CATALOGUE.ERROR_NO_SUCH_CAPCHA_ID,
    });
  });

  test('client codes are not protocol codes', () => {
    for (const code of CLIENT_ERROR_CODES) {
      expect(isProtocolErrorCode(code)).toBe(false);
      expect(ERROR_CATALOGUE[code].class).toBe('client');
    }
  });

  test('CaptaskError takes class and retryability from the catalogue', () => {
    const error = new CaptaskError('ERROR_NO_SLOT_AVAILABLE');
    expect(error.errorClass).toBe('transient');
    expect(error.retryable).toBe(true);
    expect(error.toProtocol()).toEqual({
      errorId: 1,
      errorCode: 'ERROR_NO_SLOT_AVAILABLE',
      errorDescription: ERROR_CATALOGUE.ERROR_NO_SLOT_AVAILABLE.description,
    });
  });
});
