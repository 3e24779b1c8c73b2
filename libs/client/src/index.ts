export * from './client';
export * from './events';
export type { components, operations, paths } from './openapi';
