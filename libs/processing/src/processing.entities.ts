import { CATALOG_ENTITIES } from './catalog/catalog.entities';
import { JobEvent } from './jobs/job-event.entity';
import { Job } from './jobs/job.entity';
import { JobStatsDaily } from './stats/job-stats-daily.entity';
import { Template } from './templates/template.entity';

export const PROCESSING_ENTITIES = [Job, JobEvent, JobStatsDaily, Template, ...CATALOG_ENTITIES];
