import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Style, StyleCategory, StyleExample } from '@atelier/styles';
import type { Seeder } from './run-seeds';
import catalog from './styles.json';

type CategorySeed = Pick<StyleCategory, 'name' | 'slug' | 'icon' | 'color' | 'sortOrder'>;
type StyleSeed = Pick<
  Style,
  | 'name'
  | 'slug'
  | 'description'
  | 'promptTemplate'
  | 'defaultQuality'
  | 'defaultBackground'
  | 'defaultOutputFormat'
  | 'defaultSize'
  | 'supportsTransparency'
  | 'premium'
  | 'providerHints'
  | 'imageOperations'
> & { category: string; examples?: ExampleSeed[] };
type ExampleSeed = Pick<StyleExample, 'caption' | 'beforeImageUrl' | 'afterImageUrl'>;

// The JSON's strings are checked by test/styles-seed.spec.ts, not by the compiler.
export const STYLE_CATALOG = catalog as unknown as { categories: CategorySeed[]; styles: StyleSeed[] };

/**
 * The starter catalogue, upserted by slug. Only the seeded columns are written, so usage counts,
 * ratings and an admin's `active` switch survive a re-seed; an admin's edits to seeded text do not.
 * Examples (rendered by scripts/render-style-examples.ts) are added to a style that has none, so
 * an admin's own examples are never duplicated or replaced.
 */
export const stylesSeeder: Seeder = {
  name: 'styles',
  async run(dataSource: DataSource): Promise<number> {
    return dataSource.transaction(async (manager) => {
      await manager
        .getRepository(StyleCategory)
        .upsert(STYLE_CATALOG.categories, { conflictPaths: ['slug'] });
      const categories = await manager
        .getRepository(StyleCategory)
        .find({ select: { id: true, slug: true } });
      const categoryId = new Map(categories.map((c) => [c.slug, c.id]));
      const styles = STYLE_CATALOG.styles.map(({ category, examples: _examples, ...style }) => {
        const id = categoryId.get(category);
        if (!id) throw new Error(`styles.json: style ${style.slug} names unknown category ${category}`);
        // TypeORM's deep-partial type cannot follow free-form JSON columns (providerHints).
        return { ...style, categoryId: id } as QueryDeepPartialEntity<Style>;
      });
      await manager.getRepository(Style).upsert(styles, { conflictPaths: ['slug'] });
      let examples = 0;
      for (const { slug, examples: seeds = [] } of STYLE_CATALOG.styles) {
        const style = seeds.length ? await manager.getRepository(Style).findOneBy({ slug }) : null;
        if (!style || (await manager.getRepository(StyleExample).existsBy({ styleId: style.id }))) continue;
        const rows = seeds.map((example, sortOrder) => ({ ...example, styleId: style.id, sortOrder }));
        await manager.getRepository(StyleExample).insert(rows);
        examples += rows.length;
      }
      return STYLE_CATALOG.categories.length + styles.length + examples;
    });
  },
};
