import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../src/server/manual-clock';
import type { TaskOutcome } from '../src/server/types';
import type { WorkQueue } from '../src/worker/types';

export interface QueueFixture {
  queue: WorkQueue;
  /** A second handle on the same queue, as another server instance would have. */
  peer?: WorkQueue;
  cleanup(): Promise<void>;
}

/** Creates a queue for one test; `maxAttempts` is always 3. */
export type QueueFactory = (clock: ManualClock) => Promise<QueueFixture>;

const image = (taskId: number) => ({
  taskId,
  type: 'ImageToTextTask',
  task: { type: 'ImageToTextTask', body: `image-${taskId}` },
});
const token = (taskId: number) => ({
  taskId,
  type: 'TurnstileTask',
  task: { type: 'TurnstileTask', websiteKey: `key-${taskId}` },
});
const solved: TaskOutcome = { status: 'ready', solution: { text: 'abc' } };
const LEASE_MS = 30_000;

/**
 * The behaviour every WorkQueue must have, run against the memory queue and the Redis queue.
 * Time comes from a manual clock, so lease expiry needs no waiting.
 */
export function describeWorkQueue(name: string, factory: QueueFactory): void {
  describe(`${name} (WorkQueue contract)`, () => {
    let fixture: QueueFixture | undefined;
    let clock: ManualClock;

    async function setUp(): Promise<WorkQueue> {
      clock = createManualClock();
      fixture = await factory(clock);
      return fixture.queue;
    }

    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('claims jobs oldest first, up to max', async () => {
      const queue = await setUp();
      for (const id of [11, 12, 13]) await queue.enqueue(image(id));

      const first = await queue.claim({ types: ['ImageToTextTask'], max: 2, leaseMs: LEASE_MS });
      expect(first.leases.map((lease) => lease.taskId)).toEqual([11, 12]);
      expect(first.leases[0]?.task).toEqual(image(11).task);
      expect(first.leases[0]?.attempt).toBe(1);
      expect(first.leases[0]?.expiresAt).toBe(clock.now() + LEASE_MS);

      const second = await queue.claim({ types: ['ImageToTextTask'], max: 2, leaseMs: LEASE_MS });
      expect(second.leases.map((lease) => lease.taskId)).toEqual([13]);
    });

    it('claims only the requested types', async () => {
      const queue = await setUp();
      await queue.enqueue(image(21));
      await queue.enqueue(token(22));

      const tokens = await queue.claim({ types: ['TurnstileTask'], max: 5, leaseMs: LEASE_MS });
      expect(tokens.leases.map((lease) => lease.taskId)).toEqual([22]);
      const unknown = await queue.claim({ types: ['GeeTestTask'], max: 5, leaseMs: LEASE_MS });
      expect(unknown.leases).toEqual([]);
      const any = await queue.claim({ types: [], max: 5, leaseMs: LEASE_MS });
      expect(any.leases.map((lease) => lease.taskId)).toEqual([21]);
    });

    it('ignores a second enqueue of a job', async () => {
      const queue = await setUp();
      await queue.enqueue(image(31));
      await queue.enqueue(image(31));
      const claimed = await queue.claim({ types: [], max: 5, leaseMs: LEASE_MS });
      expect(claimed.leases).toHaveLength(1);
    });

    it('extends a current lease and rejects an expired one', async () => {
      const queue = await setUp();
      await queue.enqueue(image(41));
      const [lease] = (await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS })).leases;
      if (lease === undefined) throw new Error('no lease');

      clock.advance(20_000);
      expect(await queue.extend(lease.leaseId, LEASE_MS)).toBe(clock.now() + LEASE_MS);
      clock.advance(25_000);
      expect((await queue.getLease(lease.leaseId))?.taskId).toBe(41);

      clock.advance(5_000);
      expect(await queue.getLease(lease.leaseId)).toBeUndefined();
      expect(await queue.extend(lease.leaseId, LEASE_MS)).toBeUndefined();
    });

    it('hands an expired lease to the next claim', async () => {
      const queue = await setUp();
      await queue.enqueue(image(51));
      await queue.enqueue(image(52));
      const [first] = (await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS })).leases;
      if (first === undefined) throw new Error('no lease');

      clock.advance(LEASE_MS);
      const again = await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS });
      expect(again.leases[0]?.taskId).toBe(51);
      expect(again.leases[0]?.attempt).toBe(2);
      expect(again.leases[0]?.leaseId).not.toBe(first.leaseId);
      expect(again.failed).toEqual([]);
      expect(await queue.getLease(first.leaseId)).toBeUndefined();
    });

    it('fails a job after three expired leases', async () => {
      const queue = await setUp();
      await queue.enqueue(image(61));
      const waiting = queue.waitForOutcome(61, new AbortController().signal);

      for (let attempt = 1; attempt <= 3; attempt++) {
        const claimed = await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS });
        expect(claimed.leases[0]?.attempt).toBe(attempt);
        expect(claimed.failed).toEqual([]);
        clock.advance(LEASE_MS);
      }

      const last = await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS });
      expect(last.leases).toEqual([]);
      expect(last.failed).toHaveLength(1);
      expect(last.failed[0]?.taskId).toBe(61);
      expect(last.failed[0]?.outcome.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
      expect((await waiting).status).toBe('failed');
    });

    it('release returns a job without using an attempt', async () => {
      const queue = await setUp();
      await queue.enqueue(image(71));
      await queue.enqueue(image(72));
      const [lease] = (await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS })).leases;
      if (lease === undefined) throw new Error('no lease');

      expect(await queue.release(lease.leaseId)).toBe(true);
      expect(await queue.release(lease.leaseId)).toBe(false);
      const next = await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS });
      expect(next.leases[0]?.taskId).toBe(71);
      expect(next.leases[0]?.attempt).toBe(1);
    });

    it('finish removes the job and delivers the outcome', async () => {
      const queue = await setUp();
      await queue.enqueue(image(81));
      await queue.enqueue(image(82));
      const waiting = queue.waitForOutcome(81, new AbortController().signal);
      const [lease] = (await queue.claim({ types: [], max: 1, leaseMs: LEASE_MS })).leases;
      if (lease === undefined) throw new Error('no lease');

      expect(await queue.finish(81, solved)).toBe(true);
      expect(await waiting).toEqual(solved);
      expect(await queue.getLease(lease.leaseId)).toBeUndefined();
      // An outcome recorded before the wait starts is delivered too.
      expect(await queue.waitForOutcome(81, new AbortController().signal)).toEqual(solved);

      expect(await queue.finish(82, solved)).toBe(true);
      expect(await queue.finish(82, solved)).toBe(false);
      const rest = await queue.claim({ types: [], max: 5, leaseMs: LEASE_MS });
      expect(rest.leases).toEqual([]);
    });

    it('cancel removes a waiting job', async () => {
      const queue = await setUp();
      await queue.enqueue(image(91));
      expect(await queue.cancel(91)).toBe(true);
      expect(await queue.cancel(91)).toBe(false);
      expect((await queue.claim({ types: [], max: 5, leaseMs: LEASE_MS })).leases).toEqual([]);
    });

    it('waitForOutcome rejects on abort', async () => {
      const queue = await setUp();
      const controller = new AbortController();
      const waiting = queue.waitForOutcome(101, controller.signal);
      controller.abort(new Error('deadline'));
      await expect(waiting).rejects.toThrow('deadline');
    });

    it('never hands one job to two concurrent claims', async () => {
      const queue = await setUp();
      const ids = Array.from({ length: 60 }, (_, i) => 1_000 + i);
      for (const id of ids) await queue.enqueue(image(id));

      const queues = [queue, fixture?.peer ?? queue];
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          queues[i % 2]?.claim({ types: ['ImageToTextTask'], max: 5, leaseMs: LEASE_MS }),
        ),
      );
      const claimed = claims.flatMap((claim) => claim?.leases.map((lease) => lease.taskId) ?? []);
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed).size).toBe(60);
    });
  });
}
