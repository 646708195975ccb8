import type { ClientPollingProfile } from './types';

/** The official JS client's profile for reCAPTCHA v2, v2 Enterprise, v3, v3 Enterprise and hCaptcha. */
export const RECAPTCHA_POLLING: ClientPollingProfile = {
  firstRequestDelayMs: 1000,
  firstRequestNoCacheDelayMs: 10_000,
  requestsIntervalMs: 3000,
  timeoutMs: 180_000,
};

/**
 * The official JS client's profile for FunCaptcha, Turnstile, CustomTask, Amazon, Binance,
 * Prosopo, Yidun and MTCaptcha.
 */
export const TOKEN_POLLING: ClientPollingProfile = {
  firstRequestDelayMs: 1000,
  firstRequestNoCacheDelayMs: 10_000,
  requestsIntervalMs: 1000,
  timeoutMs: 80_000,
};

/** The official JS client's profile for GeeTest, which has no extra delay for `nocache`. */
export const GEETEST_POLLING: ClientPollingProfile = {
  firstRequestDelayMs: 1000,
  firstRequestNoCacheDelayMs: null,
  requestsIntervalMs: 1000,
  timeoutMs: 80_000,
};

/** The official JS client's profile for ImageToTextTask and ComplexImageTask. */
export const IMAGE_POLLING: ClientPollingProfile = {
  firstRequestDelayMs: 350,
  firstRequestNoCacheDelayMs: null,
  requestsIntervalMs: 200,
  timeoutMs: 10_000,
};
