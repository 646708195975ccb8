import { describeWorkQueue } from '../../test/work-queue-contract';
import { createMemoryQueue } from './memory-queue';

describeWorkQueue('createMemoryQueue', async (clock) => ({
  queue: createMemoryQueue({ clock, maxAttempts: 3 }),
  cleanup: async () => undefined,
}));
