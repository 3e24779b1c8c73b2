import { getQueueToken } from '@nestjs/bull';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ALL_QUEUES } from '../queues';

/** Prometheus metrics: process defaults, HTTP latency by route and status, queue depths. */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(private readonly moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry });
  }

  onModuleInit(): void {
    const queues = ALL_QUEUES.map((name) =>
      this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }),
    );
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per Bull queue and state, read at scrape time',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await Promise.all(queues.map((q) => q.getJobCounts()));
        counts.forEach((c, i) => {
          for (const [state, value] of Object.entries(c)) this.set({ queue: queues[i].name, state }, value);
        });
      },
    });
  }
}
