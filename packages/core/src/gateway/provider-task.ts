import { CaptaskError, fromServerErrorCode, isCaptaskError } from '../protocol/errors';
import { canonicalTaskType } from '../protocol/task-specs';
import type { CanonicalTaskType } from '../protocol/task-types';
import type { ProviderProfile } from './providers';

const PROXY_FIELDS = ['proxyType', 'proxyAddress', 'proxyPort', 'proxyLogin', 'proxyPassword'];

/**
 * Rewrites a validated task (canonical field names, any accepted type string) into the form
 * a provider expects: its type string, renamed fields, extra fields and proxy format. Throws
 * ERROR_TASK_NOT_SUPPORTED when the provider has no equivalent type.
 *
 * @example
 * toProviderTask(PROVIDERS.capsolver, { type: 'RecaptchaV2Task', websiteURL, websiteKey });
 * // { type: 'ReCaptchaV2TaskProxyLess', websiteURL, websiteKey }
 */
export function toProviderTask(
  profile: ProviderProfile,
  task: Record<string, unknown> & { type: string },
): Record<string, unknown> & { type: string } {
  const canonical = canonicalTaskType(task.type) ?? (task.type as CanonicalTaskType);
  const mapping = profile.types[canonical];
  if (mapping === undefined) {
    throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
      description: `The upstream provider ${profile.name} has no task type for ${canonical}.`,
    });
  }

  const hasProxy = typeof task.proxyAddress === 'string' && task.proxyAddress !== '';
  if (hasProxy && mapping.proxy === undefined) {
    throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
      description: `The upstream provider ${profile.name} takes no proxy for ${canonical}; send the task without proxy fields.`,
    });
  }

  const result: Record<string, unknown> = {};
  const renamed: Array<[string, unknown]> = [];
  for (const [field, value] of Object.entries(task)) {
    if (field === 'type' || PROXY_FIELDS.includes(field)) continue;
    const target = mapping.renames?.[field];
    if (target === undefined) result[field] = value;
    else renamed.push([target, value]);
  }
  // Renamed fields go last, so that a target such as `metadata.action` extends a `metadata`
  // object the task already has instead of being overwritten by it.
  for (const [path, value] of renamed) setPath(result, path, value);
  Object.assign(result, mapping.extraFields);
  if (hasProxy) addProxy(result, task, profile.proxyStyle);
  const type = hasProxy ? (mapping.proxy ?? mapping.proxyless) : mapping.proxyless;
  return { type, ...result };
}

/**
 * Translates an upstream error code that the provider names differently into our catalogue
 * code, keeping the upstream description. Other errors pass through unchanged.
 */
export function fromProviderError(profile: ProviderProfile, error: unknown): unknown {
  if (!isCaptaskError(error)) return error;
  const upstreamCode = error.serverErrorCode ?? error.code;
  const mapped = profile.errorCodes[upstreamCode];
  if (mapped === undefined) return error;
  return fromServerErrorCode(mapped, {
    description: `${error.description} (upstream code ${upstreamCode})`,
    method: error.method,
    taskId: error.taskId,
    status: error.status,
    cause: error,
  });
}

function addProxy(
  result: Record<string, unknown>,
  task: Record<string, unknown>,
  style: ProviderProfile['proxyStyle'],
): void {
  if (style === 'fields') {
    for (const field of PROXY_FIELDS) {
      if (task[field] !== undefined) result[field] = task[field];
    }
    return;
  }
  // One URL, `type://login:password@host:port`, which also carries IPv6 hosts and any
  // character in the credentials.
  const address = String(task.proxyAddress);
  const host = address.includes(':') ? `[${address}]` : address;
  const login = typeof task.proxyLogin === 'string' ? task.proxyLogin : '';
  const password = typeof task.proxyPassword === 'string' ? task.proxyPassword : '';
  const credentials =
    login === '' && password === ''
      ? ''
      : `${encodeURIComponent(login)}:${encodeURIComponent(password)}@`;
  result.proxy = `${String(task.proxyType)}://${credentials}${host}:${String(task.proxyPort)}`;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    const child: Record<string, unknown> =
      typeof next === 'object' && next !== null && !Array.isArray(next)
        ? { ...(next as Record<string, unknown>) }
        : {};
    node[part] = child;
    node = child;
  }
  node[parts[parts.length - 1] as string] = value;
}
