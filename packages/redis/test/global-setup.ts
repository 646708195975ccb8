import type { TestProject } from 'vitest/node';
import { startTestRedis } from './redis-server';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisSkipReason: string;
  }
}

/** Provides one Redis URL to every test file and stops a Redis started here afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startTestRedis();
  if (!redis.url) console.warn(`Redis tests are skipped: ${redis.reason}.`);
  project.provide('redisUrl', redis.url);
  project.provide('redisSkipReason', redis.reason);
  return () => redis.stop();
}
