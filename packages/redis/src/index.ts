export {
  createRedisAccounts,
  type RedisAccountEntry,
  type RedisAccounts,
  type RedisAccountsOptions,
} from './redis-accounts';
export { createRedisQueue, type RedisQueueOptions } from './redis-queue';
export { createRedisStore, type RedisStore, type RedisStoreOptions } from './redis-store';
