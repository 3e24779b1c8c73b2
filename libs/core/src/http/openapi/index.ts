export * from './problem-response';
export * from './created';
