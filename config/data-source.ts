import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions, EntityList, loadEnv } from '@atelier/core';
import { ENTITIES, ENTITIES_BY_LIB } from './entities';

// The TypeORM CLI's data source (migration:run, migration:generate). Same options as the app.
// ENTITY_LIBS (set by scripts/migration-generate.js) narrows the entities to some libs.
const env = loadEnv();
if (!env.DATABASE_URL) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
const libs = process.env.ENTITY_LIBS?.split(',').filter(Boolean);
const entities: EntityList = libs ? libs.flatMap((lib) => ENTITIES_BY_LIB[lib] ?? []) : ENTITIES;
export default new DataSource(dataSourceOptions(env.DATABASE_URL, entities));
