export * from './protocol';
export * from './server';
