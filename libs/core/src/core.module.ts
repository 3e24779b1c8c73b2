import { DynamicModule, Module } from '@nestjs/common';
import { AuthCoreModule } from './auth';
import { AtelierConfigModule } from './config';
import { DatabaseModule, EntityList, type SeedDatabase } from './database';
import { EventsModule } from './events';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics';
import { OutboundModule } from './outbound';
import { QueuesModule } from './queues';

/** What every Atelier process needs: config, logs, database, queues, events, auth, metrics, the guarded outbound client. */
@Module({})
export class CoreModule {
  static forRoot(entities: EntityList, seed?: SeedDatabase): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        AtelierConfigModule.forRoot(),
        LoggingModule,
        DatabaseModule.forRoot(entities, seed),
        QueuesModule.forRoot(),
        EventsModule,
        AuthCoreModule,
        MetricsModule,
        OutboundModule,
      ],
    };
  }
}
