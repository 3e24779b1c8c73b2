import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Image } from './image.entity';

/**
 * One normalised tag on one image. owner_id is denormalised so GET /tags counts by index, and the
 * image's created_at so the gallery's `tag=` walks one index newest first (a trigger copies it
 * from the image on insert, whoever inserts the row).
 */
@Entity('image_tags')
@Index('idx_image_tags_tag_recent', ['tag', 'imageCreatedAt', 'imageId'])
@Index('idx_image_tags_owner', ['ownerId', 'tag'])
export class ImageTag {
  @PrimaryColumn({ type: 'uuid' })
  imageId: string;

  @PrimaryColumn({ type: 'text' })
  tag: string;

  @Column({ type: 'uuid' })
  ownerId: string;

  /** Set by the trigger `image_tags_image_created_at`: equal to the image's created_at. */
  @Column({ type: 'timestamptz', precision: 3, select: false })
  imageCreatedAt: Date;

  @ManyToOne(() => Image, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Image;
}
