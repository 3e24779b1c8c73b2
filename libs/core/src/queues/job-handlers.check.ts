import { getQueueToken } from '@nestjs/bull';
import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { ALL_QUEUES, QueueName } from './queue-names';

/** The job names a worker module processes, by queue (a static `jobs` on each worker module). */
export type QueueJobs = Partial<Record<QueueName, readonly string[]>>;

export const EXPECTED_JOBS = Symbol('EXPECTED_JOBS');

/**
 * Compares the job names the loaded worker modules declare with the handlers registered on each
 * queue. Bull itself refuses a second handler for a name, so "no problem" means exactly one each.
 */
export function jobHandlerProblems(expected: QueueJobs, registered: QueueJobs): string[] {
  const problems: string[] = [];
  for (const queue of ALL_QUEUES) {
    const want = new Set(expected[queue] ?? []);
    const have = new Set(registered[queue] ?? []);
    for (const name of want) if (!have.has(name)) problems.push(`${queue}: no processor for "${name}"`);
    for (const name of have)
      if (!want.has(name)) problems.push(`${queue}: processor for undeclared "${name}"`);
  }
  return problems;
}

/** Stops the worker at boot when a declared job has no processor, or a processor no declaration. */
@Injectable()
export class JobHandlersCheck implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(EXPECTED_JOBS) private readonly expected: QueueJobs,
  ) {}

  onApplicationBootstrap(): void {
    const registered = Object.fromEntries(
      ALL_QUEUES.map((name) => {
        // `handlers` is where Bull keeps what process() registered (by @Process or by hand).
        const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
        return [name, Object.keys((queue as unknown as { handlers: Record<string, unknown> }).handlers)];
      }),
    );
    const problems = jobHandlerProblems(this.expected, registered);
    if (problems.length) throw new Error(`Job processors do not match the job names: ${problems.join('; ')}`);
  }
}

@Module({})
export class JobHandlersCheckModule {
  /** `modules`: the worker modules being loaded; their `jobs` are merged into what is expected. */
  static forWorkerModules(modules: readonly { jobs?: QueueJobs }[]): DynamicModule {
    const expected: Record<string, string[]> = {};
    for (const { jobs = {} } of modules) {
      for (const [queue, names] of Object.entries(jobs)) (expected[queue] ??= []).push(...names);
    }
    return {
      module: JobHandlersCheckModule,
      providers: [{ provide: EXPECTED_JOBS, useValue: expected }, JobHandlersCheck],
    };
  }
}
