import { Module } from '@nestjs/common';
import { FilesController } from './files.controller';
import { StorageModule } from './storage.module';

/** The route behind the local driver's signed URLs. */
@Module({ imports: [StorageModule], controllers: [FilesController] })
export class StorageHttpModule {}
