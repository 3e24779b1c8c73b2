export * from './problem';
export * from './problem.filter';
export * from './validation';
export * from './external-error';
export * from './network-failure';
export * from './referenced-id';
export * from './dependency-outage';
