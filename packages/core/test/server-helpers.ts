import {
  createManualClock,
  createSandboxSolver,
  createTaskServer,
  type Logger,
  type ManualClock,
  type TaskServer,
  type TaskServerOptions,
} from '@captask/core';

export const KEY = 'test-key-alpha';
export const OTHER_KEY = 'test-key-beta';
export const BROKE_KEY = 'test-key-broke';

/** 300 bytes of fake image data in base64, above the 100-byte minimum. */
export const IMAGE_BASE64 = btoa(
  String.fromCharCode(...Array.from({ length: 300 }, (_, i) => i % 256)),
);

export const IMAGE_TASK = { type: 'ImageToTextTask', body: IMAGE_BASE64 };
export const TURNSTILE_TASK = {
  type: 'TurnstileTask',
  websiteURL: 'https://shop.example.test/',
  websiteKey: '0x4AAAAAAAsandbox',
};

export interface LogEntry {
  level: string;
  context: Record<string, unknown>;
  message: string;
}

/** Creates a logger that records every call. */
export function createRecordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: string) =>
    (context: Record<string, unknown>, message: string): void => {
      entries.push({ level, context, message });
    };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

export interface TestServer {
  server: TaskServer;
  clock: ManualClock;
  logger: ReturnType<typeof createRecordingLogger>;
  /** Posts a JSON body to a method and returns the parsed response. */
  call(
    method: string,
    body: unknown,
  ): Promise<{ response: Response; json: Record<string, unknown> }>;
  /** Moves the manual clock and lets background solves settle. */
  advance(ms: number): Promise<void>;
}

/** Lets pending promise chains run; no time passes on the manual clock. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Creates a server on a manual clock with a 1 s sandbox and three keys (the third has no balance). */
export function createTestServer(overrides: Partial<TaskServerOptions> = {}): TestServer {
  const clock = createManualClock();
  const logger = createRecordingLogger();
  const server = createTaskServer({
    clientKeys: [KEY, OTHER_KEY, { key: BROKE_KEY, balance: 0 }],
    solvers: createSandboxSolver({ latencyMs: 1_000, timers: clock, clock }),
    clock,
    timers: clock,
    logger,
    ...overrides,
  });
  return {
    server,
    clock,
    logger,
    async call(method, body) {
      const response = await server(post(`/${method}`, JSON.stringify(body)));
      return { response, json: (await response.json()) as Record<string, unknown> };
    },
    async advance(ms) {
      await flush();
      clock.advance(ms);
      await flush();
    },
  };
}

/** Builds a POST request to the test origin. */
export function post(
  path: string,
  body: BodyInit | null,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://captask.test${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
