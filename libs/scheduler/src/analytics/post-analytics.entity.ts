import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Post } from '../posts/post.entity';

/** The latest metrics snapshot of a published post (one row per post, replaced on each sync). */
@Entity('post_analytics')
export class PostAnalytics {
  @PrimaryColumn('uuid')
  postId: string;

  @OneToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column({ type: 'int', nullable: true })
  likes: number | null;

  @Column({ type: 'int', nullable: true })
  comments: number | null;

  @Column({ type: 'int', nullable: true })
  shares: number | null;

  @Column({ type: 'int', nullable: true })
  impressions: number | null;

  @Column({ type: 'int', nullable: true })
  reach: number | null;

  @Column({ type: 'timestamptz' })
  fetchedAt: Date;
}
