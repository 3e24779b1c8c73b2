export * from './create-http-app';
export * from './queue-dashboard';
export { buildOpenApiDocument } from './operator-docs';
export * from './openapi';
export { refuseHostileInput } from './input-guard';
export { CorsIoAdapter } from './cors';
