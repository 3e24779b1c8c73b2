import { Favorite } from './entities/favorite.entity';
import { Folder } from './entities/folder.entity';
import { ImageTag } from './entities/image-tag.entity';
import { Image } from './entities/image.entity';
import { Rating } from './entities/rating.entity';

export const IMAGES_ENTITIES = [Image, Folder, ImageTag, Favorite, Rating];
