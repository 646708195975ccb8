export { RequestBodyTooLargeError } from './body-stream';
export { handleClientError, handleConnect, handleExpectation } from './client-error';
export { sha256Digest } from './key-digest';
export {
  createNodeListener,
  type FetchHandler,
  INTERNAL_ERROR_BODY,
  type NodeListenerOptions,
} from './node-listener';
export { type ToWebRequestOptions, toWebRequest } from './to-web-request';
export { writeWebResponse } from './write-web-response';
