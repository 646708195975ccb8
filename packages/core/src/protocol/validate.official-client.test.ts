import {
  AltchaRequest,
  AmazonRequest,
  BasiliskRequest,
  BinanceRequest,
  CastleRequest,
  ComplexImageFunCaptchaRequest,
  ComplexImageHCaptchaRequest,
  ComplexImageRecaptchaRequest,
  ComplexImageTaskRecognitionRequest,
  DataDomeRequest,
  FunCaptchaRequest,
  GeeTestRequest,
  HCaptchaRequest,
  HuntRequest,
  ImageToTextRequest,
  ImpervaRequest,
  MTCaptchaRequest,
  ProsopoRequest,
  RecaptchaV2EnterpriseRequest,
  RecaptchaV2Request,
  RecaptchaV3EnterpriseRequest,
  RecaptchaV3ProxylessRequest,
  TemuRequest,
  TenDIRequest,
  TSPDRequest,
  TurnstileRequest,
  YidunRequest,
} from '@zennolab_com/capmonstercloud-client';
import { describe, expect, test } from 'vitest';
import { IMAGE } from '../../test/task-examples';
import { validateTask } from './validate';

const url = 'https://example.com/login';
const proxy = {
  proxyType: 'http' as const,
  proxyAddress: '203.0.113.10',
  proxyPort: 3128,
  proxyLogin: 'user',
  proxyPassword: 'secret',
};

/**
 * Requests built with the official JS client's own classes. The client sends
 * `JSON.stringify(request)` as `task`, so the parsed JSON is exactly what a server receives.
 */
const requests: [string, object, string][] = [
  [
    'ImageToText',
    new ImageToTextRequest({
      body: IMAGE,
      CapMonsterModule: 'amazon' as never,
      Case: true,
      numeric: 1,
    }),
    'ImageToTextTask',
  ],
  ['RecaptchaV2', new RecaptchaV2Request({ websiteURL: url, websiteKey: 'k' }), 'RecaptchaV2Task'],
  [
    'RecaptchaV2 proxy',
    new RecaptchaV2Request({ websiteURL: url, websiteKey: 'k', proxy }),
    'RecaptchaV2Task',
  ],
  [
    'RecaptchaV2Enterprise',
    new RecaptchaV2EnterpriseRequest({
      websiteURL: url,
      websiteKey: 'k',
      enterprisePayload: { s: 'x' },
    }),
    'RecaptchaV2EnterpriseTask',
  ],
  [
    'RecaptchaV3',
    new RecaptchaV3ProxylessRequest({ websiteURL: url, websiteKey: 'k', minScore: 0.7 }),
    'RecaptchaV3TaskProxyless',
  ],
  [
    'RecaptchaV3Enterprise',
    new RecaptchaV3EnterpriseRequest({ websiteURL: url, websiteKey: 'k' }),
    'RecaptchaV3EnterpriseTask',
  ],
  [
    'HCaptcha',
    new HCaptchaRequest({ websiteURL: url, websiteKey: 'k', fallbackToActualUA: true }),
    'HCaptchaTask',
  ],
  [
    'FunCaptcha',
    new FunCaptchaRequest({ websiteURL: url, websitePublicKey: 'pk', proxy }),
    'FunCaptchaTask',
  ],
  [
    'GeeTest v3',
    new GeeTestRequest({ websiteURL: url, gt: 'g', challenge: 'c', version: '3' }),
    'GeeTestTask',
  ],
  [
    'GeeTest v4',
    new GeeTestRequest({
      websiteURL: url,
      gt: 'g',
      version: '4',
      initParameters: { riskType: 'slide' },
    }),
    'GeeTestTask',
  ],
  ['Turnstile', new TurnstileRequest({ websiteURL: url, websiteKey: 'k' }), 'TurnstileTask'],
  [
    'Turnstile token',
    new TurnstileRequest({
      websiteURL: url,
      websiteKey: 'k',
      cloudflareTaskType: 'token',
      userAgent: 'UA',
      pageAction: 'managed',
      data: 'd',
      pageData: 'p',
    }),
    'TurnstileTask',
  ],
  [
    'Turnstile cf_clearance',
    new TurnstileRequest({
      websiteURL: url,
      websiteKey: 'k',
      cloudflareTaskType: 'cf_clearance',
      userAgent: 'UA',
      htmlPageBase64: 'aA==',
      proxy,
    }),
    'TurnstileTask',
  ],
  [
    'Amazon',
    new AmazonRequest({
      websiteURL: url,
      websiteKey: 'k',
      challengeScript: 'c',
      captchaScript: 's',
      context: 'x',
      iv: 'i',
    }),
    'AmazonTask',
  ],
  [
    'Binance',
    new BinanceRequest({ websiteURL: url, websiteKey: 'k', validateId: 'v' }),
    'BinanceTask',
  ],
  ['Prosopo', new ProsopoRequest({ websiteURL: url, websiteKey: 'k' }), 'ProsopoTask'],
  ['Yidun', new YidunRequest({ websiteURL: url, websiteKey: 'k' }), 'YidunTask'],
  [
    'MTCaptcha',
    new MTCaptchaRequest({ websiteURL: url, websiteKey: 'k', isInvisible: true }),
    'MTCaptchaTask',
  ],
  [
    'ComplexImage recaptcha',
    new ComplexImageRecaptchaRequest({
      imageUrls: ['https://example.com/a.png'],
      metaData: { Grid: '3x3', Task: 'Click on cars' },
    }),
    'ComplexImageTask',
  ],
  [
    'ComplexImage hcaptcha',
    new ComplexImageHCaptchaRequest({ imagesBase64: [IMAGE], metaData: { Task: 't' } }),
    'ComplexImageTask',
  ],
  [
    'ComplexImage funcaptcha',
    new ComplexImageFunCaptchaRequest({ imagesBase64: [IMAGE], metaData: { Task: 't' } }),
    'ComplexImageTask',
  ],
  [
    'ComplexImage recognition',
    new ComplexImageTaskRecognitionRequest({ imagesBase64: [IMAGE], metaData: { Task: 'baidu' } }),
    'ComplexImageTask',
  ],
  [
    'DataDome',
    new DataDomeRequest({
      websiteURL: url,
      metadata: { captchaUrl: 'u', datadomeCookie: 'datadome=a' },
      proxy,
    }),
    'CustomTask',
  ],
  [
    'DataDome HTML',
    new DataDomeRequest({
      websiteURL: url,
      metadata: { htmlPageBase64: 'aA==', datadomeCookie: 'datadome=a' },
      proxy,
    }),
    'CustomTask',
  ],
  [
    'Imperva',
    new ImpervaRequest({
      websiteURL: url,
      metadata: { incapsulaScriptBase64: 's', incapsulaSessionCookie: 'c' },
      proxy,
    }),
    'CustomTask',
  ],
  ['Basilisk', new BasiliskRequest({ websiteURL: url, websiteKey: 'k' }), 'CustomTask'],
  ['TenDI', new TenDIRequest({ websiteURL: url, websiteKey: 'k' }), 'CustomTask'],
  ['Temu', new TemuRequest({ websiteURL: url, metadata: { cookie: 'a=b' } }), 'CustomTask'],
  [
    'Castle',
    new CastleRequest({
      websiteURL: url,
      websiteKey: 'pk',
      metadata: { wUrl: 'w', swUrl: 's', count: 2 },
    }),
    'CustomTask',
  ],
  [
    'Hunt',
    new HuntRequest({
      websiteURL: url,
      metadata: { apiGetLib: 'https://example.com/api.js' },
      proxy,
    }),
    'CustomTask',
  ],
  [
    'TSPD',
    new TSPDRequest({
      websiteURL: url,
      userAgent: 'UA',
      metadata: { tspdCookie: 'c', htmlPageBase64: 'aA==' },
      proxy,
    }),
    'CustomTask',
  ],
  [
    'Altcha',
    new AltchaRequest({
      websiteURL: url,

      metadata: { challenge: 'c', iterations: '10', salt: 's', signature: 'g' },
    }),
    'CustomTask',
  ],
];

describe('official client requests', () => {
  test.each(requests)('%s is accepted', (_name, request, canonicalType) => {
    const wire = JSON.parse(JSON.stringify(request));
    const result = validateTask(wire);
    if (!result.ok) throw result.error;
    expect(result.canonicalType).toBe(canonicalType);
  });

  test('ImageToText casing is rewritten', () => {
    const request = new ImageToTextRequest({
      body: IMAGE,
      CapMonsterModule: 'amazon' as never,
      Case: true,
    });
    const result = validateTask(JSON.parse(JSON.stringify(request)));
    if (!result.ok) throw result.error;
    expect(result.task).toMatchObject({ capMonsterModule: 'amazon', case: true });
  });

  test('RecaptchaV2 is sent as NoCaptchaTask', () => {
    const result = validateTask(
      JSON.parse(JSON.stringify(new RecaptchaV2Request({ websiteURL: url, websiteKey: 'k' }))),
    );
    if (!result.ok) throw result.error;
    expect(result.task.type).toBe('NoCaptchaTask');
  });
});
