import { renderPollingSimulation } from './polling-report.mjs';
import { runPollingSimulation } from './polling-sim.mjs';

/**
 * Benchmark 1: polling efficiency in simulated time.
 *
 * @param {{ quick: boolean }} options
 * @returns {Promise<string>} the RESULTS.md section
 */
export async function run(options) {
  const result = await runPollingSimulation({ count: options.quick ? 200 : 2000 });
  return renderPollingSimulation(result);
}
