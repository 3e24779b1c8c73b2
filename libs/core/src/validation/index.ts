export * from './is-timestamp';
