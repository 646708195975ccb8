import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeReport } from '../fixtures/runtime-check';
import { bundleScript, removeBundle } from '../src/bundle';
import { runScript } from '../src/run-script';
import type { ProcessRuntime } from '../src/runtimes';
import { startWorker } from '../src/workerd';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Removes the runtime's name, the only field allowed to differ, from a report. */
function portable(report: RuntimeReport): Omit<RuntimeReport, 'runtime'> {
  const { runtime: _runtime, ...rest } = report;
  return rest;
}

// Bundled once from the TypeScript sources and once from the packages' built ESM `dist`, which
// is what npm users get: an import of a Node built-in module in either fails the bundle.
describe.each([
  { from: 'sources', useBuiltPackages: false },
  { from: 'built dist', useBuiltPackages: true },
])('same client and server in every runtime, from $from', ({ useBuiltPackages }) => {
  let cliBundle = '';
  let workerBundle = '';
  let nodeReport: RuntimeReport;

  beforeAll(async () => {
    cliBundle = await bundleScript({ entry: fixture('check-cli.ts'), useBuiltPackages });
    workerBundle = await bundleScript({ entry: fixture('check-worker.ts'), useBuiltPackages });
    nodeReport = JSON.parse(await runScript('node', cliBundle)) as RuntimeReport;
  });

  afterAll(async () => {
    await removeBundle(cliBundle);
    await removeBundle(workerBundle);
  });

  it('node report has the expected outcomes', () => {
    expect(nodeReport.runtime).toBe('node');
    expect(nodeReport.image.taskIdIsPositive).toBe(true);
    expect(nodeReport.image.polled).toBe(true);
    expect(nodeReport.image.solution.text).toEqual(expect.any(String));
    expect(nodeReport.turnstile.solution.token).toEqual(expect.any(String));
    expect(nodeReport.balance).toEqual(expect.any(Number));
    expect(nodeReport.failedTask).toEqual({
      name: 'CaptaskError',
      code: 'ERROR_CAPTCHA_UNSOLVABLE',
      instanceOfCaptaskError: true,
      isCaptaskError: true,
    });
    expect(nodeReport.unknownKey).toEqual({
      name: 'CaptaskError',
      code: 'ERROR_KEY_DOES_NOT_EXIST',
      instanceOfCaptaskError: true,
      isCaptaskError: true,
      messageHidesKey: true,
    });
    expect(nodeReport.invalidJson).toMatchObject({ errorId: 1, errorCode: expect.any(String) });
  });

  it.each<ProcessRuntime>(['bun', 'deno'])('%s matches node', async (runtime) => {
    const report = JSON.parse(await runScript(runtime, cliBundle)) as RuntimeReport;

    expect(report.runtime).toBe(runtime);
    expect(portable(report)).toEqual(portable(nodeReport));
  });

  it('workerd matches node', async () => {
    const worker = await startWorker({ scriptPath: workerBundle });
    try {
      const response = await worker.dispatchFetch('http://127.0.0.1/');
      const report = (await response.json()) as RuntimeReport;

      expect(report.runtime).toBe('workerd');
      expect(portable(report)).toEqual(portable(nodeReport));
    } finally {
      await worker.dispose();
    }
  });
});
