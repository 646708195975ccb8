/** One protocol request that reached a server, with the response it got. */
export interface RecordedRequest {
  /** Last path segment, such as `getTaskResult`. */
  method: string;
  /** `taskId` of the request body, when it has one. */
  taskId?: number | string;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** `Date.now()` when the response was ready. */
  respondedAt: number;
  requestText: string;
  responseText: string;
}

/** A handler that records every request and response it passes on. */
export interface RecordingHandler {
  handler: (request: Request) => Promise<Response>;
  requests: RecordedRequest[];
  /** Requests of one method. */
  count(method: string): number;
  /** getTaskResult requests of one task, in arrival order. */
  pollsOf(taskId: number | string): RecordedRequest[];
  /** The task ids that getTaskResult requests named. */
  polledTaskIds(): Array<number | string>;
}

/** Wraps a handler so that tests can count requests per method and task. */
export function recordRequests(inner: (request: Request) => Promise<Response>): RecordingHandler {
  const requests: RecordedRequest[] = [];
  const handler = async (request: Request): Promise<Response> => {
    const receivedAt = Date.now();
    const requestText = await request.clone().text();
    const response = await inner(request);
    const responseText = await response.clone().text();
    const method = new URL(request.url).pathname.split('/').pop() ?? '';
    requests.push({
      method,
      taskId: readTaskId(requestText),
      receivedAt,
      respondedAt: Date.now(),
      requestText,
      responseText,
    });
    return response;
  };
  const pollsOf = (taskId: number | string): RecordedRequest[] =>
    requests.filter((entry) => entry.method === 'getTaskResult' && entry.taskId === taskId);
  return {
    handler,
    requests,
    count: (method) => requests.filter((entry) => entry.method === method).length,
    pollsOf,
    polledTaskIds: () => [
      ...new Set(
        requests
          .filter((entry) => entry.method === 'getTaskResult' && entry.taskId !== undefined)
          .map((entry) => entry.taskId as number | string),
      ),
    ],
  };
}

function readTaskId(text: string): number | string | undefined {
  try {
    const body = JSON.parse(text) as { taskId?: unknown };
    return typeof body.taskId === 'number' || typeof body.taskId === 'string'
      ? body.taskId
      : undefined;
  } catch {
    return undefined;
  }
}
