export * from './problem-response';
export * from './created';
export * from './serialized-response';
