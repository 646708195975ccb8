import type { SolutionBase, TaskBase } from './common';

/** A plain text image. The service solves it with its own resources, so no proxy. */
export type ImageToTextTask = TaskBase & {
  type: 'ImageToTextTask';
  /** Base64 image without line breaks; 100 bytes to 50 KB once decoded. */
  body: string;
  /** Recognition module name, such as `amazon` or `universal`. */
  capMonsterModule?: string;
  /** Minimum confidence from 0 to 100; answers below it fail as unsolvable. */
  recognizingThreshold?: number;
  /** Whether the answer is case-sensitive. */
  case?: boolean;
  /** `1` for digits only, `0` for any characters. */
  numeric?: 0 | 1;
  /** Whether to evaluate the arithmetic expression in the image. */
  math?: boolean;
};

export interface ImageToTextSolution extends SolutionBase {
  text: string;
}

/** Image sources of a grid task: URLs, base64 images, or both. */
export type ComplexImageSources =
  | { imageUrls: string[]; imagesBase64?: string[] }
  | { imageUrls?: string[]; imagesBase64: string[] };

type ComplexImageCommonFields = TaskBase & {
  type: 'ComplexImageTask';
  /** Used to fetch `imageUrls`. */
  userAgent?: string;
  websiteURL?: string;
};

/** A reCAPTCHA image grid. `metadata` needs `Task` or `TaskDefinition`. */
export type ComplexImageRecaptchaTask = ComplexImageCommonFields &
  ComplexImageSources & {
    class: 'recaptcha';
    metadata: {
      Grid: '4x4' | '3x3' | '1x1';
      /** The instruction in English, such as `Click on traffic lights`. */
      Task?: string;
      /** The instruction's id, such as `/m/015qff`. */
      TaskDefinition?: string;
    };
  };

/** `metadata.Task` values of the recognition class that the service documents. */
export type RecognitionTaskName =
  | 'oocl_rotate_new'
  | 'oocl_rotate_double_new'
  | 'betpunch_3x3_rotate'
  | 'bls_3x3'
  | 'shein'
  | 'baidu'
  | 'bills_audio'
  | 'dli';

/** A recognition task: rotation, grid, click-order or audio, selected by `metadata.Task`. */
export type ComplexImageRecognitionTask = ComplexImageCommonFields & {
  class: 'recognition';
  imagesBase64: string[];
  metadata: {
    Task: RecognitionTaskName | (string & {});
    /** Argument of the task, such as the number to find for `bls_3x3`. */
    TaskArgument?: string;
    /** `Audio` for `bills_audio`. */
    PayloadType?: string;
  };
};

/** hCaptcha image grid; a legacy class that the official JS client still sends. */
export type ComplexImageHCaptchaTask = ComplexImageCommonFields &
  ComplexImageSources & {
    class: 'hcaptcha';
    exampleImageUrls?: string[];
    exampleImagesBase64?: string[];
    metadata: { Task: string; Classes?: string[]; TaskDefinition?: string };
  };

/** FunCaptcha image grid; a legacy class that the official JS client still sends. */
export type ComplexImageFunCaptchaTask = ComplexImageCommonFields &
  ComplexImageSources & {
    class: 'funcaptcha';
    metadata: { Task: string };
  };

export type ComplexImageTask =
  | ComplexImageRecaptchaTask
  | ComplexImageRecognitionTask
  | ComplexImageHCaptchaTask
  | ComplexImageFunCaptchaTask;

/** A click point of a `Coordinate` answer. */
export interface ComplexImageCoordinate {
  X: number;
  Y: number;
}

/** Answer of the grid classes: `true` for each tile to click, in image order. */
export interface ComplexImageGridSolution extends SolutionBase {
  answer: boolean[];
}

export type ComplexImageAnswerType = 'NumericArray' | 'Grid' | 'Coordinate' | 'Text';

/** Answer of the recognition and hcaptcha classes, typed by `metadata.AnswerType`. */
export interface ComplexImageRecognitionSolution extends SolutionBase {
  answer: number[] | boolean[] | ComplexImageCoordinate[] | string;
  metadata: { AnswerType: ComplexImageAnswerType | (string & {}) };
  /** Price of the task, sent by some responses. */
  cost?: number;
}

export type ComplexImageSolution = ComplexImageGridSolution | ComplexImageRecognitionSolution;

export interface ImageTaskMap {
  ImageToTextTask: ImageToTextTask;
  ComplexImageTask: ComplexImageTask;
}

export interface ImageSolutionMap {
  ImageToTextTask: ImageToTextSolution;
  ComplexImageTask: ComplexImageSolution;
}
