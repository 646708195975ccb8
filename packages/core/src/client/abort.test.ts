import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTime } from '../../test/client-fakes';
import { CaptaskError } from '../protocol/errors';
import { linkSignal, raceAbort, sleep } from './abort';

describe.each([
  ['with AbortSignal.any', false],
  ['without AbortSignal.any', true],
])('linkSignal %s', (_name, removeAny) => {
  const original = Object.getOwnPropertyDescriptor(AbortSignal, 'any');

  afterEach(() => {
    if (original !== undefined) Object.defineProperty(AbortSignal, 'any', original);
  });

  function link(caller: AbortSignal | undefined, timeoutMs: number) {
    if (removeAny)
      Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true });
    const time = createFakeTime();
    return { time, linked: linkSignal(caller, timeoutMs, time) };
  }

  it('follows the caller abort and its reason', () => {
    const caller = new AbortController();
    const { linked } = link(caller.signal, 1_000);

    caller.abort('stop');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('stop');
    expect(linked.timedOut()).toBe(false);
  });

  it('times out without aborting the caller', () => {
    const caller = new AbortController();
    const { linked, time } = link(caller.signal, 1_000);

    time.step();
    expect(linked.signal.aborted).toBe(true);
    expect(linked.timedOut()).toBe(true);
    expect(caller.signal.aborted).toBe(false);
  });

  it('starts aborted when the caller already is', () => {
    const caller = new AbortController();
    caller.abort('early');
    const { linked } = link(caller.signal, 1_000);

    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('early');
  });

  it('clears its timer on dispose', () => {
    const { linked, time } = link(undefined, 1_000);

    linked.dispose();
    expect(time.pending).toBe(0);
    expect(linked.signal.aborted).toBe(false);
  });
});

describe('linkSignal fallback', () => {
  it('detaches from the caller on dispose', () => {
    const original = Object.getOwnPropertyDescriptor(AbortSignal, 'any');
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true });
    try {
      const caller = new AbortController();
      const time = createFakeTime();
      const linked = linkSignal(caller.signal, 1_000, time);

      linked.dispose();
      caller.abort('after dispose');
      expect(linked.signal.aborted).toBe(false);
    } finally {
      if (original !== undefined) Object.defineProperty(AbortSignal, 'any', original);
    }
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const time = createFakeTime();
    await time.run(sleep(250, { timers: time }));
    expect(time.now()).toBe(1_000_250);
  });

  it('clears its timer when aborted', async () => {
    const time = createFakeTime();
    const controller = new AbortController();
    const waiting = sleep(250, { timers: time, signal: controller.signal });

    controller.abort('bye');
    const error = (await waiting.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error).toBeInstanceOf(CaptaskError);
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(error.cause).toBe('bye');
    expect(time.pending).toBe(0);
  });
});

describe('raceAbort', () => {
  it('rejects with the reason when the signal aborts first', async () => {
    const controller = new AbortController();
    const racing = raceAbort(new Promise(() => {}), controller.signal);

    controller.abort('gone');
    await expect(racing).rejects.toBe('gone');
  });

  it('swallows a rejection that comes after the abort', async () => {
    const controller = new AbortController();
    controller.abort('first');
    const late = Promise.reject(new Error('late'));

    await expect(raceAbort(late, controller.signal)).rejects.toBe('first');
  });
});
