export * from './client';
export * from './gateway';
export * from './protocol';
export * from './server';
export * from './worker';
