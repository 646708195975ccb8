/**
 * Child process that polls tasks on a captask server with the client's raw getTaskResult, at
 * a fixed rate and within a bound on requests and time. Started by `spawnPollers`, it reads
 * its settings as JSON from argv[2] and prints one JSON line with the outcome per task.
 */
import type { CaptaskClient, TaskId } from '@captask/core/client';

interface PollerSettings {
  /** Path of the client module to import, so the child runs the current sources. */
  clientModule: string;
  baseUrl: string;
  clientKey: string;
  taskIds: TaskId[];
  intervalMs: number;
  maxPollsPerTask: number;
  maxMs: number;
}

export interface PollerTaskOutcome {
  taskId: TaskId;
  polls: number;
  /** `Date.now()` when the child saw `ready`, if it did. */
  readyAt?: number;
  /** Error code that stopped polling, if any. */
  errorCode?: string;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as PollerSettings;
const { createClient } = (await import(settings.clientModule)) as {
  createClient: (options: { clientKey: string; baseUrl: string }) => CaptaskClient;
};
const client = createClient({ clientKey: settings.clientKey, baseUrl: settings.baseUrl });
const stopAt = Date.now() + settings.maxMs;

async function pollOne(taskId: TaskId): Promise<PollerTaskOutcome> {
  const outcome: PollerTaskOutcome = { taskId, polls: 0 };
  while (outcome.polls < settings.maxPollsPerTask && Date.now() < stopAt) {
    outcome.polls++;
    try {
      const result = await client.getTaskResult(taskId);
      if (result.status === 'ready') {
        outcome.readyAt = Date.now();
        return outcome;
      }
    } catch (error) {
      outcome.errorCode = (error as { code?: string }).code ?? 'unknown';
      return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, settings.intervalMs));
  }
  return outcome;
}

const outcomes = await Promise.all(settings.taskIds.map(pollOne));
process.stdout.write(`${JSON.stringify(outcomes)}\n`);
