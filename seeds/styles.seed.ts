import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Style, StyleCategory, StyleExample } from '@atelier/styles';
import type { Seeder } from './run-seeds';
import { writeSeedRows, type SeedMode } from './seed-rows';
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

/** A before/after pair shown with a style; `sortOrder` defaults to its place in the list. */
type ExampleSeed = Partial<Pick<StyleExample, 'beforeImageUrl' | 'afterImageUrl' | 'caption' | 'sortOrder'>>;

// The JSON's strings are checked by test/styles-seed.spec.ts, not by the compiler.
export const STYLE_CATALOG = catalog as unknown as { categories: CategorySeed[]; styles: StyleSeed[] };

/**
 * The starter catalogue by slug, with examples. Only seeded columns are written, so usage counts
 * and ratings always survive; an admin's edits to seeded text, `active` switches and examples
 * survive every start and are overwritten only by `npm run seed -- --reset`.
 */
export const stylesSeeder: Seeder = {
  name: 'styles',
  async run(dataSource: DataSource, _env, mode = 'missing'): Promise<number> {
    return dataSource.transaction(async (manager) => {
      const categories = await writeSeedRows(manager, StyleCategory, STYLE_CATALOG.categories, 'slug', mode);
      const categoryIds = await manager
        .getRepository(StyleCategory)
        .find({ select: { id: true, slug: true } });
      const categoryId = new Map(categoryIds.map((c) => [c.slug, c.id]));
      const rows = STYLE_CATALOG.styles.map(({ category, examples: _examples, ...style }) => {
        const id = categoryId.get(category);
        if (!id) throw new Error(`styles.json: style ${style.slug} names unknown category ${category}`);
        // TypeORM's deep-partial type cannot follow free-form JSON columns (providerHints).
        return { ...style, categoryId: id } as QueryDeepPartialEntity<Style>;
      });
      const styles = await writeSeedRows(manager, Style, rows, 'slug', mode);
      let examples = 0;
      for (const { slug, examples: seeds } of STYLE_CATALOG.styles) {
        if (seeds?.length) examples += await writeExamples(manager, slug, seeds, mode);
      }
      return categories.size + styles.size + examples;
    });
  },
};

/**
 * A style's shipped examples go to a style that has none (a new style, or one seeded before the
 * JSON had examples), so an admin's own examples are never duplicated; `reset` replaces them.
 */
async function writeExamples(
  manager: EntityManager,
  slug: string,
  examples: ExampleSeed[],
  mode: SeedMode,
): Promise<number> {
  const style = await manager.getRepository(Style).findOneBy({ slug });
  if (!style) return 0;
  const repository = manager.getRepository(StyleExample);
  if (mode === 'reset') await repository.delete({ styleId: style.id });
  else if (await repository.existsBy({ styleId: style.id })) return 0;
  await repository.insert(
    examples.map((example, index) => ({
      styleId: style.id,
      beforeImageUrl: example.beforeImageUrl ?? null,
      afterImageUrl: example.afterImageUrl ?? null,
      caption: example.caption ?? '',
      sortOrder: example.sortOrder ?? index * 10,
    })),
  );
  return examples.length;
}
