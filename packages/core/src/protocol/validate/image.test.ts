import { describe, expect, test } from 'vitest';
import { base64OfBytes } from '../../../test/task-examples';
import { type TaskValidation, validateTask } from '../validate';
import { base64ByteLength } from './image';

function codeOf(result: TaskValidation): string {
  return result.ok ? 'ok' : result.error.code;
}

describe('base64ByteLength', () => {
  test.each([0, 1, 2, 3, 4, 5, 99, 100, 101, 51_200, 51_201])('%i bytes padded', (bytes) => {
    expect(base64ByteLength(base64OfBytes(bytes))).toBe(bytes);
  });

  test.each([1, 2, 4, 5, 100])('%i bytes unpadded', (bytes) => {
    expect(base64ByteLength(base64OfBytes(bytes).replace(/=+$/, ''))).toBe(bytes);
  });

  test('URL-safe alphabet', () => {
    const text = Buffer.from([0xfb, 0xff, 0xfe, 0x01]).toString('base64url');
    expect(text).toMatch(/[-_]/);
    expect(base64ByteLength(text)).toBe(4);
  });

  test.each([
    ['line break', 'QUJD\nREVG'],
    ['space', 'QUJD REVG'],
    ['data URL', 'data:image/png;base64,QUJD'],
    ['three pads', 'QQ==='],
    ['pad inside', 'QQ==QUJD'],
    ['length 4n+1', 'QUJDR'],
    ['padded wrong length', 'QUJDRA='],
    ['mixed alphabets', 'ab+_'],
    ['non-ASCII', 'QUJDé'],
  ])('%s is invalid', (_name, text) => {
    expect(base64ByteLength(text)).toBeUndefined();
  });
});

describe('image size bounds', () => {
  const imageToText = (bytes: number) => ({ type: 'ImageToTextTask', body: base64OfBytes(bytes) });
  const recognition = (bytes: number) => ({
    type: 'ComplexImageTask',
    class: 'recognition',
    imagesBase64: [base64OfBytes(200), base64OfBytes(bytes)],
    metadata: { Task: 'oocl_rotate_new' },
  });

  test.each([
    [99, 'ERROR_ZERO_CAPTCHA_FILESIZE'],
    [100, 'ok'],
    [51_200, 'ok'],
    [51_201, 'ERROR_TOO_BIG_CAPTCHA_FILESIZE'],
  ])('ImageToTextTask body of %i bytes', (bytes, code) => {
    expect(codeOf(validateTask(imageToText(bytes)))).toBe(code);
  });

  test.each([
    [99, 'ERROR_ZERO_CAPTCHA_FILESIZE'],
    [100, 'ok'],
    [51_200, 'ok'],
    [51_201, 'ERROR_TOO_BIG_CAPTCHA_FILESIZE'],
  ])('ComplexImageTask image of %i bytes', (bytes, code) => {
    expect(codeOf(validateTask(recognition(bytes)))).toBe(code);
  });

  test('messages name the image and the bound', () => {
    const small = validateTask(recognition(99));
    const big = validateTask(imageToText(51_201));
    if (small.ok || big.ok) throw new Error('accepted');
    expect(small.error.description).toBe(
      'task.imagesBase64[1] decodes to 99 bytes; the minimum is 100 bytes',
    );
    expect(small.error.details).toEqual({ field: 'task.imagesBase64[1]' });
    expect(big.error.description).toBe(
      'task.body decodes to 51201 bytes; the maximum is 51200 bytes, so compress or crop it',
    );
  });

  test('bounds are configurable', () => {
    const options = { minImageBytes: 10, maxImageBytes: 20 };
    expect(codeOf(validateTask(imageToText(9), options))).toBe('ERROR_ZERO_CAPTCHA_FILESIZE');
    expect(codeOf(validateTask(imageToText(10), options))).toBe('ok');
    expect(codeOf(validateTask(imageToText(20), options))).toBe('ok');
    expect(codeOf(validateTask(imageToText(21), options))).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
  });

  test('invalid base64 body', () => {
    const result = validateTask({
      type: 'ImageToTextTask',
      body: `data:image/png;base64,${base64OfBytes(300)}`,
    });
    if (result.ok) throw new Error('accepted');
    expect(result.error.code).toBe('ERROR_ZERO_CAPTCHA_FILESIZE');
    expect(result.error.description).toMatch(/^task\.body is not valid base64/);
  });

  test('non-string body', () => {
    const result = validateTask({ type: 'ImageToTextTask', body: 12345 });
    if (result.ok) throw new Error('accepted');
    expect(result.error.code).toBe('ERROR_ZERO_CAPTCHA_FILESIZE');
    expect(result.error.description).toBe('task.body must be a string, got an integer');
  });

  test('legacy example images are measured', () => {
    const result = validateTask({
      type: 'ComplexImageTask',
      class: 'hcaptcha',
      imagesBase64: [base64OfBytes(200)],
      exampleImagesBase64: [base64OfBytes(60_000)],
      metadata: { Task: 't' },
    });
    expect(codeOf(result)).toBe('ERROR_TOO_BIG_CAPTCHA_FILESIZE');
  });

  test('audio payloads skip the maximum only', () => {
    const audio = (bytes: number) => ({
      type: 'ComplexImageTask',
      class: 'recognition',
      imagesBase64: [base64OfBytes(bytes)],
      metadata: { Task: 'bills_audio', PayloadType: 'Audio' },
    });
    expect(codeOf(validateTask(audio(200_000)))).toBe('ok');
    expect(codeOf(validateTask(audio(50)))).toBe('ERROR_ZERO_CAPTCHA_FILESIZE');
  });

  test('image URLs are not measured', () => {
    const result = validateTask({
      type: 'ComplexImageTask',
      class: 'recaptcha',
      imageUrls: ['x'],
      metadata: { Grid: '3x3', Task: 't' },
    });
    expect(codeOf(result)).toBe('ok');
  });
});
