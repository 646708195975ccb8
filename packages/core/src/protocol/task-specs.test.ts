import { describe, expect, test } from 'vitest';
import {
  CANONICAL_TASK_TYPES,
  canonicalTaskType,
  GEETEST_POLLING,
  IMAGE_POLLING,
  isImageTask,
  isTaskType,
  RECAPTCHA_POLLING,
  resolveTaskType,
  TASK_SPECS,
  TASK_TYPES,
  TOKEN_POLLING,
  taskClassOf,
  taskSpecOf,
} from './task-specs';
import type { TaskShape } from './task-specs/types';
import type { TaskType } from './task-types';

const ALIASES: Record<string, string> = {
  NoCaptchaTask: 'RecaptchaV2Task',
  NoCaptchaTaskProxyless: 'RecaptchaV2Task',
  RecaptchaV2TaskProxyless: 'RecaptchaV2Task',
  RecaptchaV2EnterpriseTaskProxyless: 'RecaptchaV2EnterpriseTask',
  HCaptchaTaskProxyless: 'HCaptchaTask',
  GeeTestTaskProxyless: 'GeeTestTask',
  FunCaptchaTaskProxyless: 'FunCaptchaTask',
  TurnstileTaskProxyless: 'TurnstileTask',
  AmazonTaskProxyless: 'AmazonTask',
  BinanceTaskProxyless: 'BinanceTask',
  ProsopoTaskProxyless: 'ProsopoTask',
};

/** Speed class per type by the documented rule: image types, then max solve time above 60 s. */
const CLASSES: Record<TaskType, 'image' | 'token' | 'slow'> = {
  ImageToTextTask: 'image',
  ComplexImageTask: 'image',
  RecaptchaV2Task: 'slow',
  NoCaptchaTask: 'slow',
  NoCaptchaTaskProxyless: 'slow',
  RecaptchaV2TaskProxyless: 'slow',
  RecaptchaV2EnterpriseTask: 'slow',
  RecaptchaV2EnterpriseTaskProxyless: 'slow',
  RecaptchaV3TaskProxyless: 'token',
  RecaptchaV3EnterpriseTask: 'token',
  HCaptchaTask: 'slow',
  HCaptchaTaskProxyless: 'slow',
  FunCaptchaTask: 'slow',
  FunCaptchaTaskProxyless: 'slow',
  GeeTestTask: 'token',
  GeeTestTaskProxyless: 'token',
  TurnstileTask: 'token',
  TurnstileTaskProxyless: 'token',
  AmazonTask: 'slow',
  AmazonTaskProxyless: 'slow',
  BinanceTask: 'slow',
  BinanceTaskProxyless: 'slow',
  ProsopoTask: 'slow',
  ProsopoTaskProxyless: 'slow',
  YidunTask: 'slow',
  MTCaptchaTask: 'slow',
  CustomTask: 'slow',
};

/** The official JS client's polling profile per type string; absent types have none. */
const POLLING: Partial<Record<TaskType, unknown>> = {
  RecaptchaV2Task: { ...RECAPTCHA_POLLING, clientTypeString: 'NoCaptchaTask' },
  NoCaptchaTask: RECAPTCHA_POLLING,
  NoCaptchaTaskProxyless: RECAPTCHA_POLLING,
  RecaptchaV2EnterpriseTask: RECAPTCHA_POLLING,
  RecaptchaV3TaskProxyless: RECAPTCHA_POLLING,
  RecaptchaV3EnterpriseTask: RECAPTCHA_POLLING,
  HCaptchaTask: RECAPTCHA_POLLING,
  HCaptchaTaskProxyless: RECAPTCHA_POLLING,
  FunCaptchaTask: TOKEN_POLLING,
  GeeTestTask: GEETEST_POLLING,
  TurnstileTask: TOKEN_POLLING,
  ImageToTextTask: IMAGE_POLLING,
  ComplexImageTask: IMAGE_POLLING,
  CustomTask: TOKEN_POLLING,
  AmazonTask: TOKEN_POLLING,
  BinanceTask: TOKEN_POLLING,
  ProsopoTask: TOKEN_POLLING,
  YidunTask: TOKEN_POLLING,
  MTCaptchaTask: TOKEN_POLLING,
};

describe('TASK_SPECS', () => {
  test('27 types, 16 current', () => {
    expect(TASK_TYPES).toHaveLength(27);
    expect(CANONICAL_TASK_TYPES).toHaveLength(16);
    expect(Object.keys(TASK_SPECS).sort()).toEqual([...TASK_TYPES].sort());
  });

  test('each spec names its own type', () => {
    for (const type of TASK_TYPES) expect(TASK_SPECS[type].type).toBe(type);
  });

  test.each(Object.entries(ALIASES))('%s is an alias of %s', (alias, canonical) => {
    const spec = TASK_SPECS[alias as TaskType];
    expect(spec.aliasOf).toBe(canonical);
    expect(spec.canonicalType).toBe(canonical);
    expect(spec.status).toBe('legacy');
    expect(canonicalTaskType(alias)).toBe(canonical);
  });

  test('current types map to themselves', () => {
    for (const type of CANONICAL_TASK_TYPES) {
      expect(TASK_SPECS[type].aliasOf).toBeUndefined();
      expect(canonicalTaskType(type)).toBe(type);
    }
  });

  test('proxyless aliases take no proxy', () => {
    for (const alias of Object.keys(ALIASES).filter((name) => name.endsWith('Proxyless'))) {
      expect(TASK_SPECS[alias as TaskType].proxy, alias).toBe('none');
    }
    expect(TASK_SPECS.NoCaptchaTask.proxy).toBe('optional');
  });

  test('proxy modes of current types', () => {
    const none = [
      'ImageToTextTask',
      'RecaptchaV3TaskProxyless',
      'RecaptchaV3EnterpriseTask',
      'ComplexImageTask',
    ];
    for (const type of CANONICAL_TASK_TYPES) {
      expect(TASK_SPECS[type].proxy, type).toBe(none.includes(type) ? 'none' : 'optional');
    }
  });

  test('required proxies by variant', () => {
    const custom = TASK_SPECS.CustomTask.variants ?? {};
    const required = Object.keys(custom).filter((key) => custom[key]?.proxy === 'required');
    expect(required.sort()).toEqual(['DataDome', 'HUNT', 'Imperva', 'tspd']);
    expect(TASK_SPECS.TurnstileTask.variants?.cf_clearance?.proxy).toBe('required');
    expect(TASK_SPECS.TurnstileTask.variants?.wait_room?.proxy).toBe('required');
    expect(TASK_SPECS.TurnstileTask.variants?.token?.proxy).toBe('optional');
  });

  test.each(TASK_TYPES)('%s client polling profile', (type) => {
    expect(TASK_SPECS[type].clientPolling).toEqual(POLLING[type] ?? null);
  });

  test('polling profile numbers', () => {
    expect(RECAPTCHA_POLLING).toEqual({
      firstRequestDelayMs: 1000,
      firstRequestNoCacheDelayMs: 10_000,
      requestsIntervalMs: 3000,
      timeoutMs: 180_000,
    });
    expect(IMAGE_POLLING).toEqual({
      firstRequestDelayMs: 350,
      firstRequestNoCacheDelayMs: null,
      requestsIntervalMs: 200,
      timeoutMs: 10_000,
    });
    expect(GEETEST_POLLING).toEqual({
      firstRequestDelayMs: 1000,
      firstRequestNoCacheDelayMs: null,
      requestsIntervalMs: 1000,
      timeoutMs: 80_000,
    });
    expect(TOKEN_POLLING).toEqual({
      firstRequestDelayMs: 1000,
      firstRequestNoCacheDelayMs: 10_000,
      requestsIntervalMs: 1000,
      timeoutMs: 80_000,
    });
  });

  test('variant discriminators', () => {
    expect(TASK_SPECS.CustomTask.discriminator).toBe('class');
    expect(TASK_SPECS.ComplexImageTask.discriminator).toBe('class');
    expect(TASK_SPECS.TurnstileTask.discriminator).toBe('cloudflareTaskType');
    expect(TASK_SPECS.GeeTestTask.discriminator).toBe('version');
    expect(TASK_SPECS.AmazonTask.discriminator).toBeNull();
    expect(Object.keys(TASK_SPECS.CustomTask.variants ?? {})).toHaveLength(10);
    expect(Object.keys(TASK_SPECS.ComplexImageTask.variants ?? {})).toHaveLength(4);
  });

  test('aliases share the variants of their type', () => {
    expect(TASK_SPECS.GeeTestTaskProxyless.variants).toBe(TASK_SPECS.GeeTestTask.variants);
    expect(TASK_SPECS.TurnstileTaskProxyless.variants).toBe(TASK_SPECS.TurnstileTask.variants);
    expect(TASK_SPECS.AmazonTaskProxyless.variants).toBe(TASK_SPECS.AmazonTask.variants);
  });

  const shapes = TASK_TYPES.flatMap((type) => {
    const spec = TASK_SPECS[type];
    const variants = Object.entries(spec.variants ?? {}).map(
      ([key, shape]) => [`${type}/${key}`, shape] as [string, TaskShape],
    );
    return [[type, spec] as [string, TaskShape], ...variants];
  });

  test.each(shapes)('%s is consistent', (_name, shape) => {
    const fields = { ...shape.required, ...shape.optional };
    for (const group of shape.requiredOneOf ?? []) {
      for (const field of group) expect(shape.optional).toHaveProperty([field]);
    }
    for (const field of shape.allowEmpty ?? []) expect(fields).toHaveProperty([field]);
    for (const [field, [min, max]] of Object.entries(shape.bounds ?? {})) {
      expect(fields).toHaveProperty([field]);
      expect(min).toBeLessThan(max);
    }
    if (shape.typicalSolveSeconds !== undefined) {
      const [min, max] = shape.typicalSolveSeconds;
      expect(min).toBeLessThan(max);
    }
  });

  test('recognition tasks list', () => {
    const recognition = TASK_SPECS.ComplexImageTask.variants?.recognition;
    expect(Object.keys(recognition?.recognitionTasks ?? {})).toEqual([
      'oocl_rotate_new',
      'oocl_rotate_double_new',
      'betpunch_3x3_rotate',
      'bls_3x3',
      'shein',
      'baidu',
      'bills_audio',
      'dli',
    ]);
    expect(recognition?.recognitionTasks?.shein?.answerType).toBe('Coordinate');
  });
});

describe('type helpers', () => {
  test.each(TASK_TYPES)('taskClassOf(%s)', (type) => {
    expect(taskClassOf(type)).toBe(CLASSES[type]);
  });

  test('unknown types are slow', () => {
    expect(taskClassOf('SomethingNew')).toBe('slow');
  });

  test('isImageTask', () => {
    expect(isImageTask('ImageToTextTask')).toBe(true);
    expect(isImageTask('ComplexImageTask')).toBe(true);
    expect(isImageTask('RecaptchaV2Task')).toBe(false);
    expect(isImageTask('nope')).toBe(false);
  });

  test('resolveTaskType ignores letter case', () => {
    expect(resolveTaskType('GeeTestTaskProxyLess')).toBe('GeeTestTaskProxyless');
    expect(resolveTaskType('nocaptchatask')).toBe('NoCaptchaTask');
    expect(resolveTaskType('NoSuchTask')).toBeUndefined();
  });

  test('isTaskType is exact', () => {
    expect(isTaskType('NoCaptchaTask')).toBe(true);
    expect(isTaskType('nocaptchatask')).toBe(false);
    expect(isTaskType('toString')).toBe(false);
    expect(isTaskType(42)).toBe(false);
  });

  test('taskSpecOf and canonicalTaskType of unknown types', () => {
    expect(taskSpecOf('constructor')).toBeUndefined();
    expect(canonicalTaskType('__proto__')).toBeUndefined();
    expect(taskSpecOf('turnstiletask')?.type).toBe('TurnstileTask');
  });
});
