export * from './data-source-options';
export * from './database.module';
export * from './embedded-postgres';
export * from './hydrate-row';
export * from './pg-errors';
export * from './prepare-database';
export * from './rating-recount';
