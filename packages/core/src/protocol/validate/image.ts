import type { CaptaskError } from '../errors';
import type { CanonicalTaskType } from '../task-types';
import { fieldError } from './field-errors';
import { type JsonObject, readPath } from './keys';

/** Fields that carry uploaded images as base64, per type. */
const IMAGE_FIELDS: Partial<Record<CanonicalTaskType, readonly string[]>> = {
  ImageToTextTask: ['body'],
  ComplexImageTask: ['imagesBase64', 'exampleImagesBase64'],
};

const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)$/;

/**
 * Returns the number of bytes a base64 text decodes to, computed from its length and padding
 * without decoding, or `undefined` when the text is not base64. Both the standard and the
 * URL-safe alphabet are accepted; whitespace and `data:` prefixes are not.
 *
 * @example
 * base64ByteLength('aGVsbG8='); // 5
 */
export function base64ByteLength(text: string): number | undefined {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end -= 1;
  const padding = text.length - end;
  const body = padding === 0 ? text : text.slice(0, end);

  if (padding > 2 || body.length % 4 === 1) return undefined;
  if (padding > 0 && text.length % 4 !== 0) return undefined;
  if (!BASE64.test(body)) return undefined;
  return Math.floor((body.length * 3) / 4);
}

export interface ImageBounds {
  minImageBytes: number;
  maxImageBytes: number;
}

/** Checks every uploaded image of a task against the byte bounds, measured after decoding. */
export function checkImageSizes(
  task: JsonObject,
  canonicalType: CanonicalTaskType,
  bounds: ImageBounds,
): CaptaskError | undefined {
  // NOTE: bills_audio recognition tasks upload a WAV file, which is usually far above the image
  // limit, so audio payloads are checked for the minimum size only.
  const payloadType = readPath(task, 'metadata.PayloadType').value;
  const isAudio = typeof payloadType === 'string' && payloadType.toLowerCase() === 'audio';
  const max = isAudio ? Number.POSITIVE_INFINITY : bounds.maxImageBytes;

  for (const field of IMAGE_FIELDS[canonicalType] ?? []) {
    const value = task[field];
    if (typeof value === 'string') {
      const error = checkImage(`task.${field}`, value, bounds.minImageBytes, max);
      if (error !== undefined) return error;
    }
    if (!Array.isArray(value)) continue;
    for (const [index, item] of value.entries()) {
      if (typeof item !== 'string') continue;
      const error = checkImage(`task.${field}[${index}]`, item, bounds.minImageBytes, max);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

function checkImage(
  path: string,
  text: string,
  min: number,
  max: number,
): CaptaskError | undefined {
  const bytes = base64ByteLength(text);
  if (bytes === undefined) {
    return fieldError(
      path,
      `${path} is not valid base64; send the file bytes as base64 without line breaks or a data: URL prefix`,
      'ERROR_ZERO_CAPTCHA_FILESIZE',
    );
  }
  if (bytes < min) {
    return fieldError(
      path,
      `${path} decodes to ${bytes} bytes; the minimum is ${min} bytes`,
      'ERROR_ZERO_CAPTCHA_FILESIZE',
    );
  }
  if (bytes > max) {
    return fieldError(
      path,
      `${path} decodes to ${bytes} bytes; the maximum is ${max} bytes, so compress or crop it`,
      'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
    );
  }
  return undefined;
}
