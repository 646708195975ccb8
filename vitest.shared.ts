import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Maps workspace package names to their TypeScript sources, so tests run against the
 * current code without a build. Longer subpaths come first because Vite matches in order.
 */
export const sourceAliases: { find: string | RegExp; replacement: string }[] = [
  { find: /^@captask\/core\/client$/, replacement: `${root}packages/core/src/client/index.ts` },
  { find: /^@captask\/core\/server$/, replacement: `${root}packages/core/src/server/index.ts` },
  { find: /^@captask\/core\/protocol$/, replacement: `${root}packages/core/src/protocol/index.ts` },
  { find: /^@captask\/core\/worker$/, replacement: `${root}packages/core/src/worker/index.ts` },
  { find: /^@captask\/core\/gateway$/, replacement: `${root}packages/core/src/gateway/index.ts` },
  { find: /^@captask\/core$/, replacement: `${root}packages/core/src/index.ts` },
  { find: /^@captask\/node$/, replacement: `${root}packages/node/src/index.ts` },
  { find: /^@captask\/express$/, replacement: `${root}packages/express/src/index.ts` },
  { find: /^@captask\/hono$/, replacement: `${root}packages/hono/src/index.ts` },
  { find: /^@captask\/serve$/, replacement: `${root}packages/serve/src/index.ts` },
  { find: /^@captask\/redis$/, replacement: `${root}packages/redis/src/index.ts` },
];
