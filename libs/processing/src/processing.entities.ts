import { CATALOG_ENTITIES } from './catalog/catalog.entities';
import { JobEvent } from './jobs/job-event.entity';
import { Job } from './jobs/job.entity';
import { Template } from './templates/template.entity';

export const PROCESSING_ENTITIES = [Job, JobEvent, Template, ...CATALOG_ENTITIES];
