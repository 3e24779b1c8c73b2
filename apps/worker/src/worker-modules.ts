import type { DynamicModule, Type } from '@nestjs/common';
import type { FeatureName } from '@atelier/core';

/**
 * Queue processors and crons per feature. The api process loads these too when
 * WORKER_EMBEDDED=true, so one process can run everything.
 */
export function workerModules(features: readonly FeatureName[]): (Type | DynamicModule)[] {
  const modules: (Type | DynamicModule)[] = [];
  void features;
  return modules;
}
