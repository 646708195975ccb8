// Re-exported so that an Express app can answer malformed HTTP with protocol JSON too.
export { handleClientError, handleConnect, handleExpectation } from '@captask/node';
export { type CaptaskMiddleware, type CaptaskOptions, captask } from './captask';
export { captaskClient } from './captask-client';
