import { defineConfig } from 'vitest/config';

// No source aliases here: the smoke test runs the app from the built packages, as users would.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
