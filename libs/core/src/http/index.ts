export * from './create-http-app';
export * from './queue-dashboard';
export { refuseHostileInput } from './input-guard';
