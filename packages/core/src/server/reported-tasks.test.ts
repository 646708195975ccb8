import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock';
import { createReportedTasks } from './reported-tasks';

describe('createReportedTasks', () => {
  it('records a task once', () => {
    const reported = createReportedTasks(createManualClock(), 1_000);
    expect(reported.recordFirst(7)).toBe(true);
    expect(reported.recordFirst(7)).toBe(false);
    expect(reported.recordFirst(8)).toBe(true);
  });

  it('forgets a task after the TTL', () => {
    const clock = createManualClock();
    const reported = createReportedTasks(clock, 1_000);
    reported.recordFirst(7);
    clock.advance(999);
    expect(reported.recordFirst(7)).toBe(false);
    clock.advance(1);
    expect(reported.recordFirst(7)).toBe(true);
  });

  it('drops the oldest beyond maxEntries', () => {
    const reported = createReportedTasks(createManualClock(), 60_000, 2);
    reported.recordFirst(1);
    reported.recordFirst(2);
    reported.recordFirst(3);
    expect(reported.recordFirst(3)).toBe(false);
    expect(reported.recordFirst(1)).toBe(true);
  });
});
