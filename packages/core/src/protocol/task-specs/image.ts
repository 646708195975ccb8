// Generated once from the protocol reference tables; edit by hand from now on.
import type { ImageTaskMap } from '../task-types/image';
import { IMAGE_POLLING } from './polling';
import type { TaskShape, TaskSpec } from './types';

const COMPLEX_IMAGE_VARIANTS: Readonly<Record<string, TaskShape>> = {
  recaptcha: {
    required: { class: 'string', 'metadata.Grid': 'string' },
    optional: {
      imageUrls: 'array<string>',
      imagesBase64: 'array<string>',
      'metadata.Task': 'string',
      'metadata.TaskDefinition': 'string',
      userAgent: 'string',
      websiteURL: 'string',
    },
    requiredOneOf: [
      ['imageUrls', 'imagesBase64'],
      ['metadata.Task', 'metadata.TaskDefinition'],
    ],
    proxy: 'none',
    solution: { answer: 'array<boolean>' },
    typicalSolveSeconds: [0.3, 6],
    typicalSolveSecondsSource: 'docs',
    status: 'current',
    clientPolling: IMAGE_POLLING,
  },
  recognition: {
    required: { class: 'string', imagesBase64: 'array<string>', 'metadata.Task': 'string' },
    optional: { 'metadata.TaskArgument': 'string', 'metadata.PayloadType': 'string' },
    proxy: 'none',
    solution: {
      answer: 'array<number>|array<boolean>|array<object>|string',
      'metadata.AnswerType': 'string',
    },
    solutionOptional: { cost: 'number' },
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: IMAGE_POLLING,
    recognitionTasks: {
      oocl_rotate_new: {
        images: 'background, circle',
        answerType: 'NumericArray',
        answer: '[degrees clockwise]',
      },
      oocl_rotate_double_new: {
        images: 'background, ring, circle',
        answerType: 'NumericArray',
        answer: '[degrees]',
      },
      betpunch_3x3_rotate: {
        images: '9 tiles in order',
        answerType: 'NumericArray',
        answer: '9 integers 1..4 (4 = leave, 1-3 = counter-clockwise turns)',
      },
      bls_3x3: { images: '9 tiles', answerType: 'Grid', answer: '9 booleans' },
      shein: { images: '1', answerType: 'Coordinate', answer: '[{X,Y},...] click order' },
      baidu: { images: '1', answerType: 'NumericArray', answer: '[degrees clockwise]' },
      bills_audio: { images: '1 base64 WAV audio', answerType: 'Text', answer: 'array of digits' },
      dli: { images: '1', answerType: 'Text', answer: 'string, e.g. "1"' },
    },
  },
  hcaptcha: {
    required: { class: 'string', 'metadata.Task': 'string' },
    optional: {
      imageUrls: 'array<string>',
      imagesBase64: 'array<string>',
      exampleImageUrls: 'array<string>',
      exampleImagesBase64: 'array<string>',
      'metadata.Classes': 'array<string>',
      'metadata.TaskDefinition': 'string',
      userAgent: 'string',
      websiteURL: 'string',
    },
    requiredOneOf: [['imageUrls', 'imagesBase64']],
    proxy: 'none',
    solution: { answer: 'array<boolean>|array<object>', 'metadata.AnswerType': 'string' },
    typicalSolveSeconds: [0.3, 6],
    typicalSolveSecondsSource: 'docs',
    status: 'legacy',
    clientPolling: IMAGE_POLLING,
  },
  funcaptcha: {
    required: { class: 'string', 'metadata.Task': 'string' },
    optional: {
      imageUrls: 'array<string>',
      imagesBase64: 'array<string>',
      userAgent: 'string',
      websiteURL: 'string',
    },
    requiredOneOf: [['imageUrls', 'imagesBase64']],
    proxy: 'none',
    solution: { answer: 'array<boolean>' },
    typicalSolveSeconds: [0.3, 6],
    typicalSolveSecondsSource: 'docs',
    status: 'legacy',
    clientPolling: IMAGE_POLLING,
  },
};

/** Specs of ImageToTextTask and ComplexImageTask. */
export const IMAGE_SPECS: { readonly [T in keyof ImageTaskMap]: TaskSpec } = {
  ImageToTextTask: {
    type: 'ImageToTextTask',
    canonicalType: 'ImageToTextTask',
    required: { body: 'string' },
    optional: {
      capMonsterModule: 'string',
      recognizingThreshold: 'integer',
      case: 'boolean',
      numeric: 'integer',
      math: 'boolean',
    },
    bounds: { recognizingThreshold: [0, 100], numeric: [0, 1] },
    proxy: 'none',
    solution: { text: 'string' },
    typicalSolveSeconds: [0.3, 6],
    typicalSolveSecondsSource: 'docs',
    status: 'current',
    clientPolling: IMAGE_POLLING,
  },
  ComplexImageTask: {
    type: 'ComplexImageTask',
    canonicalType: 'ComplexImageTask',
    required: { class: 'string' },
    optional: { userAgent: 'string', websiteURL: 'string' },
    proxy: 'none',
    solution: {},
    typicalSolveSeconds: [10, 180],
    typicalSolveSecondsSource: 'client',
    status: 'current',
    clientPolling: IMAGE_POLLING,
    discriminator: 'class',
    variants: COMPLEX_IMAGE_VARIANTS,
  },
};
