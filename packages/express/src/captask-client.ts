import { type CaptaskClient, type ClientOptions, createClient } from '@captask/core/client';
import type { RequestHandler } from 'express';

declare global {
  namespace Express {
    interface Locals {
      /** The client that `captaskClient()` middleware put here; absent on other routes. */
      captask?: CaptaskClient;
    }
  }
}

/**
 * Puts one shared protocol client on `res.locals.captask`, so route handlers can solve
 * captchas. Takes client options or a client built elsewhere.
 *
 * @example
 * app.post('/login', captaskClient({ clientKey, baseUrl }), async (req, res) => {
 *   const { solution } = await res.locals.captask!.solve(task);
 * });
 */
export function captaskClient(clientOrOptions: CaptaskClient | ClientOptions): RequestHandler {
  const client = 'solve' in clientOrOptions ? clientOrOptions : createClient(clientOrOptions);

  return (_req, res, next) => {
    res.locals.captask = client;
    next();
  };
}
