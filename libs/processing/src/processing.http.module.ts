import { Module } from '@nestjs/common';
import { EventStreamAuthGuard } from './jobs/event-stream-auth.guard';
import { JobEventsController } from './jobs/job-events.controller';
import { JobsController } from './jobs/jobs.controller';
import { CatalogHttpModule } from './catalog/catalog.http.module';
import { ProcessingModule } from './processing.module';
import { ProvidersController } from './providers/providers.controller';
import { EventsGateway } from './realtime/events.gateway';
import { QueuePositions } from './realtime/queue-positions';
import { MeStatsController } from './stats/me-stats.controller';
import { TemplatesController } from './templates/templates.controller';

/** Routes (jobs, SSE, providers, templates) and the socket.io `/events` gateway. */
@Module({
  imports: [ProcessingModule, CatalogHttpModule],
  controllers: [
    JobsController,
    JobEventsController,
    ProvidersController,
    TemplatesController,
    MeStatsController,
  ],
  providers: [EventsGateway, QueuePositions, EventStreamAuthGuard],
})
export class ProcessingHttpModule {}
