export * from './create-http-app';
export * from './queue-dashboard';
