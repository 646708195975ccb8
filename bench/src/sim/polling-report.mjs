import { fixed, ratio, table } from '../report.mjs';
import { OFFICIAL_TYPE } from '../scenarios.mjs';
import { officialTimeouts } from './official-schedule.mjs';
import { HOLDOUT_SEED, MAIN_SEED } from './polling-sim.mjs';

const FIGURE_HEADERS = [
  'Class',
  'Type',
  'Delay mean, official / ours (ms)',
  'Ratio',
  'Delay p95, official / ours (ms)',
  'Ratio',
  'Requests mean, official / ours',
  'Ratio',
  'Requests max, official / ours',
  'Timeouts, official / ours',
  'Target',
];

/**
 * Renders the polling simulation as a RESULTS.md section.
 *
 * @param {Awaited<ReturnType<typeof import('./polling-sim.mjs').runPollingSimulation>>} result
 * @returns {string}
 */
export function renderPollingSimulation(result) {
  const distributions = table(
    ['Class', 'Types', 'Median (s)', 'Sigma', 'Range (s)'],
    result.classes.map((entry) => [
      entry.name,
      entry.types.map((type) => type.type).join(', '),
      entry.distribution.median,
      entry.distribution.sigma,
      `${entry.distribution.min} to ${entry.distribution.max}`,
    ]),
  );

  const figureRows = [];
  for (const entry of result.classes) {
    figureRows.push(figureRow(`**${entry.name}**`, 'all', entry.pair, entry.target));
    if (entry.types.length === 1) continue;
    for (const type of entry.types)
      figureRows.push(figureRow(entry.name, type.type, type.pair, type.target));
  }
  const figures = table(FIGURE_HEADERS, figureRows);

  const holdoutRows = result.classes.flatMap((entry) =>
    entry.types.map((type) =>
      figureRow(entry.name, type.type, type.holdout.pair, type.holdout.target),
    ),
  );
  const holdout = table(FIGURE_HEADERS, holdoutRows);

  const longPollRows = [];
  for (const entry of result.classes) {
    longPollRows.push(
      figureRow(`**${entry.name}**`, 'all', entry.longPoll.pair, entry.longPoll.target),
    );
    if (entry.types.length === 1) continue;
    for (const type of entry.types) {
      longPollRows.push(figureRow(entry.name, type.type, type.longPoll.pair, type.longPoll.target));
    }
  }
  const longPoll = table(FIGURE_HEADERS, longPollRows);

  const types = result.classes.flatMap((entry) =>
    entry.types.map((type) => ({ ...type, className: entry.name })),
  );
  const schedules = table(
    [
      'Type',
      'Official: first / interval / timeout (ms)',
      'Ours: firstDelayMs / intervalMs / growth / maxIntervalMs / deadlineMs',
      'Ours: listed poll times (`pollTimesMs`)',
    ],
    types.map((type) => {
      const official = officialTimeouts(OFFICIAL_TYPE[type.type]);
      return [
        type.type,
        `${official.firstRequestDelay} / ${official.requestsInterval} / ${official.timeout}`,
        scheduleText(type.schedule),
        pollTimesText(type.schedule),
      ];
    }),
  );

  const frontier = table(
    [
      'Type',
      'Fewest requests at the official mean delay',
      'Ratio',
      'Lowest mean delay at the official mean requests (ms)',
      'Ratio',
      '30% within reach',
    ],
    types.map((type) => {
      const requestRatio = type.frontier.requestsAtDelay / type.pair.official.requestsMean;
      const delayRatio = type.frontier.delayAtRequests / officialDelayMean(type);
      return [
        type.type,
        fixed(type.frontier.requestsAtDelay, 2),
        ratio(requestRatio),
        fixed(type.frontier.delayAtRequests),
        ratio(delayRatio),
        Math.min(requestRatio, delayRatio) <= 0.7 ? 'yes' : 'no',
      ];
    }),
  );

  const sections = [
    '## 1. Polling efficiency in simulated time',
    '',
    `Our shipped client (\`solve()\` from \`@captask/core/client\` with its default schedule per type) runs against a simulated server in virtual time: an injected clock and timers jump from one timer to the next, and replies arrive instantly. The official client's schedule (@zennolab_com/capmonstercloud-client 2.6.1, its own \`detectResultTimeouts\` table) is replayed on the same draws: first request after \`firstRequestDelay\`, then one every \`requestsInterval\`, a Timeout once \`timeout\` has passed since the first request. ${result.count} draws per class from a log-normal distribution truncated to the range (values outside are drawn again), seed ${MAIN_SEED}, mulberry32. Delay is the time from the task becoming ready to the reply that tells the client; its figures cover the draws that both clients solved. Requests and timeouts cover every draw. The target: no worse than the official client on mean delay, p95 delay, mean requests and timeouts, at least 30% better on mean delay or mean requests, never above 120 requests.`,
    '',
    distributions,
    '',
    figures,
    '',
    `The same shipped schedules on independent draws (seed ${HOLDOUT_SEED}, same count and distributions), to check that the figures above do not depend on the seed ${MAIN_SEED} draws:`,
    '',
    holdout,
    '',
    `The same against a simulated captask server that offers long polling (maximum hold 20 s, the server default, announced in the createTask reply), which our client uses by default; the official client cannot use it and polls as above:`,
    '',
    longPoll,
    '',
    'Schedules as shipped (`defaultSchedule(task)`) and as the official client runs them:',
    '',
    schedules,
    '',
    'The best any list of poll times can do on the same draws, found by dynamic programming over poll times on a grid (10 ms image, 50 ms token, 100 ms slow), interpolated on the lower convex hull. It ignores the p95 delay and the 120-request limit, so no schedule can beat these figures; where 30% is out of reach here, no polling schedule meets the target for that type.',
    '',
    frontier,
  ];

  if (result.fixes.length > 0) {
    sections.push('', renderFixes(result.fixes));
  }
  return sections.join('\n');
}

function renderFixes(fixes) {
  const rows = fixes.map((fix) => [
    fix.type,
    scheduleText(fix.suggested),
    pairText(fix.searchPair),
    fix.searchTarget.met ? 'met' : fix.searchTarget.misses.join('; '),
    pairText(fix.holdoutPair),
    fix.holdoutTarget.met ? 'met' : fix.holdoutTarget.misses.join('; '),
  ]);
  return [
    `Schedule numbers found by a search over data schedules (a grid around the official numbers, then coordinate descent; any timeout of ours counts as a miss), for every type whose figures miss the target. The search uses the seed ${MAIN_SEED} draws; the suggestion then runs through \`solve()\` on independent draws (seed ${HOLDOUT_SEED}). Ratios are ours / official as delay mean, delay p95, requests mean.`,
    '',
    table(
      [
        'Type',
        'Suggested firstDelayMs / intervalMs / growth / maxIntervalMs / deadlineMs',
        `Ratios, seed ${MAIN_SEED}`,
        `Target, seed ${MAIN_SEED}`,
        `Ratios, seed ${HOLDOUT_SEED}`,
        `Target, seed ${HOLDOUT_SEED}`,
      ],
      rows,
    ),
  ].join('\n');
}

function figureRow(className, type, pair, target) {
  const { ours, official } = pair;
  return [
    className,
    type,
    `${fixed(official.delayMeanMs)} / ${fixed(ours.delayMeanMs)}`,
    ratio(ours.delayMeanMs / official.delayMeanMs),
    `${fixed(official.delayP95Ms)} / ${fixed(ours.delayP95Ms)}`,
    ratio(ours.delayP95Ms / official.delayP95Ms),
    `${fixed(official.requestsMean, 2)} / ${fixed(ours.requestsMean, 2)}`,
    ratio(ours.requestsMean / official.requestsMean),
    `${official.requestsMax} / ${ours.requestsMax}`,
    `${official.timeouts} / ${ours.timeouts}`,
    target.met ? 'met' : `missed: ${target.misses.join('; ')}`,
  ];
}

function pairText({ ours, official }) {
  return [
    ours.delayMeanMs / official.delayMeanMs,
    ours.delayP95Ms / official.delayP95Ms,
    ours.requestsMean / official.requestsMean,
  ]
    .map(ratio)
    .join(' / ');
}

function scheduleText(schedule) {
  const { firstDelayMs, intervalMs, growth = 0, maxIntervalMs = intervalMs, deadlineMs } = schedule;
  return `${fixed(firstDelayMs)} / ${fixed(intervalMs)} / ${growth} / ${fixed(maxIntervalMs)} / ${fixed(deadlineMs)}`;
}

/**
 * Describes the listed poll times before the deadline by their first time and runs of equal
 * gaps, such as `60 polls: 6000, then gaps 48 × 950, 1235, 1606, ...`.
 */
function pollTimesText(schedule) {
  const times = (schedule.pollTimesMs ?? []).filter((at) => at < schedule.deadlineMs);
  if (times.length === 0) return 'none';
  const parts = [];
  for (let index = 1; index < times.length; ) {
    const gap = times[index] - times[index - 1];
    let run = 1;
    while (index + run < times.length && times[index + run] - times[index + run - 1] === gap) run++;
    parts.push(run > 1 ? `${run} × ${fixed(gap)}` : fixed(gap));
    index += run;
  }
  return `${times.length} polls: ${fixed(times[0])}, then gaps ${parts.join(', ')}`;
}

function officialDelayMean(type) {
  const delays = type.official
    .filter((outcome) => !outcome.timedOut)
    .map((outcome) => outcome.learnedAfterMs);
  return delays.reduce((sum, value) => sum + value, 0) / delays.length;
}
