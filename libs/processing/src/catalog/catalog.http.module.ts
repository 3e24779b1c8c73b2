import { Module } from '@nestjs/common';
import { CatalogModule } from './catalog.module';
import { ModelsController } from './models.controller';
import { PlanLinksController } from './plan-links.controller';
import { WorkflowsController } from './workflows.controller';

@Module({
  imports: [CatalogModule],
  controllers: [ModelsController, WorkflowsController, PlanLinksController],
})
export class CatalogHttpModule {}
