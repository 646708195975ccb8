import { fixed, ratio, table } from '../report.mjs';
import { runLoopbackPolling } from './polling-http.mjs';

/**
 * Benchmark 2: polling over real HTTP on loopback.
 *
 * @param {{ quick: boolean; log?: (message: string) => void }} options
 * @returns {Promise<string>} the RESULTS.md section
 */
export async function run(options) {
  // A scale of 5 leaves image tasks (20 s deadline, 4 s scaled) room for a held request,
  // because the client keeps a fixed 2 s of each held request for the network.
  const result = await runLoopbackPolling({
    count: options.quick ? 5 : 30,
    scale: options.quick ? 10 : 5,
    log: options.log,
  });
  return render(result);
}

function render(result) {
  const rows = [];
  for (const row of result.rows) {
    const official = row.clients.official;
    for (const [client, figures] of Object.entries(row.clients)) {
      rows.push([
        row.className,
        row.type,
        client,
        `${fixed(figures.delayMeanMs, 1)} / ${fixed(figures.delayP95Ms, 1)}`,
        `${ratio(figures.delayMeanMs / official.delayMeanMs)} / ${ratio(figures.delayP95Ms / official.delayP95Ms)}`,
        `${fixed(figures.requestsMean, 2)} / ${figures.requestsMax}`,
        ratio(figures.requestsMean / official.requestsMean),
        figures.timeouts,
      ]);
    }
    rows.push([
      row.className,
      row.type,
      'physical limit',
      '0 / 0',
      '0 / 0',
      '1 / 1',
      ratio(1 / official.requestsMean),
      0,
    ]);
  }

  return [
    '## 2. Polling over HTTP on loopback',
    '',
    `The official client (@zennolab_com/capmonstercloud-client 2.6.1, \`Solve\` with its own timeouts for the type), our client on its default schedule (\`longPoll: false\`) and our client with long polling (\`longPoll: true\`) solve the first ${result.count} draws of each class from section 1 against our server in sandbox mode (\`createTaskServer\` behind \`node:http\` and \`createNodeListener\` on 127.0.0.1, port 0, in the benchmark process). Every solve time, schedule, timeout, request timeout and long-poll hold (20 s, the server default) is divided by ${result.scale} for all clients alike, so the delays below are in scaled time: multiply by ${result.scale} for real time. The clients of one type run at the same time, each with its own key. The server counts getTaskResult requests per task and measures the delay from the sandbox solver returning to the first ready reply. Delays cover the draws that all three clients solved. The physical limit is a client told at once with one request.`,
    '',
    table(
      [
        'Class',
        'Type',
        'Client',
        'Delay mean / p95 (ms, scaled)',
        'Ratio to official',
        'Requests mean / max',
        'Ratio to official',
        'Timeouts',
      ],
      rows,
    ),
    '',
    `NOTE: our client keeps a fixed 2 s of each held request for the network and this margin is not scaled, so near the deadline its holds are shorter than they would be in real time.`,
  ].join('\n');
}
