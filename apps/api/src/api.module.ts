import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, Env, FeatureName, HealthModule } from '@atelier/core';
import { UsersHttpModule } from '@atelier/users';
import { ImagesHttpModule } from '@atelier/images';
import { StorageHttpModule } from '@atelier/storage';
import { StylesHttpModule } from '@atelier/styles';
import { ModerationHttpModule } from '@atelier/moderation';
import { ProcessingHttpModule } from '@atelier/processing';
import { SchedulerHttpModule } from '@atelier/scheduler';
import { ENTITIES } from '../../../config/entities';
import { runSeeds } from '../../../seeds/run-seeds';
import { workerModules } from '../../worker/src/worker-modules';

/** HTTP modules (controllers, gateways) per feature. */
function httpModules(features: readonly FeatureName[]): (Type | DynamicModule)[] {
  const modules: (Type | DynamicModule)[] = [];
  modules.push(UsersHttpModule);
  modules.push(StorageHttpModule);
  if (features.includes('images')) modules.push(ImagesHttpModule);
  if (features.includes('styles')) modules.push(StylesHttpModule);
  if (features.includes('images')) modules.push(ModerationHttpModule);
  if (features.includes('processing')) modules.push(ProcessingHttpModule);
  if (features.includes('scheduler')) modules.push(SchedulerHttpModule);
  void features;
  return modules;
}

@Module({})
export class ApiModule {
  static forRoot(env: Env): DynamicModule {
    const embeddedWorker = env.WORKER_EMBEDDED
      ? [ScheduleModule.forRoot(), ...workerModules(env.FEATURES)]
      : [];
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(ENTITIES, (dataSource) => runSeeds(dataSource, env)),
        HealthModule,
        ...httpModules(env.FEATURES),
        ...embeddedWorker,
      ],
    };
  }
}
