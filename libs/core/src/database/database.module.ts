import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import cluster from 'node:cluster';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AppConfig, ConfigService } from '../config';
import { dataSourceOptions, EntityList } from './data-source-options';
import { prepareDatabase, type SeedDatabase } from './prepare-database';

@Module({})
export class DatabaseModule {
  /** `seed` writes the missing reference data once the schema is current (see prepareDatabase). */
  static forRoot(entities: EntityList, seed?: SeedDatabase): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: AppConfig) => {
            const url = config.get('DATABASE_URL', { infer: true });
            if (!url) throw new Error('DATABASE_URL is not set and no embedded PostgreSQL was started');
            return {
              ...dataSourceOptions(url, entities, config.get('DATABASE_POOL_SIZE', { infer: true })),
              migrationsRun: config.get('DATABASE_MIGRATE', { infer: true }),
            };
          },
          // Migrations run under prepareDatabase's lock, not TypeORM's unguarded migrationsRun.
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('No data source options');
            const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
            // An api cluster's primary prepares the database once, before it forks its workers.
            if (cluster.isWorker) return dataSource;
            await prepareDatabase(dataSource, { migrate: Boolean(options.migrationsRun), seed });
            return dataSource;
          },
        }),
      ],
    };
  }
}
