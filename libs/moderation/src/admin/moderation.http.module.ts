import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImagesModule } from '@atelier/images';
import { ModerationAdminController } from './moderation-admin.controller';
import { ModerationAdminService } from './moderation-admin.service';
import { MODERATION_ENTITIES } from './moderation-audit.entity';

/** Moderation routes: the administrators' override with its audit trail. */
@Module({
  imports: [TypeOrmModule.forFeature(MODERATION_ENTITIES), ImagesModule],
  providers: [ModerationAdminService],
  controllers: [ModerationAdminController],
})
export class ModerationHttpModule {}
