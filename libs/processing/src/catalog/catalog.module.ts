import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImagesModule } from '@atelier/images';
import { UsersModule } from '@atelier/users';
import { CATALOG_ENTITIES } from './catalog.entities';
import { ModelsService } from './models.service';
import { PlanLinksService } from './plan-links.service';
import { WorkflowCatalog } from './workflow-catalog';
import { WorkflowsService } from './workflows.service';

/** Domain module of the model and workflow catalogue (no controllers). */
@Module({
  imports: [TypeOrmModule.forFeature(CATALOG_ENTITIES), UsersModule, ImagesModule],
  providers: [ModelsService, WorkflowsService, PlanLinksService, WorkflowCatalog],
  exports: [ModelsService, WorkflowsService, PlanLinksService, WorkflowCatalog],
})
export class CatalogModule {}
