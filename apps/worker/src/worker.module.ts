import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, Env } from '@atelier/core';
import { ENTITIES } from '../../../config/entities';
import { runSeeds } from '../../../seeds/run-seeds';
import { workerModules } from './worker-modules';

/** The worker process: queue processors and crons, no HTTP listener. */
@Module({})
export class WorkerModule {
  static forRoot(env: Env): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(ENTITIES, (dataSource) => runSeeds(dataSource, env)),
        ScheduleModule.forRoot(),
        ...workerModules(env.FEATURES),
      ],
    };
  }
}
