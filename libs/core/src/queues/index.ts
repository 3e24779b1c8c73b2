export * from './queue-names';
export * from './queues.module';
export * from './job-handlers.check';
export * from './backoff';
