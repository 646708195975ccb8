export * from './error-codes';
export * from './errors';
export * from './task-specs';
export type * from './task-types';
export * from './validate';
