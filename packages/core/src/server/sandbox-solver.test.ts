import { describe, expect, it } from 'vitest';
import { CaptaskError } from '../protocol/errors';
import { type SolutionFields, TASK_SPECS, TASK_TYPES, type TaskSpec } from '../protocol/task-specs';
import { createManualClock } from './manual-clock';
import { createSandboxSolver } from './sandbox-solver';

type TaskInput = Record<string, unknown> & { type: string };

/** Builds one task per type, and one per variant for multiplexed types. */
function sampleTasks(): Array<{ name: string; task: TaskInput; fields: SolutionFields }> {
  const samples: Array<{ name: string; task: TaskInput; fields: SolutionFields }> = [];
  for (const type of TASK_TYPES) {
    const spec: TaskSpec = TASK_SPECS[type];
    const base: TaskInput = {
      type,
      websiteURL: 'https://shop.example.test/login',
      websiteKey: 'site-key',
    };
    if (spec.canonicalType === 'AmazonTask') {
      samples.push({
        name: `${type} cookieSolution`,
        task: { ...base, cookieSolution: true },
        fields: spec.solution,
      });
      const voucher = spec.solutionAlternatives?.[0] ?? {};
      samples.push({
        name: `${type} voucher`,
        task: { ...base, cookieSolution: false },
        fields: voucher,
      });
      continue;
    }
    if (spec.variants === undefined || typeof spec.discriminator !== 'string') {
      samples.push({ name: type, task: base, fields: spec.solution });
      continue;
    }
    for (const [variant, shape] of Object.entries(spec.variants)) {
      const task = variant === '_default' ? base : { ...base, [spec.discriminator]: variant };
      samples.push({ name: `${type} ${variant}`, task, fields: shape.solution });
    }
  }
  return samples;
}

/** Values at a dotted path, where `*` matches every key of an object. */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  if (typeof value !== 'object' || value === null) return [];
  const [head = '', ...rest] = path;
  const record = value as Record<string, unknown>;
  const children = head === '*' ? Object.values(record) : [record[head]];
  return children.flatMap((child) => (child === undefined ? [] : valuesAt(child, rest)));
}

function matchesType(value: unknown, type: string): boolean {
  return type.split('|').some((alternative) => {
    if (alternative === 'string') return typeof value === 'string' && value.length > 0;
    if (alternative === 'integer') return Number.isInteger(value);
    if (alternative === 'number') return typeof value === 'number';
    if (alternative === 'boolean') return typeof value === 'boolean';
    if (alternative === 'object') return typeof value === 'object' && value !== null;
    if (alternative === 'null') return value === null;
    const element = /^array<(\w+)>$/.exec(alternative)?.[1];
    return (
      element !== undefined &&
      Array.isArray(value) &&
      value.every((item) => matchesType(item, element))
    );
  });
}

async function solveNow(task: TaskInput, latencyMs = 0): Promise<Record<string, unknown>> {
  const solver = createSandboxSolver({ latencyMs });
  return solver.solve(task, { taskId: 3_000_000_001, signal: new AbortController().signal });
}

describe('createSandboxSolver', () => {
  it.each(sampleTasks())('solves $name with the spec fields', async ({ task, fields }) => {
    expect(Object.keys(fields).length).toBeGreaterThan(0);
    const solution = await solveNow(task);
    for (const [path, type] of Object.entries(fields)) {
      const values = valuesAt(solution, path.split('.'));
      expect(values, path).not.toHaveLength(0);
      for (const value of values) expect(matchesType(value, type), `${path}: ${type}`).toBe(true);
    }
  });

  it('sizes the recaptcha grid answer', async () => {
    const task = {
      type: 'ComplexImageTask',
      class: 'recaptcha',
      metadata: { Grid: '4x4', Task: 'bus' },
    };
    const solution = await solveNow(task);
    expect(solution.answer).toHaveLength(16);
    expect((solution.answer as unknown[]).every((tile) => typeof tile === 'boolean')).toBe(true);
  });

  it('answers a 1x1 grid per image', async () => {
    const task = {
      type: 'ComplexImageTask',
      class: 'recaptcha',
      metadata: { Grid: '1x1', Task: 'bus' },
      imageUrls: Array.from({ length: 9 }, (_, i) => `https://img.example.test/${i}.png`),
    };
    expect((await solveNow(task)).answer).toHaveLength(9);
  });

  it('returns GeeTest v4 fields for version 4', async () => {
    const solution = await solveNow({
      type: 'GeeTestTask',
      websiteURL: 'https://a.test',
      gt: 'gt-1',
      version: 4,
    });
    expect(Object.keys(solution).sort()).toEqual(
      ['captcha_id', 'captcha_output', 'gen_time', 'lot_number', 'pass_token'].sort(),
    );
    expect(solution.captcha_id).toBe('gt-1');
  });

  it('returns cf_clearance in cookie mode', async () => {
    const task = {
      type: 'TurnstileTask',
      websiteURL: 'https://a.test',
      websiteKey: 'k',
      cloudflareTaskType: 'cf_clearance',
    };
    const solution = await solveNow(task);
    expect(typeof solution.cf_clearance).toBe('string');
    expect(solution.token).toBeUndefined();
  });

  it('returns digits for numeric image tasks', async () => {
    const solution = await solveNow({ type: 'ImageToTextTask', body: 'aGVsbG8=', numeric: 1 });
    expect(solution.text).toMatch(/^\d+$/);
  });

  it('makes reCAPTCHA tokens at least 500 bytes', async () => {
    const solution = await solveNow({
      type: 'NoCaptchaTask',
      websiteURL: 'https://a.test',
      websiteKey: 'k',
    });
    expect((solution.gRecaptchaResponse as string).length).toBeGreaterThanOrEqual(500);
  });

  it.each([
    [
      'websiteKey',
      {
        type: 'RecaptchaV2Task',
        websiteURL: 'https://a.test',
        websiteKey: 'sandbox-error-ERROR_PROXY_BANNED',
      },
      'ERROR_PROXY_BANNED',
    ],
    [
      'capMonsterModule',
      {
        type: 'ImageToTextTask',
        body: 'aGVsbG8=',
        capMonsterModule: 'sandbox-error-ERROR_CAPTCHA_UNSOLVABLE',
      },
      'ERROR_CAPTCHA_UNSOLVABLE',
    ],
    [
      'metadata.Task',
      {
        type: 'ComplexImageTask',
        class: 'recaptcha',
        metadata: { Grid: '3x3', Task: 'sandbox-error-ERROR_TOKEN_EXPIRED' },
      },
      'ERROR_TOKEN_EXPIRED',
    ],
    [
      'an unknown code',
      { type: 'TurnstileTask', websiteURL: 'https://a.test', websiteKey: 'sandbox-error-NOPE' },
      'ERROR_CAPTCHA_UNSOLVABLE',
    ],
    [
      'CAPTCHA_NOT_READY',
      {
        type: 'TurnstileTask',
        websiteURL: 'https://a.test',
        websiteKey: 'sandbox-error-CAPTCHA_NOT_READY',
      },
      'ERROR_CAPTCHA_UNSOLVABLE',
    ],
  ])('fails on %s error input', async (_, task, code) => {
    const failure = await solveNow(task).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CaptaskError);
    expect((failure as CaptaskError).code).toBe(code);
  });

  it('explains an unknown error code', async () => {
    const task = {
      type: 'TurnstileTask',
      websiteURL: 'https://a.test',
      websiteKey: 'sandbox-error-NOPE',
    };
    const failure = (await solveNow(task).catch((error: unknown) => error)) as CaptaskError;
    expect(failure.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(failure.description).toMatch(/^No protocol error code is named "NOPE", so the sandbox/);
    expect(failure.description).toMatch(/write sandbox-error- followed by a protocol error code/);
  });

  it('waits the latency on injected timers', async () => {
    const clock = createManualClock();
    const solver = createSandboxSolver({
      latencyMs: (task) => (task.type === 'ImageToTextTask' ? 1_000 : 3_000),
      timers: clock,
      clock,
    });
    let solved = false;
    const solving = solver
      .solve(
        { type: 'ImageToTextTask', body: 'aGVsbG8=' },
        { taskId: 1, signal: new AbortController().signal },
      )
      .then(() => {
        solved = true;
      });
    clock.advance(999);
    await Promise.resolve();
    expect(solved).toBe(false);
    clock.advance(1);
    await solving;
    expect(solved).toBe(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = createManualClock();
    const solver = createSandboxSolver({ latencyMs: 60_000, timers: clock });
    const controller = new AbortController();
    const solving = solver.solve(
      { type: 'ImageToTextTask', body: 'aGVsbG8=' },
      { taskId: 1, signal: controller.signal },
    );
    controller.abort(new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', { description: 'deadline' }));
    await expect(solving).rejects.toMatchObject({ description: 'deadline' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('uses the class latency by default', async () => {
    const clock = createManualClock();
    const solver = createSandboxSolver({ timers: clock });
    let solved = false;
    const solving = solver
      .solve(
        { type: 'TurnstileTask', websiteURL: 'https://a.test', websiteKey: 'k' },
        { taskId: 1, signal: new AbortController().signal },
      )
      .then(() => {
        solved = true;
      });
    clock.advance(2_999);
    await Promise.resolve();
    expect(solved).toBe(false);
    clock.advance(1);
    await solving;
    expect(solved).toBe(true);
  });
});
