import { CaptaskError } from '../protocol/errors';
import type { SolutionFields, TaskShape, TaskSpec } from '../protocol/task-specs';
import { taskSpecOf } from '../protocol/task-specs';

/** Inputs of the fake-solution builder. */
export interface SandboxSolutionContext {
  /** Returns a number in [0, 1). */
  random: () => number;
  /** Milliseconds since the Unix epoch. */
  now: number;
}

const SANDBOX_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Builds a fake solution with every required solution field of the task's spec, in the shape
 * of the task's variant: GeeTest v3 or v4 fields, Turnstile `token` or `cf_clearance`, Amazon
 * cookies or voucher by `cookieSolution`, and a ComplexImageTask answer sized to the grid or
 * the image count. Strings start with `sandbox` so nobody mistakes them for real tokens.
 */
export function buildSandboxSolution(
  task: Record<string, unknown> & { type: string },
  context: SandboxSolutionContext,
): Record<string, unknown> {
  const spec = taskSpecOf(task.type);
  if (spec === undefined) {
    throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
      description: `The sandbox solver has no spec for task type ${task.type}.`,
    });
  }
  const fields = solutionFieldsOf(spec, task);
  const solution: Record<string, unknown> = {};
  for (const [path, type] of Object.entries(fields)) {
    setPath(solution, resolvePath(path, task), fakeValue(path, type, task, context));
  }
  return solution;
}

function solutionFieldsOf(spec: TaskSpec, task: Record<string, unknown>): SolutionFields {
  if (spec.canonicalType === 'AmazonTask') {
    return task.cookieSolution === true
      ? spec.solution
      : (spec.solutionAlternatives?.[0] ?? spec.solution);
  }
  const variant = variantOf(spec, task);
  return variant?.solution ?? spec.solution;
}

function variantOf(spec: TaskSpec, task: Record<string, unknown>): TaskShape | undefined {
  if (spec.variants === undefined || typeof spec.discriminator !== 'string') return undefined;
  const value = task[spec.discriminator];
  const key = value === undefined || value === null ? spec.defaultVariant : String(value);
  if (key === undefined) return undefined;
  const match = Object.keys(spec.variants).find((name) => name.toLowerCase() === key.toLowerCase());
  return match === undefined ? undefined : spec.variants[match];
}

/** Replaces `*` segments: the first names the task's domain, a later one a cookie name. */
function resolvePath(path: string, task: Record<string, unknown>): string[] {
  let wildcards = 0;
  return path.split('.').map((segment) => {
    if (segment !== '*') return segment;
    wildcards++;
    return wildcards === 1 ? domainOf(task.websiteURL) : 'sandbox_cookie';
  });
}

function domainOf(url: unknown): string {
  if (typeof url !== 'string') return 'example.com';
  try {
    return new URL(url).hostname || 'example.com';
  } catch {
    return 'example.com';
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((segment) => {
    const next = node[segment];
    if (typeof next === 'object' && next !== null) {
      node = next as Record<string, unknown>;
      return;
    }
    const created: Record<string, unknown> = {};
    node[segment] = created;
    node = created;
  });
  node[path[path.length - 1] ?? 'value'] = value;
}

function fakeValue(
  path: string,
  type: string,
  task: Record<string, unknown>,
  context: SandboxSolutionContext,
): unknown {
  const name = path.split('.').pop() ?? path;
  const metadata = (task.metadata ?? {}) as Record<string, unknown>;
  if (name === 'answer') return fakeAnswer(task, metadata, context);
  if (name === 'AnswerType') return answerTypeOf(task, metadata);
  if (name === 'userAgent' || name === 'User-Agent') {
    return typeof task.userAgent === 'string' ? task.userAgent : SANDBOX_USER_AGENT;
  }
  if (name === 'text') return fakeText(task, context);
  if (name === 'gRecaptchaResponse') return randomToken(context, 560);
  if (name === 'challenge' && typeof task.challenge === 'string') return task.challenge;
  if (name === 'captcha_id' && typeof task.gt === 'string') return task.gt;
  if (name === 'gen_time') return String(Math.floor(context.now / 1000));
  const base = type.split('|')[0] ?? 'string';
  if (base === 'integer') return Math.floor(context.random() * 1_000_000);
  if (base === 'number') return Math.round(context.random() * 1000) / 1000;
  if (base === 'boolean') return true;
  if (base === 'array<string>') return [randomToken(context, 48)];
  if (base === 'object') return {};
  return randomToken(context, 48);
}

function fakeText(task: Record<string, unknown>, context: SandboxSolutionContext): string {
  const digitsOnly = task.numeric === 1 || task.numeric === true || task.math === true;
  const alphabet = digitsOnly ? '0123456789' : 'abcdefghkmnpqrstuvwxyz23456789';
  let text = '';
  for (let i = 0; i < 6; i++) text += alphabet[Math.floor(context.random() * alphabet.length)];
  return text;
}

/**
 * Builds the token from an array: appending one character at a time makes a chain of about
 * 40 string pieces, which a stored result would keep for its whole lifetime.
 */
function randomToken(context: SandboxSolutionContext, length: number): string {
  const prefix = 'sandbox_';
  const characters: string[] = [prefix];
  for (let i = prefix.length; i < length; i++) {
    characters.push(ALPHABET[Math.floor(context.random() * ALPHABET.length)] as string);
  }
  return characters.join('');
}

function answerTypeOf(task: Record<string, unknown>, metadata: Record<string, unknown>): string {
  if (String(task.class).toLowerCase() !== 'recognition') return 'Grid';
  const spec = taskSpecOf('ComplexImageTask')?.variants?.recognition;
  const known = spec?.recognitionTasks?.[String(metadata.Task)];
  return known?.answerType ?? 'NumericArray';
}

/** A grid answer has one boolean per tile: rows x columns of `metadata.Grid`, else one per image. */
function fakeAnswer(
  task: Record<string, unknown>,
  metadata: Record<string, unknown>,
  context: SandboxSolutionContext,
): unknown {
  const answerType = answerTypeOf(task, metadata);
  const images = Array.isArray(task.imagesBase64)
    ? task.imagesBase64.length
    : Array.isArray(task.imageUrls)
      ? task.imageUrls.length
      : 1;
  if (answerType === 'NumericArray') return [Math.floor(context.random() * 360)];
  if (answerType === 'Coordinate')
    return [{ X: Math.floor(context.random() * 300), Y: Math.floor(context.random() * 300) }];
  if (answerType === 'Text') return String(Math.floor(context.random() * 10));
  const grid = /^(\d+)x(\d+)$/.exec(String(metadata.Grid ?? ''));
  const tiles = grid === null ? images : Number(grid[1]) * Number(grid[2]);
  const count = tiles > 1 ? tiles : images;
  return Array.from({ length: count }, () => context.random() < 0.35);
}
