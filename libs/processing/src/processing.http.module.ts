import { Module } from '@nestjs/common';
import { JobEventsController } from './jobs/job-events.controller';
import { JobsController } from './jobs/jobs.controller';
import { CatalogHttpModule } from './catalog/catalog.http.module';
import { ProcessingModule } from './processing.module';
import { ProvidersController } from './providers/providers.controller';
import { EventsGateway } from './realtime/events.gateway';
import { QueuePositions } from './realtime/queue-positions';
import { TemplatesController } from './templates/templates.controller';

/** Routes (jobs, SSE, providers, templates) and the socket.io `/events` gateway. */
@Module({
  imports: [ProcessingModule, CatalogHttpModule],
  controllers: [JobsController, JobEventsController, ProvidersController, TemplatesController],
  providers: [EventsGateway, QueuePositions],
})
export class ProcessingHttpModule {}
