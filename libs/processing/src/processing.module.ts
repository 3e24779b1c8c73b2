import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImagesModule } from '@atelier/images';
import { StylesModule } from '@atelier/styles';
import { UsersModule } from '@atelier/users';
import { CatalogModule } from './catalog/catalog.module';
import { JobCompletionWaiter } from './jobs/job-completion-waiter';
import { JobDetailsService } from './jobs/job-details.service';
import { JobEventsService } from './jobs/job-events.service';
import { JobQueueService } from './jobs/job-queue.service';
import { JobStateService } from './jobs/job-state.service';
import { JobStreamService } from './jobs/job-stream.service';
import { JobUsageCounter } from './jobs/job-usage.counter';
import { JobsService } from './jobs/jobs.service';
import { PROCESSING_ENTITIES } from './processing.entities';
import { IMAGE_PROVIDERS, ImageProvider } from './providers/image-provider';
import { PROVIDER_DESCRIPTORS } from './providers/provider-descriptors';
import { ProviderRegistry } from './providers/provider-registry';
import { JobsAccountEraser } from './jobs/jobs-account-eraser';
import { JobStatsService } from './stats/job-stats.service';
import { TemplatesService } from './templates/templates.service';
import { JobWebhooks } from './webhooks/job-webhooks.service';

const PROVIDER_CLASSES = PROVIDER_DESCRIPTORS.map((descriptor) => descriptor.implementation);

const SERVICES = [
  ProviderRegistry,
  JobEventsService,
  JobQueueService,
  JobStateService,
  JobsService,
  JobDetailsService,
  JobCompletionWaiter,
  JobStreamService,
  JobStatsService,
  TemplatesService,
  JobsAccountEraser,
  JobWebhooks,
];

/** Jobs, providers and templates (no transport). */
@Module({
  imports: [
    TypeOrmModule.forFeature(PROCESSING_ENTITIES),
    UsersModule,
    ImagesModule,
    StylesModule,
    CatalogModule,
  ],
  providers: [
    ...PROVIDER_CLASSES,
    {
      provide: IMAGE_PROVIDERS,
      inject: PROVIDER_CLASSES,
      useFactory: (...providers: ImageProvider[]) => providers,
    },
    ...SERVICES,
    JobUsageCounter,
  ],
  exports: [TypeOrmModule, ...SERVICES],
})
export class ProcessingModule {}
