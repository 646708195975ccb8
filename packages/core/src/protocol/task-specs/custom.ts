// Generated once from the protocol reference tables; edit by hand from now on.
import type { CustomTaskMap } from '../task-types/custom';
import { TOKEN_POLLING } from './polling';
import type { TaskShape, TaskSpec } from './types';

const CUSTOM_VARIANTS: Readonly<Record<string, TaskShape>> = {
  // The docs require captchaUrl; the official JS client may send htmlPageBase64 instead.
  DataDome: {
    required: { class: 'string', websiteURL: 'string', 'metadata.datadomeCookie': 'string' },
    optional: {
      'metadata.captchaUrl': 'string',
      'metadata.datadomeVersion': 'string',
      'metadata.htmlPageBase64': 'string',
      userAgent: 'string',
    },
    requiredOneOf: [['metadata.captchaUrl', 'metadata.htmlPageBase64']],
    proxy: 'required',
    solution: { 'domains.*.cookies.datadome': 'string' },
    solutionOptional: {
      'domains.*.localStorage': 'object|null',
      url: 'string|null',
      fingerprint: 'object|null',
      headers: 'object|null',
      data: 'object|null',
    },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  // The docs name the metadata incapsulaScriptUrl and incapsulaCookies; the official JS client
  // sends incapsulaScriptBase64 and incapsulaSessionCookie.
  Imperva: {
    required: { class: 'string', websiteURL: 'string' },
    optional: {
      'metadata.incapsulaScriptUrl': 'string',
      'metadata.incapsulaScriptBase64': 'string',
      'metadata.incapsulaCookies': 'string',
      'metadata.incapsulaSessionCookie': 'string',
      'metadata.reese84UrlEndpoint': 'string',
      userAgent: 'string',
    },
    requiredOneOf: [
      ['metadata.incapsulaScriptUrl', 'metadata.incapsulaScriptBase64'],
      ['metadata.incapsulaCookies', 'metadata.incapsulaSessionCookie'],
    ],
    proxy: 'required',
    solution: { 'domains.*.cookies.___utmvc': 'string' },
    solutionOptional: { 'domains.*.cookies.reese84': 'string' },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  Basilisk: {
    required: { class: 'string', websiteURL: 'string', websiteKey: 'string' },
    optional: { userAgent: 'string' },
    proxy: 'optional',
    solution: { 'data.captcha_response': 'string', 'headers.User-Agent': 'string' },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  TenDI: {
    required: { class: 'string', websiteURL: 'string', websiteKey: 'string' },
    optional: { 'metadata.captchaUrl': 'string', userAgent: 'string' },
    proxy: 'optional',
    solution: { 'data.randstr': 'string', 'data.ticket': 'string', 'headers.User-Agent': 'string' },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  Temu: {
    required: { class: 'string', websiteURL: 'string', 'metadata.cookie': 'string' },
    optional: { userAgent: 'string' },
    proxy: 'optional',
    solution: { 'domains.*.cookies.*': 'string' },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'draft',
    clientPolling: TOKEN_POLLING,
  },
  // The docs require websiteKey but allow ""; the official JS client (2.6.1) never sends it.
  altcha: {
    required: {
      class: 'string',
      websiteURL: 'string',
      'metadata.challenge': 'string',
      'metadata.iterations': 'string',
      'metadata.salt': 'string',
      'metadata.signature': 'string',
    },
    optional: { websiteKey: 'string', userAgent: 'string' },
    allowEmpty: ['websiteKey'],
    proxy: 'optional',
    solution: { 'data.token': 'string', 'data.number': 'integer' },
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  alibaba: {
    required: {
      class: 'string',
      websiteURL: 'string',
      'metadata.sceneId': 'string',
      'metadata.prefix': 'string',
    },
    optional: { userAgent: 'string' },
    proxy: 'optional',
    solution: { 'data.tokens': 'string' },
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  Castle: {
    required: {
      class: 'string',
      websiteURL: 'string',
      websiteKey: 'string',
      'metadata.wUrl': 'string',
      'metadata.swUrl': 'string',
    },
    optional: { 'metadata.count': 'integer', userAgent: 'string' },
    // NOTE: the service caps a larger count at 49 (and bills 49); validation rejects it instead.
    bounds: { 'metadata.count': [1, 49] },
    proxy: 'optional',
    solution: { 'data.tokens': 'array<string>', 'domains.*.cookies.__cuid': 'string' },
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  HUNT: {
    required: { class: 'string', websiteURL: 'string', 'metadata.apiGetLib': 'string' },
    optional: { 'metadata.data': 'string', userAgent: 'string' },
    proxy: 'required',
    solution: { 'data.token': 'string' },
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
  tspd: {
    required: {
      class: 'string',
      websiteURL: 'string',
      'metadata.tspdCookie': 'string',
      'metadata.htmlPageBase64': 'string',
      userAgent: 'string',
    },
    optional: {},
    proxy: 'required',
    solution: { 'domains.*.cookies.*': 'string' },
    status: 'current',
    clientPolling: TOKEN_POLLING,
  },
};

/** Specs of CustomTask. */
export const CUSTOM_SPECS: { readonly [T in keyof CustomTaskMap]: TaskSpec } = {
  CustomTask: {
    type: 'CustomTask',
    canonicalType: 'CustomTask',
    required: { class: 'string', websiteURL: 'string' },
    optional: { userAgent: 'string', metadata: 'object', websiteKey: 'string' },
    proxy: 'optional',
    solution: {},
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: TOKEN_POLLING,
    discriminator: 'class',
    variants: CUSTOM_VARIANTS,
  },
};
