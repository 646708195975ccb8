import type { ServerResponse } from 'node:http';

/** The last response each socket wrote or is writing for a request of `createNodeListener`. */
const lastResponses = new WeakMap<object, ServerResponse>();

/** Records `res` as the response to the latest request on `socket`. */
export function trackResponse(socket: object, res: ServerResponse): void {
  lastResponses.set(socket, res);
}

/** Returns the last response that `createNodeListener` wrote or is writing on `socket`. */
export function lastResponseOn(socket: object): ServerResponse | undefined {
  return lastResponses.get(socket);
}
