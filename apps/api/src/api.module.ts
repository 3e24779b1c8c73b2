import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreModule, Env, FeatureName, HealthModule } from '@atelier/core';
import { ENTITIES } from '../../../config/entities';
import { workerModules } from '../../worker/src/worker-modules';

/** HTTP modules (controllers, gateways) per feature. */
function httpModules(features: readonly FeatureName[]): (Type | DynamicModule)[] {
  const modules: (Type | DynamicModule)[] = [];
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
      imports: [CoreModule.forRoot(ENTITIES), HealthModule, ...httpModules(env.FEATURES), ...embeddedWorker],
    };
  }
}
