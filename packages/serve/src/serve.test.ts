import { createSandboxSolver } from '@captask/core/server';
import { describe, expect, it } from 'vitest';
import { serve } from './serve';

// Deno and Bun start real servers in tests/runtimes; Node has neither global.
describe('serve', () => {
  it('rejects on Node with the alternatives', async () => {
    const started = serve({ clientKeys: ['key'], solvers: createSandboxSolver(), port: 0 });

    await expect(started).rejects.toThrow(/only under Deno or Bun.*@captask\/node/);
  });
});
