import { Module } from '@nestjs/common';
import { FoldersController } from './http/folders.controller';
import { GalleryController } from './http/gallery.controller';
import { ImageActionsController } from './http/image-actions.controller';
import { ImagesController } from './http/images.controller';
import { ImagesModule } from './images.module';

/** Routes of the images lib. */
@Module({
  imports: [ImagesModule],
  controllers: [ImagesController, ImageActionsController, FoldersController, GalleryController],
})
export class ImagesHttpModule {}
