import { describe, expectTypeOf, test } from 'vitest';
import type {
  AmazonCookieSolution,
  AmazonSolution,
  ComplexImageGridSolution,
  DataDomeSolution,
  GeeTestSolution,
  GeeTestV4Solution,
  RecaptchaSolution,
  SolutionOf,
  SolutionOfTask,
  Task,
  TaskOf,
  TaskType,
  TurnstileClearanceSolution,
  TurnstileTokenSolution,
} from './task-types';

// These checks run in `tsc -p tsconfig.test.json`; at run time they only need to load.
describe('task types', () => {
  test('aliases share solutions', () => {
    expectTypeOf<SolutionOf<'NoCaptchaTask'>>().toEqualTypeOf<RecaptchaSolution>();
    expectTypeOf<SolutionOf<'RecaptchaV2TaskProxyless'>>().toEqualTypeOf<RecaptchaSolution>();
    expectTypeOf<SolutionOf<'GeeTestTaskProxyless'>>().toEqualTypeOf<GeeTestSolution>();
    expectTypeOf<SolutionOf<'AmazonTask'>>().toEqualTypeOf<AmazonSolution>();
  });

  test('variants narrow solutions', () => {
    type V4 = { type: 'GeeTestTask'; websiteURL: string; gt: string; version: '4' };
    expectTypeOf<SolutionOfTask<V4>>().toEqualTypeOf<GeeTestV4Solution>();

    type Clearance = TaskOf<'TurnstileTask'> & { cloudflareTaskType: 'cf_clearance' };
    expectTypeOf<SolutionOfTask<Clearance>>().toEqualTypeOf<TurnstileClearanceSolution>();

    type Widget = { type: 'TurnstileTask'; websiteURL: string; websiteKey: string };
    expectTypeOf<SolutionOfTask<Widget>>().toEqualTypeOf<TurnstileTokenSolution>();

    type DataDome = Extract<TaskOf<'CustomTask'>, { class: 'DataDome' }>;
    expectTypeOf<SolutionOfTask<DataDome>>().toEqualTypeOf<DataDomeSolution>();

    type Grid = Extract<TaskOf<'ComplexImageTask'>, { class: 'recaptcha' }>;
    expectTypeOf<SolutionOfTask<Grid>>().toEqualTypeOf<ComplexImageGridSolution>();

    type Cookie = { type: 'AmazonTask'; cookieSolution: true };
    expectTypeOf<SolutionOfTask<Cookie>>().toEqualTypeOf<AmazonCookieSolution>();
  });

  test('solutions keep unknown fields', () => {
    expectTypeOf<SolutionOf<'ImageToTextTask'>['anything']>().toEqualTypeOf<unknown>();
  });

  test('tasks are JSON records', () => {
    expectTypeOf<Task>().toExtend<Record<string, unknown> & { type: TaskType }>();
  });

  test('valid task shapes', () => {
    const v2: Task = { type: 'NoCaptchaTask', websiteURL: 'https://example.com/', websiteKey: 'k' };
    const geeTest: TaskOf<'GeeTestTask'> = {
      type: 'GeeTestTask',
      websiteURL: 'https://example.com/',
      gt: 'g',
      version: '4',
    };

    const clearance: TaskOf<'TurnstileTask'> = {
      type: 'TurnstileTask',
      cloudflareTaskType: 'cf_clearance',
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
      htmlPageBase64: 'h',
      userAgent: 'UA',
      proxyType: 'http',
      proxyAddress: '203.0.113.1',
      proxyPort: 80,
    };
    expectTypeOf([v2, geeTest, clearance]).toBeArray();
  });

  test('invalid task shapes', () => {
    // @ts-expect-error cf_clearance needs the caller's proxy.
    const noProxy: TaskOf<'TurnstileTask'> = {
      type: 'TurnstileTask',
      cloudflareTaskType: 'cf_clearance',
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
      htmlPageBase64: 'h',
      userAgent: 'UA',
    };

    const withProxy = {
      type: 'NoCaptchaTaskProxyless' as const,
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
      proxyType: 'http' as const,
      proxyAddress: '203.0.113.1',
      proxyPort: 80,
    };
    // @ts-expect-error Proxyless aliases carry no proxy fields.
    const proxyless: TaskOf<'NoCaptchaTaskProxyless'> = withProxy;

    // @ts-expect-error A proxy needs type, address and port together.
    const partial: TaskOf<'RecaptchaV2Task'> = {
      type: 'RecaptchaV2Task',
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
      proxyType: 'http',
    };

    // @ts-expect-error GeeTest v3 needs challenge.
    const v3: TaskOf<'GeeTestTask'> = {
      type: 'GeeTestTask',
      websiteURL: 'https://example.com/',
      gt: 'g',
    };
    expectTypeOf([noProxy, proxyless, partial, v3]).toBeArray();
  });
});
