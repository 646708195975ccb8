import { defaultSchedule } from '@captask/core/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleSchedule } from '../src/http/http-clients.mjs';
import { benchTask, drawSolveTimesMs, TASK_CLASSES } from '../src/scenarios.mjs';
import { officialTimeouts, replayOfficialSolve } from '../src/sim/official-schedule.mjs';
import { renderPollingSimulation } from '../src/sim/polling-report.mjs';
import { runPollingSimulation } from '../src/sim/polling-sim.mjs';
import { runOurClient } from '../src/sim/run-clients.mjs';
import { evaluateSchedule } from '../src/sim/schedule-search.mjs';

type Simulation = Awaited<ReturnType<typeof runPollingSimulation>>;

const COUNT = 100;
let simulation: Simulation;

beforeAll(async () => {
  simulation = await runPollingSimulation({ count: COUNT });
});

function allTypes(): Simulation['classes'][number]['types'] {
  return simulation.classes.flatMap((entry) => entry.types);
}

describe('polling simulation', () => {
  it('covers every class and type', () => {
    expect(simulation.classes.map((entry) => entry.name)).toEqual(
      TASK_CLASSES.map((entry) => entry.name),
    );
    for (const [index, entry] of simulation.classes.entries()) {
      expect(entry.types.map((type) => type.type)).toEqual(TASK_CLASSES[index]?.types);
      expect(entry.pair.ours.tasks).toBe(COUNT * entry.types.length);
      for (const type of entry.types) {
        expect(type.ours).toHaveLength(COUNT);
        expect(type.official).toHaveLength(COUNT);
      }
    }
  });

  it('never sends more than 120 requests per task', () => {
    for (const type of allTypes()) {
      expect(Math.max(...type.ours.map((outcome) => outcome.requests))).toBeLessThanOrEqual(120);
      expect(Math.max(...type.official.map((outcome) => outcome.requests))).toBeLessThanOrEqual(
        120,
      );
      expect(type.pair.ours.requestsMax).toBeLessThanOrEqual(120);
    }
  });

  it('sends fewer requests than the official schedule', () => {
    for (const type of allTypes()) {
      expect(type.pair.ours.requestsMean, type.type).toBeLessThanOrEqual(
        type.pair.official.requestsMean,
      );
    }
    for (const entry of simulation.classes) {
      expect(entry.pair.ours.requestsMean, entry.name).toBeLessThanOrEqual(
        entry.pair.official.requestsMean,
      );
    }
  });

  it('long polling beats the official figures', () => {
    for (const type of allTypes()) {
      const { ours, official } = type.longPoll.pair;

      expect(ours.requestsMax, type.type).toBeLessThanOrEqual(120);
      expect(ours.requestsMean, type.type).toBeLessThan(official.requestsMean);
      expect(ours.delayMeanMs, type.type).toBeLessThanOrEqual(official.delayMeanMs);
      expect(ours.delayP95Ms, type.type).toBeLessThanOrEqual(official.delayP95Ms);
    }
  });

  it('learns of solved tasks at or after they are ready', () => {
    for (const type of allTypes()) {
      for (const outcome of [...type.ours, ...type.longPoll.ours, ...type.official]) {
        if (outcome.timedOut) {
          expect(outcome.learnedAfterMs).toBeUndefined();
        } else {
          expect(outcome.learnedAfterMs).toBeGreaterThanOrEqual(0);
          expect(outcome.requests).toBeGreaterThanOrEqual(1);
        }
      }
    }
  });

  it('bounds the official schedule by the frontier', () => {
    for (const type of allTypes()) {
      if (type.pair.official.timeouts > 0) continue;
      expect(type.frontier.requestsAtDelay, type.type).toBeLessThanOrEqual(
        type.pair.official.requestsMean + 1e-9,
      );
    }
  });

  it('checks every suggestion on held-out draws', () => {
    for (const fix of simulation.fixes) {
      expect(fix.holdoutPair.ours.tasks).toBe(COUNT);
      expect(fix.holdoutPair.ours.requestsMax).toBeLessThanOrEqual(120);
      expect(fix.suggested.deadlineMs).toBeGreaterThanOrEqual(fix.shipped.deadlineMs);
    }
  });

  it('runs the shipped schedules on held-out draws', () => {
    for (const type of allTypes()) {
      expect(type.holdout.pair.ours.tasks, type.type).toBe(COUNT);
      expect(type.holdout.pair.ours.requestsMax, type.type).toBeLessThanOrEqual(120);
    }
  });

  it('renders a section with every class', () => {
    const section = renderPollingSimulation(simulation);

    expect(section).toMatch(/^## 1\. Polling efficiency in simulated time/);
    for (const entry of simulation.classes)
      expect(section).toContain(`| **${entry.name}** | all |`);
    for (const type of allTypes()) expect(section).toContain(`| ${type.type} |`);
  });
});

describe('simulated solve()', () => {
  it('matches the planned poll times', async () => {
    for (const taskClass of TASK_CLASSES) {
      const solveTimesMs = drawSolveTimesMs(taskClass, { count: 50, seed: 7 });
      for (const type of taskClass.types) {
        const simulated = await runOurClient({ type, solveTimesMs });
        const planned = evaluateSchedule(defaultSchedule(benchTask(type, 0)), solveTimesMs);

        expect(simulated, type).toEqual(planned);
      }
    }
  });
});

describe('official schedule replay', () => {
  const image = officialTimeouts('ImageToTextTask');
  const recaptcha = officialTimeouts('NoCaptchaTask');

  it('reads the official table', () => {
    expect(image).toMatchObject({ firstRequestDelay: 350, requestsInterval: 200, timeout: 10_000 });
    expect(recaptcha).toMatchObject({ firstRequestDelay: 1000, requestsInterval: 3000 });
  });

  it('polls on the official grid', () => {
    expect(replayOfficialSolve(100, image)).toEqual({ requests: 1, learnedAt: 350 });
    expect(replayOfficialSolve(5000, image)).toEqual({ requests: 25, learnedAt: 5150 });
    expect(replayOfficialSolve(4000, recaptcha)).toEqual({ requests: 2, learnedAt: 4000 });
  });

  it('gives up at the timeout', () => {
    expect(replayOfficialSolve(60_000, image)).toEqual({ requests: 50, learnedAt: undefined });
    expect(replayOfficialSolve(10_350, image)).toEqual({ requests: 50, learnedAt: undefined });
    expect(replayOfficialSolve(10_150, image)).toEqual({ requests: 50, learnedAt: 10_150 });
  });

  it('waits longer with nocache', () => {
    const result = replayOfficialSolve(2000, recaptcha, { nocache: true });

    expect(result).toEqual({ requests: 1, learnedAt: 10_000 });
  });
});

describe('scaled schedules of the loopback benchmark', () => {
  it('divides every time of the shipped schedule, listed poll times included', () => {
    const shipped = defaultSchedule({ type: 'TurnstileTask' });
    const scaled = scaleSchedule(shipped, 5);

    expect(shipped.pollTimesMs?.length).toBeGreaterThan(0);
    expect(scaled.pollTimesMs).toEqual(shipped.pollTimesMs?.map((at) => at / 5));
    expect(scaled.firstDelayMs).toBe(shipped.firstDelayMs / 5);
    expect(scaled.deadlineMs).toBe(shipped.deadlineMs / 5);
  });
});
