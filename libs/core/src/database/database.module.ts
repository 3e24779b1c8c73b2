import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, ConfigService } from '../config';
import { dataSourceOptions, EntityList } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(entities: EntityList): DynamicModule {
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
        }),
      ],
    };
  }
}
