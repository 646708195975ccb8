export * from './protocol';
export * from './server';
export * from './client';
export * from './gateway';
export * from './worker';
