import autocannon from 'autocannon';

/**
 * Runs one autocannon load in this process: POSTs of a JSON body over `connections`
 * keep-alive connections for `durationSeconds`, without pipelining.
 *
 * @param {{ url: string; body: string; connections: number; durationSeconds: number }} options
 * @returns {Promise<{ rps: number; p99Ms: number; requests: number; failures: number }>}
 */
export async function runLoad(options) {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
  });
  return {
    rps: result.requests.average,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Runs several loads at the same time, such as one per server instance, and sums their
 * rates. The p99 is the highest of the loads' p99s.
 *
 * @param {Parameters<typeof runLoad>[0][]} loads
 */
export async function runLoads(loads) {
  const results = await Promise.all(loads.map((load) => runLoad(load)));
  return {
    rps: results.reduce((sum, result) => sum + result.rps, 0),
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    failures: results.reduce((sum, result) => sum + result.failures, 0),
  };
}
