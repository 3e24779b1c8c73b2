import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Image } from './image.entity';

/** One normalised tag on one image. owner_id is denormalised so GET /tags counts by index. */
@Entity('image_tags')
@Index('idx_image_tags_tag', ['tag', 'imageId'])
@Index('idx_image_tags_owner', ['ownerId', 'tag'])
export class ImageTag {
  @PrimaryColumn({ type: 'uuid' })
  imageId: string;

  @PrimaryColumn({ type: 'text' })
  tag: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => Image, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Image;
}
