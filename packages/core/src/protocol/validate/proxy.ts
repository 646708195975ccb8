import type { CaptaskError } from '../errors';
import type { TaskShape, TaskSpec } from '../task-specs/types';
import type { ProxyType } from '../task-types/common';
import { fieldError, jsonTypeName, quoteValue } from './field-errors';
import type { JsonObject } from './keys';

/** The proxy protocols of `proxyType`. */
export const PROXY_TYPES: readonly ProxyType[] = ['http', 'https', 'socks4', 'socks5'];

const PROXY_FIELDS = ['proxyType', 'proxyAddress', 'proxyPort', 'proxyLogin', 'proxyPassword'];
const CORE_FIELDS = ['proxyType', 'proxyAddress', 'proxyPort'] as const;
const CORE_LIST = 'task.proxyType, task.proxyAddress and task.proxyPort';

/**
 * Applies the proxy rules to a task copy. Types without a caller proxy lose their proxy fields.
 * Other types get either all of type, address and port or no proxy, and `required` types must
 * have one. Messages never contain the proxy login or password.
 */
export function applyProxyRules(
  task: JsonObject,
  spec: TaskSpec,
  shape: TaskShape,
  label: string,
): CaptaskError | undefined {
  if (spec.proxy === 'none') {
    if (shape.proxy === 'required') {
      return fieldError(
        'task.proxyType',
        `${label} needs your own proxy, but this type takes none; send type ${spec.canonicalType} with ${CORE_LIST}`,
        'ERROR_PROXY_MISSING',
      );
    }
    for (const field of PROXY_FIELDS) delete task[field];
    return undefined;
  }

  for (const field of PROXY_FIELDS) {
    if (task[field] === null || task[field] === '') delete task[field];
  }
  const presentFields = PROXY_FIELDS.filter((field) => Object.hasOwn(task, field));
  if (presentFields.length === 0) {
    if (shape.proxy !== 'required') return undefined;
    return fieldError('task.proxyType', `${CORE_LIST} are required for ${label}`);
  }

  for (const field of CORE_FIELDS) {
    if (!Object.hasOwn(task, field)) {
      return fieldError(`task.${field}`, `task.${field} is missing; a proxy needs ${CORE_LIST}`);
    }
  }
  return checkProxyValues(task);
}

function checkProxyValues(task: JsonObject): CaptaskError | undefined {
  const type = task.proxyType;
  const normalized = typeof type === 'string' ? type.toLowerCase() : undefined;
  if (normalized === undefined || !(PROXY_TYPES as readonly string[]).includes(normalized)) {
    const got = typeof type === 'string' ? quoteValue(type) : jsonTypeName(type);
    return fieldError(
      'task.proxyType',
      `task.proxyType must be one of ${PROXY_TYPES.join(', ')}, got ${got}`,
    );
  }
  task.proxyType = normalized;

  if (typeof task.proxyAddress !== 'string') {
    return fieldError('task.proxyAddress', 'task.proxyAddress must be a string (an IP address)');
  }
  const port = task.proxyPort;
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) {
    return fieldError('task.proxyPort', 'task.proxyPort must be an integer from 1 to 65535');
  }
  for (const field of ['proxyLogin', 'proxyPassword']) {
    if (Object.hasOwn(task, field) && typeof task[field] !== 'string') {
      return fieldError(`task.${field}`, `task.${field} must be a string`);
    }
  }
  // NOTE: proxyAddress is not checked further. The service rejects host names and local
  // addresses, but a self-hosted server may well use them, so that check is left to solvers.
  return undefined;
}
