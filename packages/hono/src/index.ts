export { createCaptaskApp } from './captask-app';
export { type CaptaskVariables, captaskClient } from './captask-client';
