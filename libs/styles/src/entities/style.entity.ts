import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { StyleCategory } from './style-category.entity';

export const STYLE_QUALITIES = ['low', 'medium', 'high', 'auto'] as const;
export const STYLE_BACKGROUNDS = ['transparent', 'opaque', 'auto'] as const;
export const STYLE_OUTPUT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export const STYLE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'] as const;
export type StyleQuality = (typeof STYLE_QUALITIES)[number];
export type StyleBackground = (typeof STYLE_BACKGROUNDS)[number];
export type StyleOutputFormat = (typeof STYLE_OUTPUT_FORMATS)[number];
export type StyleSize = (typeof STYLE_SIZES)[number];

/** A look users can apply to a generation or a style transfer: a prompt template plus defaults. */
@Entity('styles')
@Index(['active', 'name', 'id'])
@Index(['categoryId', 'name', 'id'])
export class Style {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  categoryId: string;

  // RESTRICT: a category with styles cannot vanish from under them (the API answers 409).
  @ManyToOne(() => StyleCategory, (category) => category.styles, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category?: StyleCategory;

  @Column({ length: 120 })
  name: string;

  @Index({ unique: true })
  @Column({ length: 120 })
  slug: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** Contains `{prompt}` (the user's words) and optionally `{style_name}`. */
  @Column('text')
  promptTemplate: string;

  @Column({ type: 'varchar', length: 16, default: 'auto' })
  defaultQuality: StyleQuality;

  @Column({ type: 'varchar', length: 16, default: 'auto' })
  defaultBackground: StyleBackground;

  @Column({ type: 'varchar', length: 8, default: 'png' })
  defaultOutputFormat: StyleOutputFormat;

  @Column({ type: 'varchar', length: 16, default: '1024x1024' })
  defaultSize: StyleSize;

  @Column({ default: false })
  supportsTransparency: boolean;

  @Column({ default: false })
  premium: boolean;

  @Column({ default: true })
  active: boolean;

  /** Provider-specific extras (e.g. `{ "openai": { "input_fidelity": "high" } }`). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  providerHints: Record<string, unknown>;

  /** Operations the `local` provider applies (see the processing lib's style operations). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  imageOperations: Record<string, unknown>[];

  @Column({ type: 'int', default: 0 })
  usageCount: number;

  @Column({ type: 'numeric', precision: 4, scale: 3, default: 0, transformer: numericToNumber() })
  ratingAvg: number;

  @Column({ type: 'int', default: 0 })
  ratingCount: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

// pg returns numeric as a string to keep precision; an average of 1..5 fits a double easily.
function numericToNumber() {
  return {
    to: (value: number) => value,
    from: (value: string | null) => (value === null ? 0 : Number(value)),
  };
}
