import { describe, expect, it } from 'vitest';
import { applyKeyModifiers, parseKeyModifiers, splitClientKey } from './client-key';

describe('splitClientKey', () => {
  it('returns a plain key unchanged', () => {
    expect(splitClientKey('abc')).toEqual({ key: 'abc', modifiers: [] });
  });

  it('splits combined modifiers in order', () => {
    expect(splitClientKey('abc__solvemedia__recognizingthreshold_70__nocache')).toEqual({
      key: 'abc',
      modifiers: ['solvemedia', 'recognizingthreshold_70', 'nocache'],
    });
  });

  it('drops empty segments', () => {
    expect(splitClientKey('abc____nocache__')).toEqual({ key: 'abc', modifiers: ['nocache'] });
  });

  it('keeps single underscores inside the key', () => {
    expect(splitClientKey('a_b_c__nocache')).toEqual({ key: 'a_b_c', modifiers: ['nocache'] });
  });
});

describe('parseKeyModifiers', () => {
  it('reads nocache, module and threshold', () => {
    expect(parseKeyModifiers(['nocache', 'solvemedia', 'recognizingthreshold_70'])).toEqual({
      ok: true,
      options: { nocache: true, capMonsterModule: 'solvemedia', recognizingThreshold: 70 },
    });
  });

  it('rejects a threshold above 100', () => {
    const result = parseKeyModifiers(['recognizingthreshold_101']);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/0 to 100/) });
  });

  it('rejects a malformed threshold', () => {
    expect(parseKeyModifiers(['recognizingthreshold_x']).ok).toBe(false);
  });
});

describe('applyKeyModifiers', () => {
  const options = { nocache: true, capMonsterModule: 'amazon', recognizingThreshold: 70 } as const;

  it('sets module and threshold on ImageToTextTask', () => {
    const task = applyKeyModifiers(
      { type: 'ImageToTextTask', body: 'x' },
      'ImageToTextTask',
      options,
    );
    expect(task).toMatchObject({
      nocache: true,
      capMonsterModule: 'amazon',
      recognizingThreshold: 70,
    });
  });

  it('sets only nocache on other types', () => {
    const task = applyKeyModifiers({ type: 'RecaptchaV2Task' }, 'RecaptchaV2Task', options);
    expect(task).toEqual({ type: 'RecaptchaV2Task', nocache: true });
  });

  it('lets fields of the task win', () => {
    const input = { type: 'ImageToTextTask', capMonsterModule: 'yandex', recognizingThreshold: 10 };
    const task = applyKeyModifiers(input, 'ImageToTextTask', options);
    expect(task.capMonsterModule).toBe('yandex');
    expect(task.recognizingThreshold).toBe(10);
  });
});
