import {
  type ClientOptions,
  createClient,
  createSandboxSolver,
  createTaskServer,
  type Logger,
  type RelaySolverOptions,
  relaySolver,
  type TaskServer,
  type TaskServerOptions,
} from '@captask/core';
import { type Listening, listen } from './listen';
import { type RecordingHandler, recordRequests } from './request-log';

export const UPSTREAM_KEY = 'upstream-provider-secret-key-7f3a91';
export const TEAM_KEY = 'team-key-downstream-1';
export const OTHER_TEAM_KEY = 'team-key-downstream-2';

export const TURNSTILE_TASK = {
  type: 'TurnstileTask',
  websiteURL: 'https://shop.example.test/',
  websiteKey: '0x4AAAAAAAsandbox',
} as const;

/** Creates a logger that keeps every line as text, so tests can search it for secrets. */
export function createTextLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (context: Record<string, unknown>, message: string): void => {
      lines.push(`${level} ${message} ${JSON.stringify(context, errorFields)}`);
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

/** Serializes errors with their message, description and cause, as pino's serializer would. */
function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { ...value, name: value.name, message: value.message, cause: value.cause };
}

export interface Upstream {
  server: TaskServer;
  recorded: RecordingHandler;
  http: Listening;
}

/**
 * Starts a sandbox captask server on 127.0.0.1 that plays the upstream provider. Long polling
 * is off unless asked for, as with CapMonster Cloud, which polls on the schedule.
 */
export async function startUpstream(options: {
  latencyMs: number;
  longPoll?: boolean;
}): Promise<Upstream> {
  const server = createTaskServer({
    clientKeys: [UPSTREAM_KEY],
    solvers: createSandboxSolver({ latencyMs: options.latencyMs }),
    longPoll: options.longPoll ?? false,
  });
  const recorded = recordRequests(server);
  const http = await listen(recorded.handler);
  return { server, recorded, http };
}

export interface Gateway {
  server: TaskServer;
  recorded: RecordingHandler;
  http: Listening;
  logger: ReturnType<typeof createTextLogger>;
}

/** Starts a captask server on 127.0.0.1 whose solver relays to the given upstreams. */
export async function startGateway(options: {
  relay: RelaySolverOptions;
  server?: Partial<TaskServerOptions>;
}): Promise<Gateway> {
  const logger = createTextLogger();
  const server = createTaskServer({
    clientKeys: [TEAM_KEY, OTHER_TEAM_KEY],
    solvers: relaySolver({ logger, ...options.relay }),
    logger,
    ...options.server,
  });
  const recorded = recordRequests(server);
  const http = await listen(recorded.handler);
  return { server, recorded, http, logger };
}

/** Creates a downstream client of the gateway, as a team's app would use it. */
export function teamClient(
  gateway: Gateway,
  clientKey = TEAM_KEY,
  options: Partial<ClientOptions> = {},
) {
  return createClient({ clientKey, baseUrl: gateway.http.url, ...options });
}

/** Closes servers in reverse order of start. */
export async function closeAll(
  parts: Array<{ http: Listening; server: TaskServer } | undefined>,
): Promise<void> {
  for (const part of parts.reverse()) {
    if (part === undefined) continue;
    await part.http.close();
    await part.server.close();
  }
}
