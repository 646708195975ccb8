/**
 * A discrete-event clock for simulated time: `setTimeout` queues a callback at a virtual
 * time, and `run` jumps from one due time to the next, letting promise chains settle in
 * between. Hours of polling run in well under a second, and the same inputs always give the
 * same figures.
 */

/**
 * @typedef {{ dueAt: number; seq: number; callback: () => void; cancelled: boolean }} Entry
 */

/**
 * Creates a virtual clock that implements the client's `ClientClock` and `ClientTimers`.
 * `touch()` marks activity from outside the timers (a simulated request), so that `run`
 * keeps letting promises settle while work is still in progress.
 *
 * @param {number} [startMs]
 */
export function createVirtualTime(startMs = 0) {
  let now = startMs;
  let seq = 0;
  let activity = 0;
  /** @type {Entry[]} */
  const heap = [];

  const clock = { now: () => now };
  const timers = {
    /** @param {() => void} callback @param {number} ms */
    setTimeout(callback, ms) {
      activity += 1;
      const entry = { dueAt: now + Math.max(0, ms), seq: seq++, callback, cancelled: false };
      push(heap, entry);
      return entry;
    },
    /** @param {unknown} handle */
    clearTimeout(handle) {
      activity += 1;
      if (handle && typeof handle === 'object') /** @type {Entry} */ (handle).cancelled = true;
    },
  };

  /** Lets promise chains and I/O-free macrotasks finish: waits until a turn brings no activity. */
  const settle = async () => {
    let before;
    do {
      before = activity;
      await new Promise((resolve) => setImmediate(resolve));
    } while (before !== activity);
  };

  /**
   * Runs until no timer is left, or until `done()` returns true. Every timer due at the
   * same instant runs in one batch, in the order it was set.
   *
   * @param {{ done?: () => boolean }} [options]
   */
  const run = async (options = {}) => {
    for (;;) {
      await settle();
      if (options.done?.()) return;
      while (heap.length > 0 && heap[0].cancelled) pop(heap);
      if (heap.length === 0) return;

      const dueAt = heap[0].dueAt;
      now = Math.max(now, dueAt);
      while (heap.length > 0 && heap[0].dueAt === dueAt) {
        const entry = pop(heap);
        if (!entry.cancelled) entry.callback();
      }
    }
  };

  return {
    clock,
    timers,
    run,
    touch: () => {
      activity += 1;
    },
    get pendingTimers() {
      return heap.filter((entry) => !entry.cancelled).length;
    },
  };
}

/** @param {Entry} a @param {Entry} b */
function before(a, b) {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

/** @param {Entry[]} heap @param {Entry} entry */
function push(heap, entry) {
  heap.push(entry);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!before(heap[index], heap[parent])) break;
    [heap[index], heap[parent]] = [heap[parent], heap[index]];
    index = parent;
  }
}

/** @param {Entry[]} heap @returns {Entry} */
function pop(heap) {
  const top = heap[0];
  const last = /** @type {Entry} */ (heap.pop());
  if (heap.length > 0) {
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
      if (smallest === index) break;
      [heap[index], heap[smallest]] = [heap[smallest], heap[index]];
      index = smallest;
    }
  }
  return top;
}
