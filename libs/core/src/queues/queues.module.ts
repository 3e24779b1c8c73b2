import { BullModule } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, ConfigService } from '../config';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS } from './queue-names';

/** Connects Bull to Redis and registers every queue, so any module can inject any queue. */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(): DynamicModule {
    const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: AppConfig) => ({
            url: config.get('REDIS_URL', { infer: true }),
            prefix: config.get('QUEUE_PREFIX', { infer: true }),
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        queues,
      ],
      exports: [queues],
    };
  }
}
