import { describe, expect, it } from 'vitest';
import { checkBaseUrl, methodUrl } from './url';

describe('methodUrl', () => {
  it('appends the method to a bare origin', () => {
    expect(methodUrl('http://127.0.0.1:8080', 'createTask')).toBe(
      'http://127.0.0.1:8080/createTask',
    );
  });

  it('keeps a path prefix without a trailing slash', () => {
    expect(methodUrl('http://127.0.0.1:8080/api/v2', 'getTaskResult')).toBe(
      'http://127.0.0.1:8080/api/v2/getTaskResult',
    );
  });

  it('keeps a path prefix with a trailing slash', () => {
    expect(methodUrl('http://127.0.0.1:8080/api/v2/', 'getBalance')).toBe(
      'http://127.0.0.1:8080/api/v2/getBalance',
    );
  });

  it('drops a query string and fragment from the base', () => {
    expect(methodUrl('http://127.0.0.1/x?a=1#f', 'createTask')).toBe(
      'http://127.0.0.1/x/createTask',
    );
  });
});

describe('checkBaseUrl', () => {
  it('rejects a relative URL', () => {
    expect(() => checkBaseUrl('/api')).toThrow(/absolute URL/);
  });

  it('rejects other protocols', () => {
    expect(() => checkBaseUrl('ftp://127.0.0.1/')).toThrow(/http or https/);
  });

  it('rejects credentials in the URL', () => {
    expect(() => checkBaseUrl('http://user:secret@127.0.0.1/')).toThrow(/user name or password/);
  });
});
