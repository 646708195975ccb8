export { type CaptaskMiddleware, type CaptaskOptions, captask } from './captask';
export { captaskClient } from './captask-client';
